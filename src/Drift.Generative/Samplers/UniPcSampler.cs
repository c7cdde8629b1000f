using Drift.Generative.Grids;
using Drift.Numerics;
using Drift.Generative.Schedules;

namespace Drift.Generative.Samplers;

/// <summary>
/// UniPC (Zhao et al. 2023), data prediction, B(h) = e^{−h} − 1 ("bh2"): a multistep predictor UniP-p
/// followed by the corrector UniC, which reuses the model evaluation at the predicted point (so
/// NFE = 1 per step; the last step is not corrected).
/// </summary>
/// <remarks>
/// With h = λ_t − λ_{s₀}, r_k = (λ_{s_k} − λ_{s₀})/h for past points k = 1..p−1, D1_k = (D_k − D₀)/r_k and
/// x̄ = (σ_t/σ_s)x − α_t(e^{−h} − 1)D₀: predictor x_t = x̄ − α_tB(h)Σρᵖ_k D1_k; corrector
/// x_t^c = x̄ − α_tB(h)(Σρᶜ_k D1_k + ρᶜ_p(D(x_t, t) − D₀)). The ρ solve R ρ = b with R_{ik} = r_k^{i}
/// (r_p = 1) and b_i = i!·h φ_{i+1}(−h)/B(h), hφ_{k+1} built by hφ_{k+1} = hφ_k/(−h) − 1/k!; for p = 2
/// the predictor uses ρᵖ = ½ and for p = 1 the corrector ρᶜ = ½ (the paper's choices).
/// </remarks>
public sealed class UniPcSampler : DiffusionSampler
{
    /// <summary>Creates UniPC of predictor order <paramref name="order"/> (1–3).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Order outside 1..3.</exception>
    public UniPcSampler(int order = 2)
    {
        if (order is < 1 or > 3) throw new ArgumentOutOfRangeException(nameof(order), order, "UniPC order must be 1, 2 or 3.");
        Order = order;
    }

    /// <summary>Predictor order p.</summary>
    public int Order { get; }
    /// <inheritdoc/>
    public override string Name => Order == 2 ? "unipc" : $"unipc-{Order}";
    /// <inheritdoc/>
    public override bool IsStochastic => false;
    /// <inheritdoc/>
    protected internal override int BufferCount => 6;
    /// <inheritdoc/>
    public override int Evaluations(SamplingGrid grid) => grid.Steps;

