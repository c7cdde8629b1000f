using Drift.Numerics;

namespace Drift.Brownian.Fractional;

/// <summary>
/// Exact sampling of a stationary Gaussian sequence X₀..X_{n−1} with autocovariance γ(k) by circulant embedding
/// (Davies &amp; Harte 1987; Wood &amp; Chan 1994; Dietrich &amp; Newsam 1997): embed the Toeplitz covariance in the circulant
/// matrix of size m (the least power of two ≥ 2(n − 1), at least 2) with first row c_j = γ(min(j, m − j)) (so γ is
/// needed up to lag m/2, beyond the sample), whose
/// eigenvalues λ_k = Σ_j c_j e^{−2πi jk/m} are real. When every λ_k ≥ 0, Y = F diag(√(λ/m)) (Z₁ + iZ₂) with F the DFT
/// has Re Y ~ N(0, C) exactly, so the first n entries of Re Y are the sample: O(m log m) per sample.
/// </summary>
public sealed class CirculantEmbedding
{
    private readonly double[] _scale; // √(λ_k / m)

    /// <summary>Prepares the embedding for samples of <paramref name="length"/> values with autocovariance γ(lag).</summary>
    /// <exception cref="ArgumentException">length &lt; 1 or above 2²⁶, a non-finite γ, or an embedding that is not
    /// non-negative definite (the smallest eigenvalue is named): this sequence cannot be sampled this way.</exception>
    public CirculantEmbedding(int length, Func<int, double> autocovariance)
    {
        ArgumentNullException.ThrowIfNull(autocovariance);
        if (length < 1 || length > 1 << 26) throw new ArgumentOutOfRangeException(nameof(length), length, "length must be in 1..2^26.");
        int n = length;
        int m = 2;
        while (m < 2 * (n - 1)) m *= 2;
        var gamma = new double[m / 2 + 1];
        for (int lag = 0; lag <= m / 2; lag++)
        {
            gamma[lag] = autocovariance(lag);
            if (!double.IsFinite(gamma[lag])) throw new ArgumentException($"the autocovariance at lag {lag} is {gamma[lag]}, not finite.", nameof(autocovariance));
        }
        var re = new double[m];
        var im = new double[m];
        for (int j = 0; j < m; j++) re[j] = gamma[Math.Min(j, m - j)];
        Fft.Forward(re, im);
        double largest = re.Max(), smallest = re.Min();
        if (smallest < -1e-10 * Math.Max(largest, 1e-300))
            throw new ArgumentException($"the circulant embedding of size {m} is not non-negative definite (smallest eigenvalue {smallest:G6}, largest {largest:G6}); this covariance cannot be sampled by circulant embedding.", nameof(autocovariance));
        Length = n;
        Size = m;
        _scale = new double[m];
        for (int k = 0; k < m; k++) _scale[k] = Math.Sqrt(Math.Max(re[k], 0) / m);
    }

    /// <summary>Length n of a sample.</summary>
    public int Length { get; }

    /// <summary>Size m of the circulant embedding.</summary>
    public int Size { get; }

    /// <summary>Standard normals one sample consumes: 2m.</summary>
    public int NormalsPerSample => 2 * Size;

    /// <summary>Doubles of work space <see cref="Sample"/> needs: 2m.</summary>
    public int WorkLength => 2 * Size;

    /// <summary>Writes one sample X₀..X_{n−1} built from the first 2m values of <paramref name="normals"/>.</summary>
    /// <exception cref="ArgumentException">A span is too short.</exception>
    public void Sample(ReadOnlySpan<double> normals, Span<double> destination, Span<double> work)
    {
        int m = Size;
        if (normals.Length < 2 * m) throw new ArgumentException($"need {2 * m} normals, got {normals.Length}.", nameof(normals));
        if (destination.Length < Length) throw new ArgumentException($"need room for {Length} values, got {destination.Length}.", nameof(destination));
        if (work.Length < 2 * m) throw new ArgumentException($"need {2 * m} work values, got {work.Length}.", nameof(work));
        var re = work[..m];
        var im = work.Slice(m, m);
        for (int k = 0; k < m; k++) { re[k] = _scale[k] * normals[k]; im[k] = _scale[k] * normals[m + k]; }
        Fft.Forward(re, im);
        re[..Length].CopyTo(destination);
    }
}
