using BenchmarkDotNet.Attributes;
using Drift.Random;

namespace Drift.Benchmarks;

/// <summary>Raw normal throughput of the generator on one core: 1024 streams × 1024 draws per operation.</summary>
[MemoryDiagnoser]
public class NormalGeneratorBenchmark
{
    private const int Streams = 1024;
    private const int Rows = 1024;
    private readonly double[] _buffer = new double[Streams * 8];
    private readonly PhiloxNormals _normals = new(42);

    /// <summary>Normals produced per operation (for normals per second = this / mean time).</summary>
    public const double NormalsPerOperation = (double)Streams * Rows;

    [Benchmark(OperationsPerInvoke = 1)]
    public double FillAcrossStreams()
    {
        for (int r = 0; r < Rows; r += 8)
            _normals.FillAcrossStreams(0, Streams, (ulong)r, 8, _buffer, Streams);
        return _buffer[17];
    }
}
