using Drift.Generative.Models;
using Drift.Random;

namespace Drift.Generative.Likelihood;

/// <summary>
/// log p_ε(x) through the probability-flow ODE (Song et al. 2021, §D.2; Chen et al. 2018):
/// integrate dx/dt = v(t, x) = f x − ½g² s from ε to T together with dℓ/dt = ∇·v = d·f − ½g²∇·s, then
/// log p_ε(x) = log p_T(x_T) + ℓ(T), with p_T the caller's prior density (or the oracle's exact p_T).
/// Fixed-step classical RK4 on a grid uniform in logSNR (swap in an adaptive integrator later).
/// </summary>
public static class ProbabilityFlowLikelihood
{
    /// <summary>
    /// Computes ℓ = ∫_ε^T ∇·v dt along each sample's flow and the end states x_T, so that
    /// log p_ε(x) = log p_T(x_T) + ℓ.
    /// </summary>
    /// <param name="model">The model.</param>
    /// <param name="x">Samples × d points at time <paramref name="start"/>; overwritten with x_T.</param>
    /// <param name="samples">Rows.</param>
    /// <param name="start">ε, the time of the data.</param>
    /// <param name="end">T.</param>
    /// <param name="steps">RK4 steps (uniform in λ).</param>
    /// <param name="estimator">Divergence method.</param>
    /// <param name="probes">Hutchinson probes per evaluation (fixed per sample along the flow).</param>
    /// <param name="seed">Probe seed: probe p of sample s is draw row p of stream s.</param>
    /// <returns>ℓ per sample.</returns>
    /// <exception cref="ArgumentException">Bad sizes, times or counts.</exception>
    public static double[] IntegrateDivergence(IDiffusionModel model, Span<double> x, int samples, double start, double end, int steps,
        DivergenceEstimator estimator = DivergenceEstimator.Exact, int probes = 1, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        var sch = model.Schedule;
        sch.CheckTime(start, nameof(start));
        sch.CheckTime(end, nameof(end));
        if (!(end > start) || !(sch.Sigma(start) > 0)) throw new ArgumentException($"need σ(start) > 0 and end > start, got {start}, {end}.", nameof(end));
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(probes, 1);
        int d = model.Dimension, n = samples * d;
        if (x.Length < n) throw new ArgumentException($"x needs {n} values.", nameof(x));
        var w = new Workspace(d, samples, probes, estimator, seed);
        var ell = new double[samples];
        double l0 = sch.LogSnr(start), l1 = sch.LogSnr(end);
        var k = new double[4][];
        var kl = new double[4][];
        for (int i = 0; i < 4; i++) { k[i] = new double[n]; kl[i] = new double[samples]; }
        var stage = new double[n];
        for (int i = 0; i < steps; i++)
        {
            double ta = sch.TimeOfLogSnr(l0 + (l1 - l0) * i / steps), tb = i == steps - 1 ? end : sch.TimeOfLogSnr(l0 + (l1 - l0) * (i + 1) / steps);
            if (i == 0) ta = start;
            double h = tb - ta;
            Velocity(model, w, ta, x, k[0], kl[0], samples);
            for (int j = 0; j < n; j++) stage[j] = x[j] + 0.5 * h * k[0][j];
            Velocity(model, w, ta + 0.5 * h, stage, k[1], kl[1], samples);
            for (int j = 0; j < n; j++) stage[j] = x[j] + 0.5 * h * k[1][j];
            Velocity(model, w, ta + 0.5 * h, stage, k[2], kl[2], samples);
            for (int j = 0; j < n; j++) stage[j] = x[j] + h * k[2][j];
            Velocity(model, w, tb, stage, k[3], kl[3], samples);
            for (int j = 0; j < n; j++) x[j] += h / 6 * (k[0][j] + 2 * k[1][j] + 2 * k[2][j] + k[3][j]);
            for (int s = 0; s < samples; s++) ell[s] += h / 6 * (kl[0][s] + 2 * kl[1][s] + 2 * kl[2][s] + kl[3][s]);
        }
        return ell;
    }

