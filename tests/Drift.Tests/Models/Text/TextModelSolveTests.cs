using Drift.Analysis;
using Drift.Ensembles;
using Drift.Models;
using Drift.Models.Text;
using Drift.Solve;
using Drift.Solve.Sde;

namespace Drift.Tests.Models.Text;

public class TextModelSolveTests
{
    private const string Ou = """
        param theta = 1.0
        param mu = 2.0
        param sigma = 0.5
        state x = 0.0
        dx = theta*(mu - x)*dt + sigma*dW1
        """;

    [Fact]
    public void Text_Ornstein_Uhlenbeck_ensemble_matches_the_exact_mean_and_variance()
    {
        var problem = TextModel.Parse(Ou).Problem(2.0);
        var solution = DiffEq.Solve(problem, new Sra1(), new SolveOptions { Controller = ConstantStep.WithSteps(200), Paths = 200_000, Seed = 3 });
        var exact = new OrnsteinUhlenbeck(1.0, 2.0, 0.5);
        var m = solution.Final(0);
        Assert.True(Math.Abs(m.Mean - exact.Mean(0, 2)) < 4.5 * m.StandardError, $"mean {m.Mean} vs {exact.Mean(0, 2)}");
        double varianceSe = exact.Variance(2) * Math.Sqrt(2.0 / (m.Count - 1));
        Assert.True(Math.Abs(m.Variance - exact.Variance(2)) < 4.5 * varianceSe, $"variance {m.Variance} vs {exact.Variance(2)}");
    }

    [Fact]
    public void Text_model_gives_the_same_bits_as_the_hand_written_struct_it_transcribes()
    {
        // The struct computes the drift as a multiply-add −θx + θμ (fused where the hardware fuses), the text as θ(μ − x).
        // With θ = 1 and μ = 2 every product is exact, so both are the single rounding of 2 − x whatever the hardware,
        // and the whole trajectory, every step of every path, must agree to the bit.
        var text = TextModel.Parse(Ou).Problem(1.0);
        var ou = new OrnsteinUhlenbeck(1.0, 2.0, 0.5);
        var options = new SolveOptions { Controller = ConstantStep.WithSteps(50), Paths = 1000, Seed = 9, KeepPaths = true, Save = SaveAt.EveryStep(1) };
        var a = DiffEq.Solve(text, new EulerMaruyama(), options);
        var b = DiffEq.Solve(new SdeProblem<OrnsteinUhlenbeck, OrnsteinUhlenbeck>(ou, ou, [0.0], 0, 1), new EulerMaruyama(), options);
        Assert.Equal(51, a.Times.Count);
        for (int t = 0; t < a.Times.Count; t++)
            for (long p = 0; p < 1000; p++)
                Assert.Equal(BitConverter.DoubleToInt64Bits(b.State(t, p)[0]), BitConverter.DoubleToInt64Bits(a.State(t, p)[0]));
    }

    [Fact]
    public void Adaptive_SRA1_accepts_a_text_model_with_correlated_additive_noise()
    {
        var model = TextModel.Parse("""
            param rho = -0.6
            state x = 1
            state y = 1
            dx = -x*dt + 0.3*dW1
            dy = -0.5*y*dt + 0.3*(rho*dW1 + sqrt(1 - rho^2)*dW2)
            """);
        Assert.Equal(NoiseKind.Additive, model.Noise);
        var s = DiffEq.Solve(model.Problem(1.0), new Sra1(), new SolveOptions
        {
            Controller = AdaptiveSdeOptions.DefaultController with { RelativeTolerance = 1e-2, AbsoluteTolerance = 1e-3 }, Paths = 20_000, Seed = 4,
        });
        // Linear drift: E x_1 = e^{-1}, E y_1 = e^{-1/2}.
        var mx = s.Ensemble.Final(0);
        var my = s.Ensemble.Final(1);
        Assert.True(Math.Abs(mx.Mean - Math.Exp(-1)) < 4.5 * mx.StandardError, $"E x = {mx.Mean}");
        Assert.True(Math.Abs(my.Mean - Math.Exp(-0.5)) < 4.5 * my.StandardError, $"E y = {my.Mean}");
    }

    [Fact]
    public void Euler_ensemble_of_a_text_model_with_general_correlated_noise_has_the_exact_correlation()
    {
        // dx = 0.3 dW1, dy = 0.3 (rho dW1 + sqrt(1 - rho^2) dW2) written with state-dependent zero factors to force general noise.
        var model = TextModel.Parse("""
            param rho = -0.6
            state x = 0
            state y = 0
            dx = 0*dt + 0.3*(1 + 0*y)*dW1
            dy = 0*dt + 0.3*(rho*dW1 + sqrt(1 - rho^2)*dW2) + 0*x*dW1
            """);
        Assert.Equal(NoiseKind.General, model.Noise);
        var s = DiffEq.Solve(model.Problem(1.0), new EulerMaruyama(), new SolveOptions { Controller = ConstantStep.WithSteps(4), Paths = 20_000, Seed = 5, KeepPaths = true });
        var x = s.PathsAt(0, 0).ToArray();
        var y = s.PathsAt(0, 1).ToArray();
        double cov = x.Zip(y, (a, b) => a * b).Average(), corr = cov / 0.09;
        Assert.True(Math.Abs(corr + 0.6) < 4.5 * (1 - 0.36) / Math.Sqrt(20_000), $"correlation {corr}");
    }

    [Fact]
    public void Text_Lorenz_gives_the_published_maximal_Lyapunov_exponent_through_its_symbolic_Jacobian()
    {
        var model = TextModel.Parse("""
            param sigma = 10
            param rho = 28
            param beta = 8/3
            state x = 1
            state y = 1
            state z = 20
            dx = sigma*(y - x)*dt
            dy = (x*(rho - z) - y)*dt
            dz = (x*y - beta*z)*dt
            """);
        var r = Lyapunov.Spectrum(model.Compile(), model.InitialState,
            new LyapunovOptions { Step = 0.01, Transient = 20, Time = 200, Trajectories = 8 });
        Assert.True(Math.Abs(r.Maximal - 0.9056) < 0.02 * 0.9056, $"λ1 = {r.Maximal} ± {r.StandardErrors[0]}");
        Assert.True(Math.Abs(r.Sum + 13.6667) < 0.01 * 13.6667, $"Σλ = {r.Sum}");
    }
}
