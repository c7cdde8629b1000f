using Drift.Generative.Likelihood;
using Drift.Generative.Models;
using Drift.Generative.Schedules;
using Drift.Random;
using Xunit.Abstractions;

namespace Drift.Generative.Training.Tests;

/// <summary>
/// The exact divergence of <see cref="NetworkDiffusionModel{T}"/> (reverse passes through the network with the weights held
/// constant): against a hand-derived Jacobian trace of a one-hidden-layer SiLU MLP to 1e-10 under three parameterisations,
/// and against central differences for a trained MLP, a labelled residual MLP and a small U-Net.
/// </summary>
public class ExactDivergenceTests(ITestOutputHelper output)
{
    /// <summary>The model without its <see cref="IScoreDivergence"/>, so the likelihood falls back to central differences.</summary>
    sealed class Opaque(IDiffusionModel inner) : IDiffusionModel
    {
        public int Dimension => inner.Dimension;
        public NoiseSchedule Schedule => inner.Schedule;
        public Prediction Prediction => inner.Prediction;
        public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> o, int samples) => inner.Evaluate(t, x, o, samples);
    }

    static double[] Points(int samples, int d, double scale, ulong seed)
    {
        var x = new double[samples * d];
        new PhiloxNormals(seed).FillStream(0, 0, x);
        for (int k = 0; k < x.Length; k++) x[k] *= scale;
        return x;
    }

    static double SiluDerivative(double z)
    {
        double s = 1 / (1 + Math.Exp(-z));
        return s * (1 + z * (1 - s));
    }

    /// <summary>
    /// tr ∂F/∂u for F(u) = W₂·silu(W₁·[u, E(τ)] + b₁) + b₂ with E(τ) = [cos(τ f_k), sin(τ f_k)], f_k = 10000^(−k/16), k &lt; 16:
    /// Σ_i Σ_h W₂[i, h]·silu′(z_h)·W₁[h, i], written out without the autodiff engine.
    /// </summary>
    static double TraceByHand(DiffusionNetwork<double> net, ReadOnlySpan<double> u, double tau)
    {
        var p = net.NamedParameters().ToDictionary(q => q.Name, q => q.Tensor);
        var w1 = p.Single(q => q.Key.EndsWith("layers.0.weight")).Value;
        var b1 = p.Single(q => q.Key.EndsWith("layers.0.bias")).Value;
        var w2 = p.Single(q => q.Key.EndsWith("layers.1.weight")).Value;
        int d = u.Length, hidden = w1.Shape[0], inputs = w1.Shape[1];
        var h = new double[inputs];
        u.CopyTo(h);
        for (int k = 0; k < 16; k++)
        {
            double f = Math.Exp(-Math.Log(10000) * k / 16);
            h[d + k] = Math.Cos(tau * f);
            h[d + 16 + k] = Math.Sin(tau * f);
        }
        double trace = 0;
        for (int j = 0; j < hidden; j++)
        {
            double z = b1[j];
            for (int c = 0; c < inputs; c++) z += w1[j, c] * h[c];
            double g = SiluDerivative(z);
            for (int i = 0; i < d; i++) trace += w2[i, j] * g * w1[j, i];
        }
        return trace;
    }

    [Theory]
    [InlineData("vp-eps")]
    [InlineData("edm")]
    [InlineData("flow")]
    public void The_divergence_of_a_one_hidden_layer_MLP_matches_its_hand_derived_Jacobian_trace_to_1e_10(string name)
    {
        const int d = 3, samples = 5;
        var objective = name switch
        {
            "vp-eps" => DiffusionObjective.ScoreMatching(new VpLinearSchedule(), Prediction.Noise),
            "edm" => DiffusionObjective.Edm(),
            _ => DiffusionObjective.FlowMatching(),
        };
        var net = new DiffusionNetwork<double>(new NetworkSpec(NetworkKind.Mlp, d, Width: 16, Depth: 1), 7);
        // Weights scaled up sixfold from PyTorch's initialisation, so the trace is O(1) rather than O(0.03).
        foreach (var (pname, tensor) in net.NamedParameters())
            if (pname.Contains("layers.")) foreach (ref double w in tensor.Span) w *= 6;
        var model = new NetworkDiffusionModel<double>(net, objective);
        var x = Points(samples, d, 1.3, 11);
        var div = new double[samples];
        double worst = 0, traceScale = 0;
        foreach (double t in new[] { 0.2, 0.6 })
        {
            model.ScoreDivergence(t, x, div, samples);
            var pre = objective.Precondition(t);
            for (int s = 0; s < samples; s++)
            {
                var u = new double[d];
                for (int i = 0; i < d; i++) u[i] = pre.In * x[s * d + i];
                double tr = TraceByHand(net, u, pre.Noise);
                // ∇·s in closed form: ε-model s = −ε/σ; EDM s = (D − x)/σ² with D = c_skip·x + c_out·F(c_in·x), σ = t;
                // rectified flow s = −x/t − (1 − t)·u/t.
                double expected = name switch
                {
                    "vp-eps" => -tr / objective.Schedule.Sigma(t),
                    "edm" => (pre.Skip * d + pre.Out * pre.In * tr - d) / (t * t),
                    _ => -d / t - (1 - t) / t * tr,
                };
                worst = Math.Max(worst, Math.Abs(div[s] - expected) / Math.Max(1, Math.Abs(expected)));
                traceScale = Math.Max(traceScale, Math.Abs(tr));
            }
        }
        output.WriteLine($"{name}: worst relative error {worst:G3}; largest |tr ∂F/∂u| {traceScale:G3}");
        Assert.True(traceScale > 0.5, "the oracle's trace is too small to test anything");
        Assert.True(worst < 1e-10, $"{name}: exact divergence off the closed form by {worst}");
    }

    [Fact]
    public void The_exact_divergence_of_trained_and_image_networks_agrees_with_central_differences()
    {
        // Central differences of step δ = 1e-4 in float64 err by O(δ²·|∂³s|) plus rounding O(1e-16/δ): about 1e-8 here.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var data = PointDatasets.Generate("gauss2d", 512, 5);
        using var trainer = new DiffusionTrainer<double>(data.Points, null, new DiffusionTrainingOptions
        {
            Objective = DiffusionObjective.ScoreMatching(new VpLinearSchedule(), Prediction.Noise),
            Network = new NetworkSpec(NetworkKind.Mlp, 2, 32, 2), BatchSize = 32, LearningRate = 3e-3, EmaDecay = 0, Seed = 2, Threads = 1,
        });
        for (int k = 0; k < 30; k++) trainer.Step();
        output.WriteLine($"trained in {clock.ElapsedMilliseconds} ms");
        var resmlp = new DiffusionNetwork<double>(new NetworkSpec(NetworkKind.ResidualMlp, 4, 16, 2, Classes: 3), 3);
        var unet = new DiffusionNetwork<double>(new NetworkSpec(NetworkKind.Unet, 16, Width: 4, Depth: 2) { Image = new ImageShape(1, 4, 4), Groups = 2, Attention = false }, 4);
        (string Name, IDiffusionModel Model)[] cases =
        [
            ("trained mlp (dsm, eps)", trainer.Model()),
            ("resmlp, label 2 (edm)", new NetworkDiffusionModel<double>(resmlp, DiffusionObjective.Edm(), 2)),
            ("unet 1x4x4 (flow)", new NetworkDiffusionModel<double>(unet, DiffusionObjective.FlowMatching())),
        ];
        const int samples = 6;
        foreach (var (name, model) in cases)
        {
            Assert.IsAssignableFrom<IScoreDivergence>(model);
            int d = model.Dimension;
            var x = Points(samples, d, 0.8, 21);
            var exact = new double[samples];
            var central = new double[samples];
            double worst = 0, t = 0.4;
            ProbabilityFlowLikelihood.ScoreDivergence(model, t, x, exact, samples, DivergenceEstimator.Exact);
            ProbabilityFlowLikelihood.ScoreDivergence(new Opaque(model), t, x, central, samples, DivergenceEstimator.Exact);
            for (int s = 0; s < samples; s++) worst = Math.Max(worst, Math.Abs(exact[s] - central[s]) / Math.Max(1, Math.Abs(exact[s])));
            output.WriteLine($"{name}: ∇·s[0] = {exact[0]:G8}, worst relative gap to central differences {worst:G3} ({clock.ElapsedMilliseconds} ms)");
            Assert.True(worst < 1e-6, $"{name}: exact and central-difference divergences differ by {worst}");
        }
    }
}
