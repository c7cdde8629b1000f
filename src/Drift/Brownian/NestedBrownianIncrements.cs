using Drift.Random;

namespace Drift.Brownian;

/// <summary>
/// One Brownian path per path index, fixed on a fine uniform grid of <c>fineSteps</c> steps over
/// [t0, t1], and aggregated exactly onto any coarser grid whose points lie on the fine grid:
/// the tool for convergence studies, where every step size must see the same path.
/// </summary>
/// <remarks>
/// A coarse step over fine steps k = a … b−1 gets ΔW = Σ ΔW_k and the integral
/// I = ∫(W(s) − W(t_a)) ds = Σ_k [I_k + (W(t_k) − W(t_a))·h_f], with I_k = h_f(H_k + ΔW_k/2); then
/// H = I/h − ΔW/2. Cost is proportional to the fine grid, so keep it for studies, not production.
/// </remarks>
public readonly struct NestedBrownianIncrements : IBrownianIncrements
{
    private readonly PhiloxBrownianIncrements _fine;
    private readonly double _t0;
    private readonly double _fineStep;
    private readonly int _fineSteps;

    /// <summary>Fixes the fine grid.</summary>
    /// <param name="seed">The run's seed.</param>
    /// <param name="t0">Start of the fine grid.</param>
    /// <param name="t1">End of the fine grid.</param>
    /// <param name="fineSteps">Number of fine steps (at least 1).</param>
    public NestedBrownianIncrements(ulong seed, double t0, double t1, int fineSteps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fineSteps, 1);
        if (!(t1 > t0)) throw new ArgumentException($"t1 = {t1} must exceed t0 = {t0}.", nameof(t1));
        _fine = new PhiloxBrownianIncrements(seed);
        _t0 = t0;
        _fineStep = (t1 - t0) / fineSteps;
        _fineSteps = fineSteps;
    }

    /// <inheritdoc/>
    public void Fill(long firstPath, int paths, ReadOnlySpan<double> times, long firstStep, int steps, int noiseDimension,
        Span<double> dW, Span<double> levy, int rowStride)
    {
        int m = noiseDimension;
        var fineTimes = new double[_fineSteps + 1];
        for (int k = 0; k <= _fineSteps; k++) fineTimes[k] = _t0 + k * _fineStep;
        var integral = new double[m * paths];
        for (int s = 0; s < steps; s++)
        {
            int a = FineIndex(times[(int)firstStep + s]);
            int b = FineIndex(times[(int)firstStep + s + 1]);
            int count = b - a;
            double h = count * _fineStep;
            var fdW = new double[count * m * paths];
            var fH = new double[count * m * paths];
            _fine.Fill(firstPath, paths, fineTimes, a, count, m, fdW, fH, paths);
            for (int j = 0; j < m; j++)
            {
                var w = dW.Slice((s * m + j) * rowStride, paths);
                var area = integral.AsSpan(j * paths, paths);
                w.Clear();
                area.Clear();
                for (int k = 0; k < count; k++)
                {
                    var dwk = fdW.AsSpan((k * m + j) * paths, paths);
                    var hk = fH.AsSpan((k * m + j) * paths, paths);
                    for (int p = 0; p < paths; p++)
                    {
                        area[p] += _fineStep * (hk[p] + 0.5 * dwk[p]) + w[p] * _fineStep;
                        w[p] += dwk[p];
                    }
                }
                if (levy.IsEmpty) continue;
                var l = levy.Slice((s * m + j) * rowStride, paths);
                for (int p = 0; p < paths; p++) l[p] = area[p] / h - 0.5 * w[p];
            }
        }
    }

    private int FineIndex(double t) => FineGrid.Index(t, _t0, _fineStep, _fineSteps, "Brownian");
}
