using Drift.Solve;
using Drift.Solve.Adaptive;
using Drift.Solve.Sde;

namespace Drift.Tests.Solve.Implicit;

/// <summary>SKenCarp: its tableau's order conditions, and adaptive steps on a stiff additive-noise system against SRA1.</summary>
public class SKenCarpTests
{
    [Fact]
    public void Tableau_meets_the_ESDIRK_and_SRA_order_conditions()
    {
        const double g = SKenCarp.Gamma;
        double[] c = [0, SKenCarp.C2, SKenCarp.C3, 1];
        double[,] a = { { 0, 0, 0, 0 }, { g, g, 0, 0 }, { SKenCarp.A31, SKenCarp.A32, g, 0 }, { SKenCarp.A41, SKenCarp.A42, SKenCarp.A43, g } };
        double[] b = [SKenCarp.A41, SKenCarp.A42, SKenCarp.A43, g];
        double[] bhat = [SKenCarp.Bhat1, SKenCarp.Bhat2, SKenCarp.Bhat3, SKenCarp.Bhat4];
        double[] noise = [0, SKenCarp.Noise21, 0, SKenCarp.Noise43]; // B₀e
        double Dot(double[] u, Func<int, double> v) => Enumerable.Range(0, 4).Sum(i => u[i] * v(i));
        for (int i = 0; i < 4; i++) Assert.Equal(c[i], Enumerable.Range(0, 4).Sum(j => a[i, j]), 12);
        Assert.Equal(1.0, Dot(b, _ => 1), 12);
        Assert.Equal(0.5, Dot(b, i => c[i]), 12);
        Assert.Equal(1.0 / 3, Dot(b, i => c[i] * c[i]), 12);
        Assert.Equal(1.0 / 6, Dot(b, i => Enumerable.Range(0, 4).Sum(j => a[i, j] * c[j])), 12);
        Assert.Equal(1.0, Dot(bhat, _ => 1), 12);
        Assert.Equal(0.5, Dot(bhat, i => c[i]), 12);
        // Rößler's SRA conditions for strong order 1.5 with α = b: α·B₀e = 1, α·(B₀e)² = 3/2.
        Assert.Equal(1.0, Dot(b, i => noise[i]), 12);
        Assert.Equal(1.5, Dot(b, i => noise[i] * noise[i]), 11);
    }

    [Fact]
    public void Stiff_additive_system_reaches_t1_in_far_fewer_steps_than_SRA1()
    {
        // Eigenvalues ≈ −1 and −1000: SRA1's explicit stages need h ≲ 2.5·10⁻³ for stability, SKenCarp's do not.
        // Measured (16 paths to t = 2, rtol = atol = 10⁻²): SKenCarp 1047 attempted steps (460 rejected), SRA1 19962 (4824 rejected).
        var stiff = new StiffPair(1000, 0.1);
        var problem = new SdeProblem<StiffPair, StiffPair>(stiff, stiff, [1.0, 0.0], 0, 1);
        var options = new SolveOptions { Controller = new PidController { RelativeTolerance = 1e-2, AbsoluteTolerance = 1e-2 }, Paths = 8, Seed = 11, TrackQuantiles = false };
        var implicitRun = DiffEq.Solve(problem, new SKenCarp(), options);
        var explicitRun = DiffEq.Solve(problem, new Sra1(), options);
        Assert.Equal(SolveStatus.Success, implicitRun.Status);
        Assert.Equal(SolveStatus.Success, explicitRun.Status);
        long skencarp = implicitRun.Statistics.AcceptedSteps + implicitRun.Statistics.RejectedSteps;
        long sra1 = explicitRun.Statistics.AcceptedSteps + explicitRun.Statistics.RejectedSteps;
        Assert.True(10 * skencarp < sra1, $"attempted steps for 8 paths: SKenCarp {skencarp}, SRA1 {sra1}");
        // Both land on the same law: the slow component's means agree within 5 standard errors of their difference.
        var m1 = implicitRun.Final(0);
        var m2 = explicitRun.Final(0);
        double se = Math.Sqrt(m1.Variance / m1.Count + m2.Variance / m2.Count);
        Assert.True(Math.Abs(m1.Mean - m2.Mean) <= 5 * se + 2e-2, $"means {m1.Mean} vs {m2.Mean} (se {se})");
    }
}