    /// <inheritdoc/>
    protected internal override void Integrate(SamplerContext context, Span<double> x)
    {
        var g = context.Grid;
        int n = g.Steps;
        int[] slot = [0, 1, 2, 3]; // slot[k] = D_k (k = 0 current), slot[3] = new prediction D_t
        Span<double> xbar = context.Buffer(4), acc = context.Buffer(5);
        Span<double> rks = stackalloc double[4];
        Span<double> rhoP = stackalloc double[4];
        Span<double> rhoC = stackalloc double[4];
        context.Data(g.Time(0), x, context.Buffer(slot[0]));
        for (int i = 0; i < n; i++)
        {
            var d0 = context.Buffer(slot[0]);
            if (i == n - 1 && g.EndsAtZeroNoise)
            {
                DenoiseStep(context, x, d0, evaluate: false);
                break;
            }
            int p = MultistepOrder.At(Order, i, n);
            double l0 = g.LogSnr(i), h = g.LogSnr(i + 1) - l0;
            double sS = g.Sigma(i), aT = g.Alpha(i + 1), sT = g.Sigma(i + 1);
            double hh = -h, hPhi1 = NoiseSchedule.ExpM1(hh), bh = hPhi1;
            for (int k = 1; k < p; k++) rks[k - 1] = (g.LogSnr(i - k) - l0) / h;
            rks[p - 1] = 1;
            Coefficients(rks[..p], hh, hPhi1, bh, rhoP, rhoC, p);
            Dense.Combine(xbar, sS == 0 ? 0 : sT / sS, x, -aT * hPhi1, d0);
            // Predictor: x = x̄ − α_t B Σ_k ρᵖ_k D1_k, D1_k = (D_k − D₀)/r_k.
            x.Clear();
            Dense.Axpy(1.0, xbar, x);
            for (int k = 1; k < p; k++)
            {
                double c = -aT * bh * rhoP[k - 1] / rks[k - 1];
                Dense.Combine(x, 1.0, x, c, context.Buffer(slot[k]));
                Dense.Axpy(-c, d0, x);
            }
            if (i == n - 1) break; // no corrector on the last step (it would cost an evaluation)
            var dt = context.Buffer(slot[3]);
            context.Data(g.Time(i + 1), x, dt);
            // Corrector: x = x̄ − α_t B (Σ_{k<p} ρᶜ_k D1_k + ρᶜ_p (D_t − D₀)).
            acc.Clear();
            for (int k = 1; k < p; k++)
            {
                double c = rhoC[k - 1] / rks[k - 1];
                Dense.Combine(acc, 1.0, acc, c, context.Buffer(slot[k]));
                Dense.Axpy(-c, d0, acc);
            }
            Dense.Combine(acc, 1.0, acc, rhoC[p - 1], dt);
            Dense.Axpy(-rhoC[p - 1], d0, acc);
            Dense.Combine(x, 1.0, xbar, -aT * bh, acc);
            // Rotate: D_t becomes D₀, D₀ becomes D₁, …
            (slot[0], slot[1], slot[2], slot[3]) = (slot[3], slot[0], slot[1], slot[2]);
        }
    }

    private static void Coefficients(ReadOnlySpan<double> rks, double hh, double hPhi1, double bh, Span<double> rhoP, Span<double> rhoC, int p)
    {
        Span<double> b = stackalloc double[4];
        Span<double> r = stackalloc double[16];
        double hPhiK = hPhi1 / hh - 1, factorial = 1;
        for (int i = 1; i <= p; i++)
        {
            for (int k = 0; k < p; k++) r[(i - 1) * 4 + k] = Math.Pow(rks[k], i - 1);
            b[i - 1] = hPhiK * factorial / bh;
            factorial *= i + 1;
            hPhiK = hPhiK / hh - 1 / factorial;
        }
        if (p == 1) rhoC[0] = 0.5;
        else Solve(r, b, rhoC, p);
        if (p == 2) rhoP[0] = 0.5;
        else if (p == 3) Solve(r, b, rhoP, p - 1);
    }

    /// <summary>Solves the leading n×n block of the row-major (stride 4) system by Gaussian elimination with partial pivoting.</summary>
    private static void Solve(ReadOnlySpan<double> matrix, ReadOnlySpan<double> rhs, Span<double> result, int n)
    {
        Span<double> a = stackalloc double[16];
        Span<double> y = stackalloc double[4];
        matrix.CopyTo(a);
        rhs[..n].CopyTo(y);
        for (int c = 0; c < n; c++)
        {
            int piv = c;
            for (int k = c + 1; k < n; k++) if (Math.Abs(a[k * 4 + c]) > Math.Abs(a[piv * 4 + c])) piv = k;
            if (piv != c)
            {
                for (int k = 0; k < n; k++) (a[c * 4 + k], a[piv * 4 + k]) = (a[piv * 4 + k], a[c * 4 + k]);
                (y[c], y[piv]) = (y[piv], y[c]);
            }
            for (int k = c + 1; k < n; k++)
            {
                double f = a[k * 4 + c] / a[c * 4 + c];
                for (int j = c; j < n; j++) a[k * 4 + j] -= f * a[c * 4 + j];
                y[k] -= f * y[c];
            }
        }
        for (int c = n - 1; c >= 0; c--)
        {
            double s = y[c];
            for (int j = c + 1; j < n; j++) s -= a[c * 4 + j] * result[j];
            result[c] = s / a[c * 4 + c];
        }
    }
}
