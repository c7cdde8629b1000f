namespace Drift.Sampling.Numerics;

/// <summary>
/// Small dense symmetric positive-definite algebra on row-major d×d arrays (d up to a few hundred): Cholesky
/// factor, inverse, triangular products. Used for dense metrics and Gaussian targets, never in a per-chain hot loop
/// except the O(d²) products of a dense metric.
/// </summary>
internal static class SmallDense
{
    /// <summary>The lower Cholesky factor L of A = L Lᵀ, or null when A is not positive definite.</summary>
    public static double[]? Cholesky(ReadOnlySpan<double> a, int d)
    {
        var l = new double[d * d];
        for (int j = 0; j < d; j++)
        {
            double s = a[j * d + j];
            for (int k = 0; k < j; k++) s -= l[j * d + k] * l[j * d + k];
            if (!(s > 0) || !double.IsFinite(s)) return null;
            double ljj = Math.Sqrt(s);
            l[j * d + j] = ljj;
            for (int i = j + 1; i < d; i++)
            {
                double t = a[i * d + j];
                for (int k = 0; k < j; k++) t -= l[i * d + k] * l[j * d + k];
                l[i * d + j] = t / ljj;
            }
        }
        return l;
    }

    /// <summary>A⁻¹ of a symmetric positive-definite A (row-major).</summary>
    /// <exception cref="ArgumentException">When A is not symmetric positive definite.</exception>
    public static double[] InverseSpd(ReadOnlySpan<double> a, int d, string name)
    {
        for (int i = 0; i < d; i++)
            for (int j = 0; j < i; j++)
                if (Math.Abs(a[i * d + j] - a[j * d + i]) > 1e-12 * (Math.Abs(a[i * d + j]) + Math.Abs(a[j * d + i]) + 1e-300))
                    throw new ArgumentException($"{name} is not symmetric: entry ({i}, {j}) = {a[i * d + j]} but ({j}, {i}) = {a[j * d + i]}.", name);
        var l = Cholesky(a, d) ?? throw new ArgumentException($"{name} is not positive definite.", name);
        // Solve L Lᵀ X = I column by column.
        var inv = new double[d * d];
        var col = new double[d];
        for (int c = 0; c < d; c++)
        {
            Array.Clear(col);
            col[c] = 1;
            SolveLower(l, d, col);
            SolveUpperTransposed(l, d, col);
            for (int r = 0; r < d; r++) inv[r * d + c] = col[r];
        }
        for (int i = 0; i < d; i++)
            for (int j = 0; j < i; j++) inv[i * d + j] = inv[j * d + i] = 0.5 * (inv[i * d + j] + inv[j * d + i]);
        return inv;
    }

    /// <summary>Solves L y = b in place (L lower triangular).</summary>
    public static void SolveLower(ReadOnlySpan<double> l, int d, Span<double> b)
    {
        for (int i = 0; i < d; i++)
        {
            double s = b[i];
            for (int k = 0; k < i; k++) s -= l[i * d + k] * b[k];
            b[i] = s / l[i * d + i];
        }
    }

    /// <summary>Solves Lᵀ y = b in place (L lower triangular).</summary>
    public static void SolveUpperTransposed(ReadOnlySpan<double> l, int d, Span<double> b)
    {
        for (int i = d - 1; i >= 0; i--)
        {
            double s = b[i];
            for (int k = i + 1; k < d; k++) s -= l[k * d + i] * b[k];
            b[i] = s / l[i * d + i];
        }
    }

    /// <summary>y = A x for a row-major d×d A.</summary>
    public static void Multiply(ReadOnlySpan<double> a, int d, ReadOnlySpan<double> x, Span<double> y)
    {
        for (int i = 0; i < d; i++)
        {
            double s = 0;
            var row = a.Slice(i * d, d);
            for (int j = 0; j < d; j++) s += row[j] * x[j];
            y[i] = s;
        }
    }

    /// <summary>y = L x for a lower-triangular row-major L.</summary>
    public static void MultiplyLower(ReadOnlySpan<double> l, int d, ReadOnlySpan<double> x, Span<double> y)
    {
        for (int i = d - 1; i >= 0; i--)
        {
            double s = 0;
            for (int j = 0; j <= i; j++) s += l[i * d + j] * x[j];
            y[i] = s;
        }
    }

    /// <summary>
    /// The lower Cholesky factor of a symmetric positive semi-definite A (a sample covariance), with ε = 10⁻¹⁰·tr A/d added
    /// to the diagonal, then ten times more, until it factors; the identity when A has no finite factor at all.
    /// Modifies <paramref name="a"/>.
    /// </summary>
    public static double[] RegularisedCholesky(double[] a, int d)
    {
        double trace = 0;
        for (int i = 0; i < d; i++) trace += a[i * d + i];
        double jitter = 1e-10 * (trace / d) + 1e-300;
        for (int attempt = 0; attempt < 40 && double.IsFinite(jitter); attempt++)
        {
            if (Cholesky(a, d) is { } l) return l;
            for (int i = 0; i < d; i++) a[i * d + i] += jitter;
            jitter *= 10;
        }
        var identity = new double[d * d];
        for (int i = 0; i < d; i++) identity[i * d + i] = 1;
        return identity;
    }

    /// <summary>
    /// The weighted mean m = Σₚ wₚ xₚ (into <paramref name="mean"/>) and covariance Σₚ wₚ (xₚ − m)(xₚ − m)ᵀ (returned,
    /// row-major d×d) of the particle-major rows xₚ = <paramref name="rows"/>[p·d …] with normalised weights w.
    /// </summary>
    public static double[] WeightedMoments(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights, int d, Span<double> mean)
    {
        WeightedMean(rows, weights, d, mean);
        var cov = new double[d * d];
        for (int p = 0; p < weights.Length; p++)
        {
            double w = weights[p];
            if (w == 0) continue;
            for (int i = 0; i < d; i++)
            {
                double ri = rows[p * d + i] - mean[i];
                for (int j = 0; j <= i; j++) cov[i * d + j] += w * ri * (rows[p * d + j] - mean[j]);
            }
        }
        for (int i = 0; i < d; i++)
            for (int j = 0; j < i; j++) cov[j * d + i] = cov[i * d + j];
        return cov;
    }

    /// <summary>The weighted mean m = Σₚ wₚ xₚ of the particle-major rows xₚ = <paramref name="rows"/>[p·d …] into <paramref name="mean"/>.</summary>
    public static void WeightedMean(ReadOnlySpan<double> rows, ReadOnlySpan<double> weights, int d, Span<double> mean)
    {
        mean[..d].Clear();
        for (int p = 0; p < weights.Length; p++)
        {
            double w = weights[p];
            if (w == 0) continue;
            for (int i = 0; i < d; i++) mean[i] += w * rows[p * d + i];
        }
    }
}
