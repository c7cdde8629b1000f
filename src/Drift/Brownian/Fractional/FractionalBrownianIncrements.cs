using Drift.Random;

namespace Drift.Brownian.Fractional;

/// <summary>
/// Increments of m independent fractional Brownian motions B^H (exactly sampled, <see cref="FractionalBrownianMotion"/>)
/// in place of Brownian increments, so that the fixed-step ensemble (<c>DiffEq.Solve(problem, new EulerMaruyama(),
/// increments, options)</c>) solves an SDE driven by fBM, dX = f(t, X) dt + g(t, X) dB^H.
/// </summary>
/// <remarks>
/// <para><b>Scope: H &gt; ½ and the Euler scheme only.</b> For H &gt; ½ the paths are Hölder of every order below H, so
/// ∫g(X) dB^H is a pathwise Young (Riemann–Stieltjes) integral; its left-point sums converge and the ordinary chain rule
/// holds (no Itô correction). The Euler scheme X_{k+1} = X_k + f h + g(X_k) ΔB^H_k then converges pathwise with rate
/// h^{2H−1} (Mishura &amp; Shevchenko 2008, Stochastics 80; Nualart &amp; Răşcanu 2002 for existence), e.g. ½ at H = ¾.
/// Solvers built for Brownian motion beyond Euler (Milstein, SRI, Heun in Itô form) assume E[ΔW²] = h and are not
/// valid here; Lévy areas are not provided (asking for them throws). For H ≤ ½ the Young integral does not exist and
/// the constructor refuses.</para>
/// <para>Each path's m components are sampled on a fixed fine grid of <c>steps</c> over [t0, t1] by Davies–Harte from
/// Philox normals keyed by (seed, path, component), so every path is the same whatever the batch, thread or solver
/// grid; a solver grid whose points lie on the fine grid gets the exact increments B^H(t_{n+1}) − B^H(t_n). A worker
/// keeps its current batch's paths (a thread-local cache) so that stepping costs O(steps) per path, not O(steps²).</para>
/// </remarks>
public readonly struct FractionalBrownianIncrements : IBrownianIncrements
{
    private readonly FractionalBrownianMotion _fbm;
    private readonly PhiloxNormals _normals;
    private readonly double _t0, _fineStep;

    [ThreadStatic] private static Cache? t_cache;

    /// <summary>Fixes the Hurst index, the fine grid and the seed.</summary>
    /// <exception cref="ArgumentException">H not in (½, 1), fewer than 1 step, or bad times.</exception>
    public FractionalBrownianIncrements(ulong seed, double hurst, double t0, double t1, int steps)
    {
        if (!(hurst > 0.5 && hurst < 1)) throw new ArgumentOutOfRangeException(nameof(hurst), hurst, "fBM-driven SDEs are integrated pathwise (Young) for H in (1/2, 1) only.");
        if (!(t1 > t0) || !double.IsFinite(t0) || !double.IsFinite(t1)) throw new ArgumentException($"t1 = {t1} must exceed t0 = {t0}, both finite.", nameof(t1));
        _fbm = new FractionalBrownianMotion(hurst, steps, t1 - t0);
        _normals = new PhiloxNormals(SeedMixer.Derive(seed, 0x4642_4D49_4E43_5253)); // "FBMINCRS"
        _t0 = t0;
        _fineStep = (t1 - t0) / steps;
    }

    /// <summary>Hurst index H.</summary>
    public double Hurst => _fbm.Hurst;

    /// <summary>Fine grid steps.</summary>
    public int Steps => _fbm.Steps;

    /// <summary>Writes B^H at the fine grid points t_1..t_n of one component of one path (B^H(t_0) = 0).</summary>
    public void Path(long path, int component, Span<double> values)
    {
        var normals = new double[_fbm.NormalsPerPath];
        _normals.FillStream((ulong)path, (ulong)component << 32, normals);
        _fbm.Sample(normals, values, new double[_fbm.WorkLength]);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">Lévy areas asked for, or a time not on the fine grid.</exception>
    public void Fill(long firstPath, int paths, ReadOnlySpan<double> times, long firstStep, int steps, int noiseDimension,
        Span<double> dW, Span<double> levy, int rowStride)
    {
        if (!levy.IsEmpty) throw new ArgumentException("fractional Brownian increments have no Lévy areas; use the Euler scheme.", nameof(levy));
        int m = noiseDimension, n = _fbm.Steps;
        var cache = t_cache;
        if (cache is null || !ReferenceEquals(cache.Owner, _fbm) || cache.Seed != _normals.Seed || cache.FirstPath != firstPath || cache.Paths != paths || cache.Components != m)
        {
            cache = new Cache(_fbm, _normals.Seed, firstPath, paths, m, new double[paths * m * (n + 1)]);
            for (int p = 0; p < paths; p++)
                for (int j = 0; j < m; j++)
                    Path(firstPath + p, j, cache.Values.AsSpan((p * m + j) * (n + 1) + 1, n));
            t_cache = cache;
        }
        for (int s = 0; s < steps; s++)
        {
            int a = FineIndex(times[(int)firstStep + s]), b = FineIndex(times[(int)firstStep + s + 1]);
            for (int j = 0; j < m; j++)
            {
                var row = dW.Slice((s * m + j) * rowStride, paths);
                for (int p = 0; p < paths; p++)
                {
                    var v = cache.Values.AsSpan((p * m + j) * (n + 1), n + 1);
                    row[p] = v[b] - v[a];
                }
            }
        }
    }

    private int FineIndex(double t) => FineGrid.Index(t, _t0, _fineStep, _fbm.Steps, "fBM");

    private sealed record Cache(FractionalBrownianMotion Owner, ulong Seed, long FirstPath, int Paths, int Components, double[] Values);
}
