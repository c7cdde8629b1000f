using Drift.Generative.Grids;
using Drift.Numerics;
using Drift.Generative.Schedules;

namespace Drift.Generative.Samplers;

/// <summary>
/// Multistep DPM-Solver++ (Lu et al. 2022b) with data prediction D: orders 1–3 for the
/// probability-flow ODE (2M, 3M) and orders 1–2 for the reverse SDE (SDE-DPM-Solver++(2M)).
/// With h = λ_t − λ_{s₀}, h_j = λ_{s_j} − λ_{s_{j+1}}, r_j = h_j/h and D_j the predictions at past
/// times s₀ (current) &gt; s₁ &gt; s₂ in noise:
/// <list type="bullet">
/// <item>ODE order 2 (2M): x_t = (σ_t/σ_s)x − α_t(e^{−h} − 1)((1 + 1/(2r₀))D₀ − D₁/(2r₀)).</item>
/// <item>ODE order 3 (3M): x_t = (σ_t/σ_s)x − α_t(e^{−h} − 1)D₀ + α_tφ₂Δ₁ − 2α_tφ₃Δ₂ with
/// φ₂ = (e^{−h} − 1)/h + 1, φ₃ = φ₂/h − ½, D1_j = (D_j − D_{j+1})/r_j, Δ₁ = D1₀ + r₀/(r₀ + r₁)(D1₀ − D1₁),
/// Δ₂ = (D1₀ − D1₁)/(r₀ + r₁).</item>
/// <item>SDE (midpoint form): x_t = (σ_t/σ_s)e^{−h}x + α_t(1 − e^{−2h})(D₀ + ½(D₀ − D₁)/r₀) + σ_t√(1 − e^{−2h})z.</item>
/// </list>
/// The Δ₂ coefficient 2φ₃ is the exact Taylor coefficient: Δ₂ ≈ h²D″/2 and the exponential integral of
/// the quadratic term is α_t(h²/2 − h + 1 − e^{−h})D″ = −2α_tφ₃·(h²D″/2). (The reference implementations
/// multiply Δ₂ by φ₃ alone, which leaves an O(h³) local error; the order test measures both.)
/// NFE = 1 per step.
/// </summary>
public sealed class DpmSolverPlusPlusMultistepSampler : DiffusionSampler
{
    /// <summary>Creates the sampler.</summary>
    /// <param name="order">1, 2 or 3 (at most 2 when <paramref name="stochastic"/>).</param>
    /// <param name="stochastic">Integrate the reverse SDE (SDE-DPM-Solver++) instead of the ODE.</param>
    /// <param name="referenceThirdOrderCoefficient">Use the reference repositories' φ₃ (instead of 2φ₃) on Δ₂ in 3M.</param>
    /// <exception cref="ArgumentOutOfRangeException">Unsupported order.</exception>
    public DpmSolverPlusPlusMultistepSampler(int order, bool stochastic = false, bool referenceThirdOrderCoefficient = false)
    {
        if (order is < 1 or > 3 || (stochastic && order > 2))
            throw new ArgumentOutOfRangeException(nameof(order), order, "DPM-Solver++ multistep supports orders 1–3 (ODE) or 1–2 (SDE).");
        Order = order;
        Stochastic = stochastic;
        ReferenceThirdOrderCoefficient = referenceThirdOrderCoefficient;
    }

    /// <summary>Order.</summary>
    public int Order { get; }
    /// <summary>Whether the reverse SDE is integrated.</summary>
    public bool Stochastic { get; }
    /// <summary>Whether 3M uses the reference repositories' φ₃ coefficient on Δ₂.</summary>
    public bool ReferenceThirdOrderCoefficient { get; }

    /// <inheritdoc/>
    public override string Name => Stochastic ? $"sde-dpmpp-{Order}m" : $"dpmpp-{Order}m";
    /// <inheritdoc/>
    public override bool IsStochastic => Stochastic;
    /// <inheritdoc/>
    protected internal override int BufferCount => 4;
    /// <inheritdoc/>
    public override int Evaluations(SamplingGrid grid) => grid.Steps;

