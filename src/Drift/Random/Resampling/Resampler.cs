using System.Buffers;
using Drift.Random;

namespace Drift.Random.Resampling;

/// <summary>
/// Resampling of a weighted particle system: ancestors a₁ ≤ … ≤ a_N drawn from normalised weights by
/// one of the <see cref="ResamplingScheme"/>s, with every uniform taken from a Philox stream so that the
/// result is a pure function of (seed, stream, weights).
/// </summary>
/// <remarks>
/// All schemes walk the cumulative weights once against an increasing sequence of points u₁ &lt; … &lt; u_N
/// in (0, 1), so ancestors come out sorted and the cost is O(N). Multinomial draws its ordered uniforms
/// as normalised partial sums of N + 1 standard exponentials (the order statistics of N uniforms).
/// Uniforms come in one block from <see cref="PhiloxUniforms.FillStream"/> into pooled scratch; residual
/// resampling writes its deterministic copies and its multinomial remainder into the caller's span and sorts it.
/// </remarks>
public static class Resampler
{
    /// <summary>Writes N = <paramref name="ancestors"/>.Length ancestor indices drawn from <paramref name="weights"/>.</summary>
    /// <param name="scheme">The scheme.</param>
    /// <param name="weights">Normalised weights (non-negative, summing to 1 up to rounding), one per particle.</param>
    /// <param name="ancestors">Output: ancestor indices in increasing order; its length is the number of offspring N.</param>
    /// <param name="uniforms">The uniform source.</param>
    /// <param name="stream">The Philox stream of this resampling event (draws 0, 1, … of it are used).</param>
    /// <exception cref="ArgumentException">No weights, or a weight is negative or not finite, or they sum to 0.</exception>
    public static void Resample(ResamplingScheme scheme, ReadOnlySpan<double> weights, Span<int> ancestors, PhiloxUniforms uniforms, ulong stream)
    {
        int m = weights.Length, n = ancestors.Length;
        if (m == 0) throw new ArgumentException("there are no weights to resample.", nameof(weights));
        double total = 0;
        foreach (double w in weights)
        {
            if (!(w >= 0) || !double.IsFinite(w)) throw new ArgumentException($"weights must be finite and non-negative, got {w}.", nameof(weights));
            total += w;
        }
        if (!(total > 0)) throw new ArgumentException("the weights sum to zero.", nameof(weights));
        if (n == 0) return;
        switch (scheme)
        {
            case ResamplingScheme.Multinomial:
                Multinomial(weights, total, ancestors, uniforms, stream);
                break;
            case ResamplingScheme.Stratified:
            case ResamplingScheme.Systematic:
                {
                    int draws = scheme == ResamplingScheme.Systematic ? 1 : n;
                    var buffer = ArrayPool<double>.Shared.Rent(draws);
                    var u = buffer.AsSpan(0, draws);
                    uniforms.FillStream(stream, 0, u);
                    int j = 0;
                    double cum = weights[0] / total;
                    for (int i = 0; i < n; i++)
                    {
                        double point = (i + u[scheme == ResamplingScheme.Systematic ? 0 : i]) / n;
                        while (point > cum && j < m - 1) cum += weights[++j] / total;
                        ancestors[i] = j;
                    }
                    ArrayPool<double>.Shared.Return(buffer);
                    break;
                }
            case ResamplingScheme.Residual:
                Residual(weights, total, ancestors, uniforms, stream);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "unknown resampling scheme.");
        }
    }

    /// <summary>Parses a CLI name (multinomial, stratified, systematic, residual).</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static ResamplingScheme Parse(string name) => name switch
    {
        "multinomial" => ResamplingScheme.Multinomial,
        "stratified" => ResamplingScheme.Stratified,
        "systematic" => ResamplingScheme.Systematic,
        "residual" => ResamplingScheme.Residual,
        _ => throw new ArgumentException($"unknown resampling scheme '{name}'; known: multinomial, stratified, systematic, residual.", nameof(name)),
    };

    /// <summary>
    /// Multinomial draws into <paramref name="ancestors"/> from the (unnormalised) weights: ordered uniforms
    /// u_(i) = (E₁ + … + E_i)/(E₁ + … + E_{N+1}) with E standard exponentials from draws firstDraw… of the stream.
    /// </summary>
    private static void Multinomial(ReadOnlySpan<double> weights, double total, Span<int> ancestors, PhiloxUniforms uniforms, ulong stream)
    {
        int n = ancestors.Length, m = weights.Length;
        var buffer = ArrayPool<double>.Shared.Rent(n + 1);
        var e = OrderedSpacings(buffer.AsSpan(0, n + 1), uniforms, stream);
        double cum = weights[0] / total;
        int j = 0;
        for (int i = 0; i < n; i++)
        {
            double u = e[i];
            while (u > cum && j < m - 1) cum += weights[++j] / total;
            ancestors[i] = j;
        }
        ArrayPool<double>.Shared.Return(buffer);
    }

    /// <summary>Fills <paramref name="e"/> (length n + 1) with the order statistics of n uniforms: u_(i) = (E₁+…+E_{i+1})/(E₁+…+E_{n+1}) in e[i], i &lt; n.</summary>
    private static Span<double> OrderedSpacings(Span<double> e, PhiloxUniforms uniforms, ulong stream)
    {
        uniforms.FillStream(stream, 0, e);
        double sum = 0;
        for (int i = 0; i < e.Length; i++)
        {
            sum += -Math.Log(e[i]);
            e[i] = sum;
        }
        for (int i = 0; i < e.Length; i++) e[i] /= sum;
        return e;
    }

    private static void Residual(ReadOnlySpan<double> weights, double total, Span<int> ancestors, PhiloxUniforms uniforms, ulong stream)
    {
        int n = ancestors.Length, m = weights.Length;
        // Deterministic part: ⌊N W_i⌋ copies of i. Residual weights N W_i − ⌊N W_i⌋ are recomputed on the fly.
        int filled = 0;
        double residualTotal = 0;
        for (int i = 0; i < m; i++)
        {
            double nw = n * weights[i] / total;
            int copies = (int)Math.Min(Math.Floor(nw), n - filled);
            for (int c = 0; c < copies; c++) ancestors[filled++] = i;
            residualTotal += nw - Math.Floor(nw);
        }
        int rest = n - filled;
        if (rest == 0) return;
        // Multinomial part on the residuals, written after the deterministic copies, then merged in order.
        var tail = ancestors[filled..];
        var buffer = ArrayPool<double>.Shared.Rent(rest + 1);
        var e = OrderedSpacings(buffer.AsSpan(0, rest + 1), uniforms, stream);
        double cum = 0;
        int j = -1;
        for (int i = 0; i < rest; i++)
        {
            double u = e[i] * residualTotal;
            while ((u > cum || j < 0) && j < m - 1)
            {
                j++;
                double nw = n * weights[j] / total;
                cum += nw - Math.Floor(nw);
            }
            tail[i] = j;
        }
        ArrayPool<double>.Shared.Return(buffer);
        ancestors.Sort();
    }
}
