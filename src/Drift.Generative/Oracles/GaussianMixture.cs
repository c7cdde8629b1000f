using Drift.Generative.Models;
using Drift.Numerics;
using Drift.Generative.Schedules;
using Drift.Random;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Drift.Generative.Oracles;

/// <summary>
/// A Gaussian mixture p₀ = Σ_k π_k N(μ_k, Σ_k) with full covariances, and the exact law of its noised
/// versions: under x_t = α x₀ + σ ε, p_t = Σ_k π_k N(α μ_k, α²Σ_k + σ²I). The oracle every sampler
/// test uses: exact score, denoiser, log-density, score divergence and samples of p_t, in any dimension.
/// </summary>
/// <remarks>
/// <para>Each Σ_k is diagonalised once, Σ_k = U_k Λ_k U_kᵀ, so C_k(t) = α²Σ_k + σ²I = U_k(α²Λ_k + σ²)U_kᵀ
/// needs no factorisation per time. For z_k = U_kᵀ(x − αμ_k) and v_k = α²Λ_k + σ²:
/// log N_k = −½Σ z²/v − ½Σ log v − (d/2)log 2π; responsibilities r_k = softmax_k(log π_k + log N_k)
/// by log-sum-exp; score s = −Σ_k r_k U_k(z_k/v_k); denoiser (Tweedie) E[x₀|x_t] = (x + σ²s)/α;
/// ∇·s = Σ_k r_k(|s_k|² − Σ 1/v_k) − |s|². A component with a singular Σ_k is allowed while σ &gt; 0.</para>
/// <para>Batches are sample-major (samples × d). Methods allocate O(K·d) scratch per call, never per sample.
/// Instances are immutable and thread-safe.</para>
/// </remarks>
public sealed class GaussianMixture
{
    private readonly double[] _logWeights;
    private readonly double[][] _means;
    private readonly double[][] _covariances;
    private readonly double[][] _eigenvalues;
    private readonly double[][] _u;   // U_k row-major (eigenvectors in columns)
    private readonly double[][] _ut;  // U_kᵀ row-major
    private readonly double[][] _rotatedMeans; // U_kᵀμ_k

