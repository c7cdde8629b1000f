using Drift.Models;
using Drift.Solve;
using Drift.Solve.Sde;

namespace Drift.Tests.Solve;

/// <summary>
/// Reversible Heun's NaNs on Lorenz-63 are its stability region, not a defect: on dx = λx dt its step matrix
/// has eigenvalues μ = λh ± √(λ²h² + 1) with μ₁μ₂ = −1, so for real λ &lt; 0 the parasitic root
/// |μ₂| = |λ|h + √(λ²h² + 1) grows like e^{|λ| t}; on the imaginary interval (λh ∈ [−i, i]) both stay on the unit circle.
/// </summary>
public class ReversibleHeunStabilityTests
{
    private static double[] Run<TDrift>(TDrift drift, double[] x0, double h, int steps) where TDrift : struct, IDrift, IDiffusion
    {
        var solver = new ReversibleHeun();
        var scratch = new SolverScratch();
        var (f, g) = (drift, drift);
        var x = (double[])x0.Clone();
        var dW = new double[x0.Length];
        solver.Start(ref f, ref g, scratch, 0, x, 1);
        for (int k = 0; k < steps; k++) solver.Step(ref f, ref g, scratch, k * h, h, dW, default, x, 1);
        return x;
    }

    [Fact]
    public void On_a_decaying_linear_ODE_the_solution_grows_at_the_parasitic_roots_predicted_rate()
    {
        const double lambda = -1, h = 0.01;
        var decay = new ScalarSde((t, x) => lambda * x, (t, x) => 0, NoiseKind.Additive);
        double a = Math.Abs(Run(decay, [1.0], h, 2000)[0]), b = Math.Abs(Run(decay, [1.0], h, 3000)[0]);
        double measured = Math.Log(b / a) / (1000 * h);
        double predicted = Math.Log(Math.Abs(lambda * h - Math.Sqrt(lambda * lambda * h * h + 1))) / h; // ≈ |λ| = 1
        Assert.InRange(measured, predicted - 1e-3, predicted + 1e-3);
        Assert.True(b > 1e3, $"|x(30)| = {b}: the exact solution is e^-30");
    }

    [Fact]
    public void On_the_imaginary_interval_the_method_is_stable()
    {
        // x' = −y, y' = x (eigenvalues ±i), h = 0.5: λh = ±0.5i lies inside [−i, i]; 20000 steps stay on the circle.
        var x = Run(new RotationSde(), [1.0, 0.0], 0.5, 20_000);
        Assert.InRange(Math.Sqrt(x[0] * x[0] + x[1] * x[1]), 0.8, 1.25);
    }

    [Fact]
    public void The_growth_rate_bound_flags_dissipative_drifts_before_a_run()
    {
        // Lorenz-63: tr J = −(σ + 1 + β) = −13.667 everywhere, so the bound is 13.667/3.
        Assert.Equal((10 + 1 + 8.0 / 3.0) / 3, ReversibleHeun.ParasiticGrowthRate(StochasticLorenz.Classic(1), 0, [1.0, 1.0, 20.0]), 1e-6);
        Assert.Equal(0, ReversibleHeun.ParasiticGrowthRate(new RotationSde(), 0, [1.0, 0.0]));
    }

    private readonly struct RotationSde : IDrift, IDiffusion
    {
        public int Dimension => 2;
        public int NoiseDimension => 2;
        public NoiseKind Noise => NoiseKind.Diagonal;

        public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
        {
            for (int p = 0; p < paths; p++) { dx[p] = -x[paths + p]; dx[paths + p] = x[p]; }
        }

        void IDiffusion.Evaluate(double t, ReadOnlySpan<double> x, Span<double> g, int paths) => g.Clear();
    }
}
