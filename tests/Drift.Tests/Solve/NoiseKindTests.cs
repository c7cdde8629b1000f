using Drift;
using Drift.Ensembles;
using Drift.Models;
using Drift.Solve;
using Drift.Solve.Sde;

namespace Drift.Tests.Solve;

public class NoiseKindTests
{
    // dX = A dW with A = [[1, 2, 0], [0.5, 0, 3]] (d = 2, m = 3): X(T) ~ N(0, A Aᵀ T).
    private static readonly double[,] A = { { 1, 2, 0 }, { 0.5, 0, 3 } };

    private static void WriteA(double t, ReadOnlySpan<double> x, Span<double> g, int paths)
    {
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 3; j++)
                g.Slice((i * 3 + j) * paths, paths).Fill(A[i, j]);
    }

    [Theory]
    [InlineData(NoiseKind.General)]
    [InlineData(NoiseKind.Additive)]
    public void General_noise_matrix_gives_the_covariance_A_A_transpose_T(NoiseKind kind)
    {
        var problem = Sde.FromDelegates((t, x, dx, paths) => dx.Clear(), WriteA, kind, 3, [0.0, 0.0], 0, 2);
        foreach (var solution in new[]
        {
            DiffEq.Solve(problem, new EulerMaruyama(), new SolveOptions { Controller = ConstantStep.WithSteps(20), Paths = 100_000, Seed = 1 }),
            DiffEq.Solve(new SdeProblem<DriftFunction, DiffusionFunction>(problem.Drift, problem.Diffusion, [0.0, 0.0], 0, 2, Calculus.Stratonovich), new EulerHeun(), new SolveOptions { Controller = ConstantStep.WithSteps(20), Paths = 100_000, Seed = 1 }),
        })
        {
            for (int i = 0; i < 2; i++)
            {
                double variance = 2 * (A[i, 0] * A[i, 0] + A[i, 1] * A[i, 1] + A[i, 2] * A[i, 2]);
                var m = solution.Final(i);
                Assert.True(Math.Abs(m.Mean) < 4.5 * m.StandardError);
                Assert.True(Math.Abs(m.Variance - variance) < 4.5 * variance * Math.Sqrt(2.0 / m.Count), $"component {i}: {m.Variance} vs {variance}");
            }
        }
    }

    [Fact]
    public void Sra1_handles_a_general_additive_matrix()
    {
        var problem = Sde.FromDelegates((t, x, dx, paths) => { for (int k = 0; k < 2 * paths; k++) dx[k] = -x[k]; }, WriteA, NoiseKind.Additive, 3, [1.0, -1.0], 0, 1);
        var s = DiffEq.Solve(problem, new Sra1(), new SolveOptions { Controller = ConstantStep.WithSteps(50), Paths = 100_000, Seed = 2 });
        // dX = −X dt + A dW: E X = X0 e^{−t}, Var X_i = Σ_j A_ij² (1 − e^{−2t})/2.
        for (int i = 0; i < 2; i++)
        {
            var m = s.Final(i);
            double mean = (i == 0 ? 1 : -1) * Math.Exp(-1);
            double variance = (A[i, 0] * A[i, 0] + A[i, 1] * A[i, 1] + A[i, 2] * A[i, 2]) * (1 - Math.Exp(-2)) / 2;
            Assert.True(Math.Abs(m.Mean - mean) < 4.5 * m.StandardError);
            Assert.True(Math.Abs(m.Variance - variance) < 4.5 * variance * Math.Sqrt(2.0 / m.Count));
        }
    }

    [Fact]
    public void Delegate_models_give_the_same_bits_as_struct_models()
    {
        var gbm = new GeometricBrownianMotion(0.3, 0.4);
        var structs = new SdeProblem<GeometricBrownianMotion, GeometricBrownianMotion>(gbm, gbm, [1.0], 0, 1);
        var delegates = Sde.FromDelegates(
            (t, x, dx, paths) => { for (int p = 0; p < paths; p++) dx[p] = x[p] * 0.3; },
            (t, x, g, paths) => { for (int p = 0; p < paths; p++) g[p] = x[p] * 0.4; },
            NoiseKind.Scalar, 1, [1.0], 0, 1);
        var options = new SolveOptions { Controller = ConstantStep.WithSteps(64), Paths = 1000, Seed = 9, KeepPaths = true };
        var a = DiffEq.Solve(structs, new Milstein(Calculus.Ito), options);
        var b = DiffEq.Solve(delegates, new Milstein(Calculus.Ito), options);
        Assert.True(a.PathsAt(0, 0).SequenceEqual(b.PathsAt(0, 0)));
        var ode = Ode.FromDelegate((t, x, dx, paths) => { for (int p = 0; p < paths; p++) dx[p] = -x[p]; }, [1.0], 0, 1);
        Assert.Equal(Math.Exp(-1), DiffEq.Solve(ode, new Drift.Solve.Ode.RungeKutta4(), new SolveOptions { Controller = ConstantStep.WithSteps(100), Paths = 1 }).Final(0).Mean, 1e-9);
    }
}