    /// <summary>Creates the mixture.</summary>
    /// <param name="weights">Mixture weights π_k ≥ 0 (normalised here; at least one positive).</param>
    /// <param name="means">Component means μ_k, each of length d.</param>
    /// <param name="covariances">Component covariances Σ_k, each row-major d×d, symmetric positive semi-definite.</param>
    /// <exception cref="ArgumentException">Shapes disagree, a value is not finite, a covariance is not symmetric or has a negative eigenvalue.</exception>
    public GaussianMixture(IReadOnlyList<double> weights, IReadOnlyList<double[]> means, IReadOnlyList<double[]> covariances)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(means);
        ArgumentNullException.ThrowIfNull(covariances);
        int k = weights.Count;
        if (k == 0) throw new ArgumentException("a mixture needs at least one component.", nameof(weights));
        if (means.Count != k || covariances.Count != k)
            throw new ArgumentException($"got {k} weights, {means.Count} means and {covariances.Count} covariances.", nameof(means));
        int d = means[0].Length;
        if (d == 0) throw new ArgumentException("dimension must be at least 1.", nameof(means));
        double total = 0;
        foreach (double w in weights)
        {
            if (!(w >= 0) || !double.IsFinite(w)) throw new ArgumentException($"weights must be finite and non-negative, got {w}.", nameof(weights));
            total += w;
        }
        if (!(total > 0)) throw new ArgumentException("at least one weight must be positive.", nameof(weights));
        Dimension = d;
        ComponentCount = k;
        Weights = weights.Select(w => w / total).ToArray();
        _logWeights = Weights.Select(w => Math.Log(w)).ToArray();
        _means = new double[k][];
        _covariances = new double[k][];
        _eigenvalues = new double[k][];
        _u = new double[k][];
        _ut = new double[k][];
        _rotatedMeans = new double[k][];
        for (int c = 0; c < k; c++)
        {
            if (means[c].Length != d) throw new ArgumentException($"mean {c} has length {means[c].Length}, expected {d}.", nameof(means));
            if (covariances[c].Length != d * d) throw new ArgumentException($"covariance {c} has {covariances[c].Length} entries, expected {d * d}.", nameof(covariances));
            if (means[c].Any(v => !double.IsFinite(v))) throw new ArgumentException($"mean {c} has a non-finite entry.", nameof(means));
            var cov = covariances[c];
            double scale = 0;
            for (int i = 0; i < d * d; i++)
            {
                if (!double.IsFinite(cov[i])) throw new ArgumentException($"covariance {c} has a non-finite entry.", nameof(covariances));
                scale = Math.Max(scale, Math.Abs(cov[i]));
            }
            for (int i = 0; i < d; i++)
                for (int j = 0; j < i; j++)
                    if (Math.Abs(cov[i * d + j] - cov[j * d + i]) > 1e-12 * Math.Max(scale, 1))
                        throw new ArgumentException($"covariance {c} is not symmetric at ({i}, {j}).", nameof(covariances));
            var (values, vectors) = SymmetricEigen.Decompose(cov, d);
            for (int i = 0; i < d; i++)
            {
                if (values[i] < -1e-10 * Math.Max(scale, 1))
                    throw new ArgumentException($"covariance {c} is not positive semi-definite (eigenvalue {values[i]}).", nameof(covariances));
                values[i] = Math.Max(values[i], 0);
            }
            _means[c] = (double[])means[c].Clone();
            _covariances[c] = (double[])cov.Clone();
            _eigenvalues[c] = values;
            _u[c] = vectors;
            var ut = new double[d * d];
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++) ut[j * d + i] = vectors[i * d + j];
            _ut[c] = ut;
            var rm = new double[d];
            for (int j = 0; j < d; j++) rm[j] = Dense.Dot(ut.AsSpan(j * d, d), _means[c]);
            _rotatedMeans[c] = rm;
        }
    }

    /// <summary>Data dimension d.</summary>
    public int Dimension { get; }

    /// <summary>Number of components K.</summary>
    public int ComponentCount { get; }

    /// <summary>Normalised weights π_k.</summary>
    public IReadOnlyList<double> Weights { get; }

    /// <summary>Mean μ_k of component <paramref name="k"/>.</summary>
    public ReadOnlySpan<double> ComponentMean(int k) => _means[k];

    /// <summary>Covariance Σ_k of component <paramref name="k"/>, row-major.</summary>
    public ReadOnlySpan<double> ComponentCovariance(int k) => _covariances[k];

    /// <summary>The mean of p_t: α·Σ_k π_k μ_k.</summary>
    public double[] Mean(double alpha = 1)
    {
        var m = new double[Dimension];
        for (int k = 0; k < ComponentCount; k++)
            for (int i = 0; i < Dimension; i++) m[i] += alpha * Weights[k] * _means[k][i];
        return m;
    }

    /// <summary>The covariance of p_t, row-major: Σ_k π_k(α²Σ_k + σ²I + α²μ_kμ_kᵀ) − m mᵀ with m the mean of p_t.</summary>
    public double[] Covariance(double alpha = 1, double sigma = 0)
    {
        int d = Dimension;
        var m = Mean(alpha);
        var c = new double[d * d];
        for (int k = 0; k < ComponentCount; k++)
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++)
                    c[i * d + j] += Weights[k] * alpha * alpha * (_covariances[k][i * d + j] + _means[k][i] * _means[k][j]);
        for (int i = 0; i < d; i++)
        {
            c[i * d + i] += sigma * sigma;
            for (int j = 0; j < d; j++) c[i * d + j] -= m[i] * m[j];
        }
        return c;
    }

    /// <summary>The score ∇ log p_t(x) for each sample, and optionally log p_t(x).</summary>
    /// <param name="alpha">Signal scale α &gt; 0 (α = 0 is allowed: p_t is then N(0, σ²I)).</param>
    /// <param name="sigma">Noise scale σ ≥ 0.</param>
    /// <param name="x">Points, <paramref name="samples"/> rows of d values.</param>
    /// <param name="score">Output rows (may be empty to skip).</param>
    /// <param name="samples">Number of rows.</param>
    /// <param name="logDensity">Optional output: log p_t per row.</param>
    /// <param name="divergence">Optional output: ∇·s = Δ log p_t per row.</param>
    /// <exception cref="ArgumentException">Bad scales or spans too short.</exception>
    public void Score(double alpha, double sigma, ReadOnlySpan<double> x, Span<double> score, int samples,
        Span<double> logDensity = default, Span<double> divergence = default)
    {
        var scratch = new MixtureScratch(this);
        Evaluate(alpha, sigma, x, score, samples, logDensity, divergence, scratch);
    }

    /// <summary>The exact denoiser E[x₀ | x_t = x] = (x + σ²∇log p_t(x))/α per sample.</summary>
    public void Denoise(double alpha, double sigma, ReadOnlySpan<double> x, Span<double> x0, int samples)
    {
        Score(alpha, sigma, x, x0, samples);
        int n = samples * Dimension;
        for (int i = 0; i < n; i++) x0[i] = (x[i] + sigma * sigma * x0[i]) / alpha;
    }

    /// <summary>log p_t at one point.</summary>
    public double LogDensity(double alpha, double sigma, ReadOnlySpan<double> point)
    {
        Span<double> r = stackalloc double[1];
        Score(alpha, sigma, point, default, 1, r);
        return r[0];
    }

    /// <summary>The posterior component probabilities r_k = P(component k | x_t = <paramref name="point"/>).</summary>
    public void Responsibilities(double alpha, double sigma, ReadOnlySpan<double> point, Span<double> responsibilities)
    {
        if (responsibilities.Length < ComponentCount)
            throw new ArgumentException($"need {ComponentCount} outputs.", nameof(responsibilities));
        if (point.Length < Dimension) throw new ArgumentException($"point needs {Dimension} values.", nameof(point));
        CheckScales(alpha, sigma);
        var scratch = new MixtureScratch(this);
        scratch.Prepare(this, alpha, sigma);
        Responsibilities(alpha, point[..Dimension], scratch, responsibilities);
    }

    /// <summary>
    /// Exact samples of p_t: sample s picks component k with probability π_k from uniform draw 0 of
    /// stream s, then x₀ = μ_k + U_kΛ_k^{1/2}z and x_t = αx₀ + σε from normal draws 0..2d−1 of stream s;
    /// so sample s is a pure function of (seed, s).
    /// </summary>
    /// <param name="alpha">Signal scale α.</param>
    /// <param name="sigma">Noise scale σ.</param>
    /// <param name="seed">Seed.</param>
    /// <param name="firstSample">Stream index of the first row.</param>
    /// <param name="destination">Output rows.</param>
    /// <param name="samples">Number of rows.</param>
    public void Sample(double alpha, double sigma, ulong seed, long firstSample, Span<double> destination, int samples)
    {
        CheckScales(alpha, sigma);
        ArgumentOutOfRangeException.ThrowIfNegative(firstSample);
        int d = Dimension;
        if (destination.Length < samples * d) throw new ArgumentException($"destination needs {samples * d} values.", nameof(destination));
        var uniforms = new PhiloxUniforms(SeedMixer.Derive(seed, 20));
        var normals = new PhiloxNormals(SeedMixer.Derive(seed, 21));
        Span<double> z = d <= 256 ? stackalloc double[2 * d] : new double[2 * d];
        for (int s = 0; s < samples; s++)
        {
            ulong stream = (ulong)(firstSample + s);
            int k = Component(uniforms.Draw(stream, 0));
            normals.FillStream(stream, 0, z);
            var row = destination.Slice(s * d, d);
            var ev = _eigenvalues[k];
            for (int j = 0; j < d; j++) z[j] *= Math.Sqrt(ev[j]);
            var uk = _u[k];
            for (int i = 0; i < d; i++)
                row[i] = alpha * (_means[k][i] + Dense.Dot(uk.AsSpan(i * d, d), z[..d])) + sigma * z[d + i];
        }
    }

    /// <summary>
    /// The component each row of <see cref="Sample"/> with the same <paramref name="seed"/> and <paramref name="firstSample"/>
    /// is drawn from (the class label of an exact sample).
    /// </summary>
    /// <exception cref="ArgumentException">A negative first sample, or a destination shorter than <paramref name="samples"/>.</exception>
    public void SampleComponents(ulong seed, long firstSample, Span<int> destination, int samples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstSample);
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        if (destination.Length < samples) throw new ArgumentException($"destination needs {samples} values.", nameof(destination));
        var uniforms = new PhiloxUniforms(SeedMixer.Derive(seed, 20));
        for (int s = 0; s < samples; s++) destination[s] = Component(uniforms.Draw((ulong)(firstSample + s), 0));
    }

    /// <summary>The component k with Σ_{i&lt;k} π_i ≤ u &lt; Σ_{i≤k} π_i (the last one for round-off).</summary>
    private int Component(double u)
    {
        int k = 0;
        double cum = Weights[0];
        while (u >= cum && k < ComponentCount - 1) cum += Weights[++k];
        return k;
    }

    /// <summary>The mixture of x₀ + <paramref name="shift"/>.</summary>
    public GaussianMixture Translate(ReadOnlySpan<double> shift)
    {
        if (shift.Length != Dimension) throw new ArgumentException($"shift needs {Dimension} values.", nameof(shift));
        var s = shift.ToArray();
        return new GaussianMixture(Weights, _means.Select(m => m.Select((v, i) => v + s[i]).ToArray()).ToArray(), _covariances);
    }

    /// <summary>The mixture restricted to the given components, weights renormalised (the class-conditional law of a labelled mixture).</summary>
    public GaussianMixture Select(IReadOnlyList<int> components)
    {
        ArgumentNullException.ThrowIfNull(components);
        foreach (int c in components)
            if (c < 0 || c >= ComponentCount) throw new ArgumentOutOfRangeException(nameof(components), c, $"component index must lie in [0, {ComponentCount}).");
        return new GaussianMixture(components.Select(c => Weights[c]).ToArray(), components.Select(c => _means[c]).ToArray(), components.Select(c => _covariances[c]).ToArray());
    }

    /// <summary>
    /// The exact conditional law of the unknown coordinates given x₀[known] = values: again a mixture,
    /// with μ_{u|k} = μ_u + Σ_{uk}Σ_{kk}⁻¹(v − μ_k), Σ_{u|k} = Σ_{uu} − Σ_{uk}Σ_{kk}⁻¹Σ_{ku} and weights
    /// ∝ π_k N(v; μ_k, Σ_kk). Coordinates of the result are the unknown ones in increasing order.
    /// </summary>
    /// <exception cref="ArgumentException">Indices repeat, are out of range, or leave nothing unknown.</exception>
    public GaussianMixture Condition(IReadOnlyList<int> known, IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(known);
        ArgumentNullException.ThrowIfNull(values);
        int d = Dimension;
        if (known.Count != values.Count) throw new ArgumentException($"{known.Count} indices but {values.Count} values.", nameof(values));
        if (known.Distinct().Count() != known.Count || known.Any(i => i < 0 || i >= d))
            throw new ArgumentException($"known indices must be distinct and in [0, {d}).", nameof(known));
        int[] unknown = Enumerable.Range(0, d).Where(i => !known.Contains(i)).ToArray();
        if (unknown.Length == 0) throw new ArgumentException("every coordinate is known; nothing to condition.", nameof(known));
        int m = known.Count, u = unknown.Length;
        var logW = new double[ComponentCount];
        var newMeans = new double[ComponentCount][];
        var newCovs = new double[ComponentCount][];
        for (int c = 0; c < ComponentCount; c++)
        {
            var cov = _covariances[c];
            var kk = new double[m * m];
            for (int i = 0; i < m; i++)
                for (int j = 0; j < m; j++) kk[i * m + j] = cov[known[i] * d + known[j]];
            var (ev, vec) = SymmetricEigen.Decompose(kk, m);
            // Σ_kk⁻¹ = V diag(1/ev) Vᵀ
            var inv = new double[m * m];
            double logDet = 0;
            for (int l = 0; l < m; l++)
            {
                if (!(ev[l] > 0)) throw new ArgumentException($"component {c} is degenerate on the known coordinates.", nameof(known));
                logDet += Math.Log(ev[l]);
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < m; j++) inv[i * m + j] += vec[i * m + l] * vec[j * m + l] / ev[l];
            }
            var diff = new double[m];
            for (int i = 0; i < m; i++) diff[i] = values[i] - _means[c][known[i]];
            var solved = new double[m];
            double q = 0;
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < m; j++) solved[i] += inv[i * m + j] * diff[j];
                q += diff[i] * solved[i];
            }
            logW[c] = _logWeights[c] - 0.5 * q - 0.5 * logDet;
            var mu = new double[u];
            var sc = new double[u * u];
            for (int a = 0; a < u; a++)
            {
                mu[a] = _means[c][unknown[a]];
                for (int j = 0; j < m; j++) mu[a] += cov[unknown[a] * d + known[j]] * solved[j];
                for (int b = 0; b < u; b++)
                {
                    double v = cov[unknown[a] * d + unknown[b]];
                    for (int i = 0; i < m; i++)
                        for (int j = 0; j < m; j++)
                            v -= cov[unknown[a] * d + known[i]] * inv[i * m + j] * cov[known[j] * d + unknown[b]];
                    sc[a * u + b] = v;
                }
            }
            for (int a = 0; a < u; a++)
                for (int b = 0; b < a; b++) sc[a * u + b] = sc[b * u + a] = 0.5 * (sc[a * u + b] + sc[b * u + a]);
            newMeans[c] = mu;
            newCovs[c] = sc;
        }
        double max = logW.Max();
        return new GaussianMixture(logW.Select(l => Math.Exp(l - max)).ToArray(), newMeans, newCovs);
    }

    /// <summary>
    /// The exact diffusion model of this mixture under <paramref name="schedule"/>: its prediction at
    /// (x_t, t) is the Bayes-optimal one. With <paramref name="center"/> = μ (mean-reverting schedules)
    /// the forward process is x_t = μ + α_t(x₀ − μ) + σ_tε.
    /// </summary>
    public GaussianMixtureModel AsModel(NoiseSchedule schedule, Prediction prediction = Prediction.Data, IReadOnlyList<double>? center = null)
        => new(this, schedule, prediction, center);

    /// <summary>
    /// The exact PFGM++ denoiser of this mixture for augmented dimension <paramref name="augmentedDimension"/> D
    /// (see <see cref="PfgmppMixtureModel"/>); <paramref name="schedule"/> must have α ≡ 1 (edm or ve).
    /// </summary>
    /// <param name="schedule">σ(t) of the sampler grid; r = σ√D.</param>
    /// <param name="augmentedDimension">D ≥ 1, or +∞ for the Gaussian (EDM) kernel.</param>
    /// <param name="nodes">Trapezoid nodes of the scale-mixture integral (default 96).</param>
    /// <exception cref="ArgumentException">D &lt; 1, a schedule with α ≠ 1, or nodes outside 8..4096.</exception>
    public PfgmppMixtureModel AsPfgmppModel(NoiseSchedule schedule, double augmentedDimension, int nodes = 96)
        => new(this, schedule, augmentedDimension, nodes);

    internal void CheckScales(double alpha, double sigma)
    {
        if (!(alpha >= 0) || !double.IsFinite(alpha)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "alpha must be finite and non-negative.");
        if (!(sigma >= 0) || !double.IsFinite(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "sigma must be finite and non-negative.");
    }

    internal void Evaluate(double alpha, double sigma, ReadOnlySpan<double> x, Span<double> score, int samples,
        Span<double> logDensity, Span<double> divergence, MixtureScratch scratch)
    {
        CheckScales(alpha, sigma);
        int d = Dimension;
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        if (x.Length < samples * d) throw new ArgumentException($"x needs {samples * d} values.", nameof(x));
        if (!score.IsEmpty && score.Length < samples * d) throw new ArgumentException($"score needs {samples * d} values.", nameof(score));
        if (!logDensity.IsEmpty && logDensity.Length < samples) throw new ArgumentException($"logDensity needs {samples} values.", nameof(logDensity));
        if (!divergence.IsEmpty && divergence.Length < samples) throw new ArgumentException($"divergence needs {samples} values.", nameof(divergence));
        scratch.Prepare(this, alpha, sigma);
        for (int first = 0; first < samples; first += scratch.Block)
            Block(alpha, x, score, logDensity, divergence, scratch, first, Math.Min(scratch.Block, samples - first));
    }

    /// <summary>
    /// One block of up to <see cref="MixtureScratch.Block"/> samples, component-major: the rows are transposed into
    /// scratch.Xt (coordinate i of every sample contiguous, padded with zeros to the block), every quantity is computed
    /// SIMD across samples, and the score is transposed back. Every lane runs the same IEEE-exact lane operations
    /// (<see cref="LaneMath{TL, TU, TD}.Exp"/> included) whatever the register width, so a sample's result does not
    /// depend on the block it falls in, the batch size or the machine's vector width.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Block(double alpha, ReadOnlySpan<double> x, Span<double> score, Span<double> logDensity, Span<double> divergence,
        MixtureScratch scratch, int first, int count)
    {
        int d = Dimension, b = scratch.Block;
        var xt = scratch.Xt;
        Array.Clear(xt);
        for (int s = 0; s < count; s++)
        {
            var row = x.Slice((first + s) * d, d);
            for (int i = 0; i < d; i++) xt[i * b + s] = row[i];
        }
        bool wantScore = !score.IsEmpty || !divergence.IsEmpty, wantTrace = !divergence.IsEmpty;
        if (Lanes512.IsSupported) Kernel<Lanes512, Vector512<ulong>, Vector512<double>>(alpha, scratch, wantScore, wantTrace);
        else if (Lanes256.IsSupported) Kernel<Lanes256, Vector256<ulong>, Vector256<double>>(alpha, scratch, wantScore, wantTrace);
        else if (Lanes128.IsSupported) Kernel<Lanes128, Vector128<ulong>, Vector128<double>>(alpha, scratch, wantScore, wantTrace);
        else Kernel<Lanes1, ulong, double>(alpha, scratch, wantScore, wantTrace);
        double logNorm = 0.5 * d * Math.Log(2 * Math.PI);
        for (int s = 0; s < count; s++)
        {
            if (!logDensity.IsEmpty) logDensity[first + s] = scratch.Max[s] + Math.Log(scratch.Sum[s]) - logNorm;
            if (!score.IsEmpty)
            {
                var row = score.Slice((first + s) * d, d);
                for (int i = 0; i < d; i++) row[i] = scratch.S[i * b + s];
            }
            if (wantTrace) divergence[first + s] = scratch.Trace[s];
        }
    }

    /// <summary>
    /// Component-major block kernel. Per component k and sample: z = U_kᵀx − αU_kᵀμ_k, w = z/v_k, q = z·w,
    /// L_k = log π_k − ½ log|C_k| − ½q; M = max_k L_k; r_k = e^{L_k − M}/Σ_k e^{L_k − M} (scratch.Sum keeps the sum);
    /// s = −Σ_k r_k U_k w_k; scratch.Trace = Σ_k r_k(‖w_k‖² − tr C_k⁻¹) − ‖s‖² = ∇·s.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Kernel<TL, TU, TD>(double alpha, MixtureScratch scratch, bool wantScore, bool wantTrace)
        where TL : struct, ILanes<TU, TD>
        where TU : struct
        where TD : struct
    {
        int d = Dimension, kc = ComponentCount, b = scratch.Block, lanes = TL.Count;
        ref double xt = ref scratch.Xt[0];
        ref double wk = ref scratch.W[0];
        ref double lk = ref scratch.L[0];
        ref double max = ref scratch.Max[0];
        ref double sum = ref scratch.Sum[0];
        ref double sc = ref scratch.S[0];
        ref double tr = ref scratch.Trace[0];
        for (int v = 0; v < b; v += lanes)
        {
            TD m = TL.Broadcast(double.NegativeInfinity);
            for (int k = 0; k < kc; k++)
            {
                var ut = _ut[k];
                var rm = _rotatedMeans[k];
                var inv = scratch.InvV;
                TD q = TL.Broadcast(0.0);
                for (int j = 0; j < d; j++)
                {
                    TD z = TL.Broadcast(-alpha * rm[j]);
                    for (int i = 0; i < d; i++) z = TL.MultiplyAdd(TL.Broadcast(ut[j * d + i]), TL.Load(ref Unsafe.Add(ref xt, i * b + v)), z);
                    TD w = TL.Multiply(z, TL.Broadcast(inv[k * d + j]));
                    TL.Store(w, ref Unsafe.Add(ref wk, (k * d + j) * b + v));
                    q = TL.MultiplyAdd(z, w, q);
                }
                TD l = TL.MultiplyAdd(q, TL.Broadcast(-0.5), TL.Broadcast(_logWeights[k] - scratch.HalfLogDet[k]));
                TL.Store(l, ref Unsafe.Add(ref lk, k * b + v));
                m = TL.Select(TL.LessThan(m, l), l, m);
            }
            TD total = TL.Broadcast(0.0);
            for (int k = 0; k < kc; k++)
            {
                ref double slot = ref Unsafe.Add(ref lk, k * b + v);
                TD e = LaneMath<TL, TU, TD>.Exp(TL.Subtract(TL.Load(ref slot), m));
                TL.Store(e, ref slot);
                total = TL.Add(total, e);
            }
            TL.Store(m, ref Unsafe.Add(ref max, v));
            TL.Store(total, ref Unsafe.Add(ref sum, v));
            if (!wantScore) continue;
            for (int i = 0; i < d; i++) TL.Store(TL.Broadcast(0.0), ref Unsafe.Add(ref sc, i * b + v));
            TD trace = TL.Broadcast(0.0);
            for (int k = 0; k < kc; k++)
            {
                TD r = TL.Divide(TL.Load(ref Unsafe.Add(ref lk, k * b + v)), total);
                var u = _u[k];
                TD ww = TL.Broadcast(0.0);
                for (int j = 0; j < d; j++)
                {
                    TD w = TL.Load(ref Unsafe.Add(ref wk, (k * d + j) * b + v));
                    ww = TL.MultiplyAdd(w, w, ww);
                    TD rw = TL.Multiply(r, w);
                    for (int i = 0; i < d; i++)
                    {
                        ref double si = ref Unsafe.Add(ref sc, i * b + v);
                        TL.Store(TL.MultiplyAdd(TL.Broadcast(-u[i * d + j]), rw, TL.Load(ref si)), ref si);
                    }
                }
                if (wantTrace) trace = TL.MultiplyAdd(r, TL.Subtract(ww, TL.Broadcast(scratch.TraceInv[k])), trace);
            }
            if (!wantTrace) continue;
            for (int i = 0; i < d; i++)
            {
                TD si = TL.Load(ref Unsafe.Add(ref sc, i * b + v));
                trace = TL.MultiplyAdd(TL.Broadcast(-1.0), TL.Multiply(si, si), trace);
            }
            TL.Store(trace, ref Unsafe.Add(ref tr, v));
        }
    }

    /// <summary>The posterior component probabilities at one point, through the block kernel.</summary>
    private void Responsibilities(double alpha, ReadOnlySpan<double> point, MixtureScratch scratch, Span<double> responsibilities)
    {
        Block(alpha, point, default, default, default, scratch, 0, 1);
        for (int k = 0; k < ComponentCount; k++) responsibilities[k] = scratch.L[k * scratch.Block] / scratch.Sum[0];
    }

    /// <summary>
    /// Per-call scratch, reusable across calls by one thread: O(K·d) per-time constants and O(K·d·B) block buffers,
    /// with the block B a multiple of 8 samples (every lane width divides it) sized to keep the buffers near 64 KiB.
    /// </summary>
    internal sealed class MixtureScratch
    {
        public readonly int Block;
        public readonly double[] InvV, HalfLogDet, TraceInv;
        public readonly double[] Xt, W, L, Max, Sum, S, Trace;

        public MixtureScratch(GaussianMixture m)
        {
            int k = m.ComponentCount, d = m.Dimension;
            Block = Math.Clamp(8192 / (8 * k * d + 8 * d) * 8, 8, 64);
            InvV = new double[k * d];
            HalfLogDet = new double[k];
            TraceInv = new double[k];
            Xt = new double[d * Block];
            W = new double[k * d * Block];
            L = new double[k * Block];
            Max = new double[Block];
            Sum = new double[Block];
            S = new double[d * Block];
            Trace = new double[Block];
        }

        public void Prepare(GaussianMixture m, double alpha, double sigma)
        {
            int d = m.Dimension;
            for (int k = 0; k < m.ComponentCount; k++)
            {
                double hl = 0, tr = 0;
                var ev = m._eigenvalues[k];
                for (int j = 0; j < d; j++)
                {
                    double v = alpha * alpha * ev[j] + sigma * sigma;
                    InvV[k * d + j] = 1 / v;
                    hl += 0.5 * Math.Log(v);
                    tr += 1 / v;
                }
                HalfLogDet[k] = hl;
                TraceInv[k] = tr;
            }
        }
    }
}