    /// <inheritdoc/>
    protected internal override void Integrate(SamplerContext context, Span<double> x)
    {
        var g = context.Grid;
        // Ring of the last three data predictions.
        Span<double> tmp = context.Buffer(3);
        int n = g.Steps;
        int[] slot = [0, 1, 2]; // slot[0] = current D₀, slot[1] = D₁, slot[2] = D₂
        for (int i = 0; i < n; i++)
        {
            var d0 = context.Buffer(slot[0]);
            if (i == n - 1 && g.EndsAtZeroNoise)
            {
                DenoiseStep(context, x, d0, evaluate: true);
                break;
            }
            context.Data(g.Time(i), x, d0);
            var d1 = context.Buffer(slot[1]);
            var d2 = context.Buffer(slot[2]);
            int p = MultistepOrder.At(Order, i, n);
            double l0 = g.LogSnr(i), h = g.LogSnr(i + 1) - l0;
            double sS = g.Sigma(i), aT = g.Alpha(i + 1), sT = g.Sigma(i + 1);
            double em1 = NoiseSchedule.ExpM1(-h);
            if (Stochastic)
            {
                double e2 = -NoiseSchedule.ExpM1(-2 * h);
                double cx = sT / sS * Math.Exp(-h), cd = aT * e2, cz = sT * Math.Sqrt(e2);
                var z = context.Noise(i, 0);
                if (p == 1)
                    Dense.Combine(x, cx, x, cd, d0, cz, z);
                else
                {
                    double r0 = (l0 - g.LogSnr(i - 1)) / h;
                    // D₀ + ½(D₀ − D₁)/r₀
                    Dense.Combine(tmp, 1 + 0.5 / r0, d0, -0.5 / r0, d1);
                    Dense.Combine(x, cx, x, cd, tmp, cz, z);
                }
            }
            else if (p == 1)
                Dense.Combine(x, sT / sS, x, -aT * em1, d0);
            else if (p == 2)
            {
                double r0 = (l0 - g.LogSnr(i - 1)) / h;
                double c = -aT * em1;
                Dense.Combine(x, sT / sS, x, c * (1 + 1 / (2 * r0)), d0, -c / (2 * r0), d1);
            }
            else
            {
                double r0 = (l0 - g.LogSnr(i - 1)) / h, r1 = (g.LogSnr(i - 1) - g.LogSnr(i - 2)) / h;
                double phi2 = em1 / h + 1, phi3 = phi2 / h - 0.5;
                double k3 = ReferenceThirdOrderCoefficient ? phi3 : 2 * phi3;
                // D1₀ = (D₀ − D₁)/r₀, D1₁ = (D₁ − D₂)/r₁; Δ₁ = D1₀ + r₀/(r₀+r₁)(D1₀ − D1₁); Δ₂ = (D1₀ − D1₁)/(r₀+r₁)
                // x = (σ_t/σ_s)x − α_t em1 D₀ + α_t φ₂ Δ₁ − α_t k₃ Δ₂, expanded into D₀, D₁, D₂ coefficients.
                double a0 = 1 / r0, a1 = -1 / r0;             // D1₀ = a0 D₀ + a1 D₁
                double b1 = 1 / r1, b2 = -1 / r1;             // D1₁ = b1 D₁ + b2 D₂
                double w = r0 / (r0 + r1), v = 1 / (r0 + r1);
                // Δ₁ = (1+w)D1₀ − w D1₁ ; Δ₂ = v D1₀ − v D1₁
                double c0 = aT * phi2 * (1 + w) * a0 - aT * k3 * v * a0;
                double c1 = aT * phi2 * ((1 + w) * a1 - w * b1) - aT * k3 * v * (a1 - b1);
                double c2 = aT * phi2 * (-w * b2) - aT * k3 * v * (-b2);
                Dense.Combine(tmp, -aT * em1 + c0, d0, c1, d1, c2, d2);
                Dense.Combine(x, sT / sS, x, 1.0, tmp);
            }
            // Rotate: the current prediction becomes D₁.
            (slot[0], slot[1], slot[2]) = (slot[2], slot[0], slot[1]);
        }
    }
}
