using BenchmarkDotNet.Attributes;
using Drift.Ensembles;
using Drift.Models;
using Drift.Models.Text;
using Drift.Solve;
using Drift.Solve.Sde;

namespace Drift.Benchmarks;

/// <summary>
/// The stochastic Lorenz-63 drift evaluated on a batch of paths three ways: the hand-written struct
/// <see cref="StochasticLorenz"/> (Elementwise SIMD, the baseline), the same model parsed from text and compiled
/// to an expression-tree kernel (<see cref="TextSde"/>), and a plain path-by-path scalar loop. Plus a whole
/// Euler–Maruyama ensemble with the struct and with the text model.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class TextModelBenchmark
{
    // Declared diagonal to match StochasticLorenz (inference would say additive: d·m = 9 rows of g).
    private const string LorenzText = """
        noise diagonal
        param sigma = 10
        param rho = 28
        param beta = 8/3
        param eps = 1
        state x = 1
        state y = 1
        state z = 20
        dx = sigma*(y - x)*dt + eps*dW1
        dy = (x*(rho - z) - y)*dt + eps*dW2
        dz = (x*y - beta*z)*dt + eps*dW3
        """;

    private readonly StochasticLorenz _struct = StochasticLorenz.Classic(1.0);
    private readonly TextSde _text = TextModel.Parse(LorenzText).Compile();
    private double[] _x = [];
    private double[] _dx = [];

    /// <summary>Paths per batch.</summary>
    [Params(256, 4096)]
    public int Paths { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new System.Random(1);
        _x = [.. Enumerable.Range(0, 3 * Paths).Select(_ => 20 * random.NextDouble() - 10)];
        _dx = new double[3 * Paths];
    }

    [Benchmark(Baseline = true)]
    public double HandWrittenSimd()
    {
        _struct.Evaluate(0, _x, _dx, Paths);
        return _dx[0];
    }

    [Benchmark]
    public double TextCompiled()
    {
        _text.Evaluate(0, _x, _dx, Paths);
        return _dx[0];
    }

    [Benchmark]
    public double ScalarLoop()
    {
        default(ScalarLorenz).Evaluate(0, _x, _dx, Paths);
        return _dx[0];
    }

    [Benchmark]
    public double EnsembleHandWritten() => DiffEq.Solve(new SdeProblem<StochasticLorenz, StochasticLorenz>(_struct, _struct, [1.0, 1.0, 20.0], 0, 1),
        new EulerMaruyama(), Options).Final(0).Mean;

    [Benchmark]
    public double EnsembleText() => DiffEq.Solve(new SdeProblem<TextSde, TextSde>(_text, _text, [1.0, 1.0, 20.0], 0, 1),
        new EulerMaruyama(), Options).Final(0).Mean;

    private SolveOptions Options => new() { Controller = ConstantStep.WithSteps(100), Paths = 10 * Paths, Seed = 1, Threads = 1, TrackQuantiles = false };

    /// <summary>Lorenz-63 drift path by path in plain scalar code.</summary>
    public readonly struct ScalarLorenz : IDrift
    {
        public int Dimension => 3;

        public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
        {
            for (int p = 0; p < paths; p++)
            {
                double a = x[p], b = x[paths + p], c = x[2 * paths + p];
                dx[p] = 10.0 * (b - a);
                dx[paths + p] = a * (28.0 - c) - b;
                dx[2 * paths + p] = a * b - 8.0 / 3.0 * c;
            }
        }
    }
}
