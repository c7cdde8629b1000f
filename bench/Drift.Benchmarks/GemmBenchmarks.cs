using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Drift.Numerics;

namespace Drift.Benchmarks;

/// <summary>
/// Single-threaded C = A·B (β = 0, no transposes) at 256³ in float and double, next to the core's FMA peak:
/// GFLOP/s = 2·256³ / mean, and peak GFLOP/s = <see cref="PeakFlopsPerOperation"/> / mean of <see cref="FmaPeak"/>.
/// Double peak is half the float peak. <c>dotnet run -c Release -- gemm-peak</c> prints the same figures in
/// a few seconds, without BenchmarkDotNet.
/// </summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private const int N = 256;
    private const long PeakIterations = 1_000_000;

    /// <summary>Flops of one GEMM operation.</summary>
    public const double FlopsPerOperation = 2.0 * N * N * N;

    /// <summary>Flops of one <see cref="FmaPeakLoop"/> operation.</summary>
    public static double PeakFlopsPerOperation => FmaPeak.Flops(PeakIterations);

    private readonly float[] _af = new float[N * N], _bf = new float[N * N], _cf = new float[N * N];
    private readonly double[] _ad = new double[N * N], _bd = new double[N * N], _cd = new double[N * N];

    [GlobalSetup]
    public void Setup()
    {
        var rng = new System.Random(1);
        for (int i = 0; i < N * N; i++)
        {
            _af[i] = (float)rng.NextDouble();
            _bf[i] = (float)rng.NextDouble();
            _ad[i] = _af[i];
            _bd[i] = _bf[i];
        }
    }

    [Benchmark]
    public float Float256()
    {
        Gemm.Multiply(false, false, N, N, N, 1f, _af, N, _bf, N, 0f, _cf, N);
        return _cf[17];
    }

    [Benchmark]
    public double Double256()
    {
        Gemm.Multiply(false, false, N, N, N, 1.0, _ad, N, _bd, N, 0.0, _cd, N);
        return _cd[17];
    }

    /// <summary>10⁶ iterations of ten independent FMA chains on the widest float register.</summary>
    [Benchmark]
    public float FmaPeakLoop() => FmaPeak.Run(PeakIterations);

    /// <summary>
    /// Best-of timings interleaved over <paramref name="seconds"/> (peak loop, float GEMM, double GEMM, in turn,
    /// so all see the same machine load), as GFLOP/s and fractions of the FMA peak.
    /// </summary>
    public static string QuickReport(double seconds = 10)
    {
        var b = new GemmBenchmarks();
        b.Setup();
        double peak = 0, single = 0, dual = 0;
        var total = Stopwatch.StartNew();
        while (total.Elapsed.TotalSeconds < seconds)
        {
            peak = Math.Max(peak, FmaPeak.Measure(0.002));
            for (int r = 0; r < 3; r++)
            {
                long t0 = Stopwatch.GetTimestamp();
                b.Float256();
                single = Math.Max(single, FlopsPerOperation / Stopwatch.GetElapsedTime(t0).TotalSeconds / 1e9);
            }
            for (int r = 0; r < 3; r++)
            {
                long t0 = Stopwatch.GetTimestamp();
                b.Double256();
                dual = Math.Max(dual, FlopsPerOperation / Stopwatch.GetElapsedTime(t0).TotalSeconds / 1e9);
            }
        }
        return $"GEMM {N}³, one thread, kernel width {FmaPeak.Width} floats, best of {seconds:F0} s:\n" +
               $"  FMA peak   {peak,7:F1} GFLOP/s float, {peak / 2,7:F1} GFLOP/s double\n" +
               $"  float GEMM {single,7:F1} GFLOP/s = {100 * single / peak:F1} % of peak\n" +
               $"  double GEMM{dual,7:F1} GFLOP/s = {100 * dual / (peak / 2):F1} % of peak";
    }
}
