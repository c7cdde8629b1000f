using BenchmarkDotNet.Attributes;
using Drift.Solve;
using Drift.Solve.Adaptive;

namespace Drift.Benchmarks;

/// <summary>
/// One adaptive Tsit5 solve of Lorenz-63 from (1, 1, 1) over [0, 100] at rtol = atol = 10⁻⁹
/// (≈ 15 500 steps); allocation must not grow with the number of steps.
/// </summary>
[MemoryDiagnoser]
public class Tsit5LorenzBenchmark
{
    private readonly OdeProblem<Lorenz> _problem = new(default, [1.0, 1.0, 1.0], 0, 100);
    private readonly SolveOptions _options = new() { Controller = new PidController { RelativeTolerance = 1e-9, AbsoluteTolerance = 1e-9 } };

    [Benchmark]
    public double Tsit5() => DiffEq.Solve(_problem, new Tsitouras5(), _options).FinalState[0];

    /// <summary>Lorenz-63 (σ = 10, ρ = 28, β = 8/3), path by path.</summary>
    public readonly struct Lorenz : IDrift
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