    /// <summary>∇·s at one time for a batch, by the chosen estimator (exposed for variance studies).</summary>
    public static void ScoreDivergence(IDiffusionModel model, double t, ReadOnlySpan<double> x, Span<double> divergence, int samples,
        DivergenceEstimator estimator, int probes = 1, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        var w = new Workspace(model.Dimension, samples, probes, estimator, seed);
        Divergence(model, w, t, x, divergence, samples);
    }

    private static void Velocity(IDiffusionModel model, Workspace w, double t, ReadOnlySpan<double> x, Span<double> v, Span<double> dl, int samples)
    {
        var sch = model.Schedule;
        int d = model.Dimension, n = samples * d;
        model.Evaluate(t, x, v, samples);
        PredictionConverter.Convert(sch, t, x[..n], v[..n], model.Prediction, Prediction.Score);
        double f = sch.DriftCoefficient(t), half = 0.5 * sch.DiffusionSquared(t);
        for (int j = 0; j < n; j++) v[j] = f * x[j] - half * v[j];
        Divergence(model, w, t, x, dl, samples);
        for (int s = 0; s < samples; s++) dl[s] = d * f - half * dl[s];
    }

    private static void Divergence(IDiffusionModel model, Workspace w, double t, ReadOnlySpan<double> x, Span<double> div, int samples)
    {
        int d = model.Dimension, n = samples * d;
        if (w.Estimator == DivergenceEstimator.Exact && model is IScoreDivergence exact)
        {
            exact.ScoreDivergence(t, x, div, samples);
            return;
        }
        div[..samples].Clear();
        bool axes = w.Estimator == DivergenceEstimator.Exact;
        int count = axes ? d : w.Probes;
        for (int p = 0; p < count; p++)
        {
            // Probe rows v (samples × d): an axis, or probe p of each sample.
            for (int s = 0; s < samples; s++)
                for (int j = 0; j < d; j++)
                    w.Probe[s * d + j] = axes ? (j == p ? 1 : 0) : w.ProbeValue(s, p, j, d);
            double delta = 1e-4 * Math.Max(1, model.Schedule.Sigma(t));
            for (int j = 0; j < n; j++) { w.Plus[j] = x[j] + delta * w.Probe[j]; w.Minus[j] = x[j] - delta * w.Probe[j]; }
            Score(model, t, w.Plus, w.SPlus, samples);
            Score(model, t, w.Minus, w.SMinus, samples);
            for (int s = 0; s < samples; s++)
            {
                double acc = 0;
                for (int j = 0; j < d; j++) acc += w.Probe[s * d + j] * (w.SPlus[s * d + j] - w.SMinus[s * d + j]);
                div[s] += acc / (2 * delta) / (axes ? 1 : count);
            }
        }
    }

    private static void Score(IDiffusionModel model, double t, double[] x, double[] s, int samples)
    {
        int n = samples * model.Dimension;
        model.Evaluate(t, x.AsSpan(0, n), s.AsSpan(0, n), samples);
        PredictionConverter.Convert(model.Schedule, t, x.AsSpan(0, n), s.AsSpan(0, n), model.Prediction, Prediction.Score);
    }

    private sealed class Workspace(int d, int samples, int probes, DivergenceEstimator estimator, ulong seed)
    {
        public readonly double[] Probe = new double[d * samples];
        public readonly double[] Plus = new double[d * samples];
        public readonly double[] Minus = new double[d * samples];
        public readonly double[] SPlus = new double[d * samples];
        public readonly double[] SMinus = new double[d * samples];
        public readonly int Probes = probes;
        public readonly DivergenceEstimator Estimator = estimator;
        private readonly PhiloxNormals _normals = new(SeedMixer.Derive(seed, 30));
        private readonly PhiloxUniforms _uniforms = new(SeedMixer.Derive(seed, 31));

        public double ProbeValue(int sample, int probe, int j, int dim)
        {
            ulong draw = (ulong)(probe * dim + j);
            return Estimator == DivergenceEstimator.HutchinsonGaussian
                ? _normals.Draw((ulong)sample, draw)
                : _uniforms.Draw((ulong)sample, draw) < 0.5 ? -1 : 1;
        }
    }
}
