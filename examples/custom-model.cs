#:project ../src/Drift/Drift.csproj
// A user-defined SDE as a struct: the stochastic double well dX = (X − X³) dt + σ dW.
// Evaluate works on a batch of paths at once; a plain loop is fine, Elementwise.Map makes it SIMD.
// Run: dotnet run examples/custom-model.cs
using Drift;
using Drift.Solve;
using Drift.Solve.Sde;

var solution = DiffEq.Solve(Sde.Problem(new DoubleWell(0.7), [0.0], 0, 20), new EulerMaruyama(),
    new SolveOptions { Controller = ConstantStep.WithSize(0.01), Paths = 200_000, Seed = 3 });
var x = solution.Final(0);
Console.WriteLine($"status {solution.Status}; E X = {x.Mean:F4} ± {x.StandardError:F4}; E X² = {x.Variance + x.Mean * x.Mean:F4}");
Console.WriteLine($"quartiles {solution.Quantile(0, 0, 0.25):F3} / {solution.Quantile(0, 0, 0.5):F3} / {solution.Quantile(0, 0, 0.75):F3} (bimodal around ±1)");

readonly struct DoubleWell(double sigma) : IDrift, IDiffusion
{
    public int Dimension => 1;
    public int NoiseDimension => 1;
    public NoiseKind Noise => NoiseKind.Additive;

    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        for (int p = 0; p < paths; p++) dx[p] = x[p] - x[p] * x[p] * x[p];
    }

    void IDiffusion.Evaluate(double t, ReadOnlySpan<double> x, Span<double> g, int paths) => g[..paths].Fill(sigma);
}
