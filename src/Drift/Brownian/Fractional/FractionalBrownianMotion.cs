namespace Drift.Brownian.Fractional;

/// <summary>How <see cref="FractionalBrownianMotion"/> samples exactly.</summary>
public enum FbmMethod
{
    /// <summary>Circulant embedding of the fractional Gaussian noise (Davies–Harte), O(n log n) per path.</summary>
    DaviesHarte,

    /// <summary>Cholesky factor of the n × n covariance of B(t₁..t_n), O(n²) per path and O(n³) once; for short grids.</summary>
    Cholesky,
}

/// <summary>
/// Fractional Brownian motion B_H with Hurst index H ∈ (0, 1) on the grid t_k = kT/n, k = 1..n: the centred Gaussian
/// process with Cov(B_H(s), B_H(t)) = ½(s^{2H} + t^{2H} − |t − s|^{2H}) (Mandelbrot &amp; Van Ness 1968), sampled exactly.
/// H = ½ is Brownian motion; H &gt; ½ has positively correlated increments, H &lt; ½ negatively.
/// </summary>
/// <remarks>
/// Davies–Harte samples the increments (fractional Gaussian noise), stationary with autocovariance
/// γ(k) = (Δt^{2H}/2)(|k + 1|^{2H} − 2|k|^{2H} + |k − 1|^{2H}), by <see cref="CirculantEmbedding"/> and sums them;
/// for fGn the embedding is non-negative definite for every H (Craigmile 2003). Cholesky factors the covariance of the
/// path values directly.
/// </remarks>
public sealed class FractionalBrownianMotion
{
    private readonly CirculantEmbedding? _embedding;
    private readonly double[] _cholesky = []; // lower triangle, row-major n × n

    /// <summary>A sampler of B_H on n steps over [0, T].</summary>
    /// <exception cref="ArgumentException">H outside (0, 1), steps &lt; 1 (or &gt; 2048 for Cholesky), a bad horizon or method.</exception>
    public FractionalBrownianMotion(double hurst, int steps, double horizon, FbmMethod method = FbmMethod.DaviesHarte)
    {
        if (!(hurst > 0 && hurst < 1)) throw new ArgumentOutOfRangeException(nameof(hurst), hurst, "the Hurst index must lie in (0, 1).");
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be at least 1.");
        if (!(horizon > 0) || !double.IsFinite(horizon)) throw new ArgumentOutOfRangeException(nameof(horizon), horizon, "horizon must be positive and finite.");
        Hurst = hurst;
        Steps = steps;
        Horizon = horizon;
        Method = method;
        double dt = horizon / steps, h2 = 2 * hurst;
        switch (method)
        {
            case FbmMethod.DaviesHarte:
            {
                double scale = 0.5 * Math.Pow(dt, h2);
                _embedding = new CirculantEmbedding(steps, k => scale * (Math.Pow(k + 1, h2) - 2 * Math.Pow(k, h2) + Math.Pow(Math.Abs(k - 1), h2)));
                break;
            }
            case FbmMethod.Cholesky:
            {
                if (steps > 2048) throw new ArgumentOutOfRangeException(nameof(steps), steps, "Cholesky sampling is for grids of at most 2048 steps; use Davies–Harte.");
                int n = steps;
                var l = new double[n * n];
                for (int i = 0; i < n; i++)
                    for (int j = 0; j <= i; j++)
                    {
                        double sum = Covariance((i + 1) * dt, (j + 1) * dt, hurst);
                        for (int k = 0; k < j; k++) sum -= l[i * n + k] * l[j * n + k];
                        if (i == j)
                        {
                            if (!(sum > 0)) throw new ArgumentException($"the fBM covariance lost positive definiteness at step {i + 1} (pivot {sum:G3}); use Davies–Harte.", nameof(steps));
                            l[i * n + i] = Math.Sqrt(sum);
                        }
                        else l[i * n + j] = sum / l[j * n + j];
                    }
                _cholesky = l;
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(method), method, "unknown fBM method.");
        }
    }

    /// <summary>The covariance ½(s^{2H} + t^{2H} − |t − s|^{2H}).</summary>
    public static double Covariance(double s, double t, double hurst)
    {
        double h2 = 2 * hurst;
        return 0.5 * (Math.Pow(s, h2) + Math.Pow(t, h2) - Math.Pow(Math.Abs(t - s), h2));
    }

    /// <summary>Hurst index H.</summary>
    public double Hurst { get; }

    /// <summary>Grid steps n.</summary>
    public int Steps { get; }

    /// <summary>Horizon T.</summary>
    public double Horizon { get; }

    /// <summary>Sampling method.</summary>
    public FbmMethod Method { get; }

    /// <summary>Standard normals one path consumes (2m for Davies–Harte, n for Cholesky).</summary>
    public int NormalsPerPath => _embedding?.NormalsPerSample ?? Steps;

    /// <summary>Doubles of work space <see cref="Sample"/> needs.</summary>
    public int WorkLength => _embedding?.WorkLength ?? 0;

    /// <summary>Writes B_H(t₁..t_n) built from <see cref="NormalsPerPath"/> standard normals.</summary>
    /// <exception cref="ArgumentException">A span is too short.</exception>
    public void Sample(ReadOnlySpan<double> normals, Span<double> path, Span<double> work)
    {
        int n = Steps;
        if (path.Length < n) throw new ArgumentException($"need room for {n} values, got {path.Length}.", nameof(path));
        if (normals.Length < NormalsPerPath) throw new ArgumentException($"need {NormalsPerPath} normals, got {normals.Length}.", nameof(normals));
        if (_embedding is { } e)
        {
            e.Sample(normals, path, work);
            for (int k = 1; k < n; k++) path[k] += path[k - 1];
            return;
        }
        for (int i = n - 1; i >= 0; i--)
        {
            double sum = 0;
            var row = _cholesky.AsSpan(i * n, i + 1);
            for (int k = 0; k <= i; k++) sum += row[k] * normals[k];
            path[i] = sum;
        }
    }
}
