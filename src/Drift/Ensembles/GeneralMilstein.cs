using Drift.Brownian;
using Drift.Solve;
using Drift.Solve.Sde;

namespace Drift.Ensembles;

/// <summary>
/// Milstein for general (non-commutative) Itô noise with simulated space–space Lévy areas, as a scheme for the ensemble
/// loop: <c>DiffEq.Solve(GeneralMilstein.Problem(problem, seed), default(PathStepCounters), options)</c>. Each step
/// takes the increments and areas of its path from <see cref="LevyAreaIncrements"/> keyed by (seed, path, step)
/// (Mrongowius–Rößler areas with p = <see cref="LevyArea.TermsFor"/> terms unless given) and applies the
/// derivative-free Milstein step (Kloeden &amp; Platen 1992, §11.1):
/// X_{n+1} = X + f h + Σ_k g_k ΔW_k + Σ_{j,k} (g_k(X + f h + g_j√h) − g_k(X))/√h · (½ΔW_jΔW_k − ½hδ_jk + A_jk).
/// Strong order 1 for any noise with the areas, ½ without them on non-commutative noise; one drift and 1 + m
/// diffusion evaluations per step.
/// </summary>
/// <remarks>
/// Driven by <see cref="PathStepCounters"/> (rows 0 and 1 of each step carry the path and step index), so the results
/// are bit-identical for any thread count or chunk size. With refinement r each step is made of r substeps of the
/// Brownian path a grid r times finer sees, areas joined by Chen's relation: a solve with N steps and refinement r
/// and one with rN steps and refinement 1 follow the same path, as strong-order measurements need.
/// </remarks>
public struct GeneralMilstein<TDrift, TDiffusion> : IEnsembleStepper
    where TDrift : struct, IDrift
    where TDiffusion : struct, IDiffusion
{
    private TDrift _drift;
    private TDiffusion _diffusion;
    private readonly ulong _seed;
    private readonly int _terms, _refinement;
    private readonly LevyAreaMethod _method;
    private readonly bool _areas;

    /// <summary>The scheme for the given fields and Brownian source; see <see cref="GeneralMilstein.Problem"/>.</summary>
    /// <exception cref="ArgumentException">Noise not in the general layout, mismatched dimensions, or bad source settings.</exception>
    public GeneralMilstein(TDrift drift, TDiffusion diffusion, ulong seed, int terms, LevyAreaMethod method, int refinement, bool levyAreas)
    {
        if (diffusion.Noise is not (NoiseKind.General or NoiseKind.Additive))
            throw new ArgumentException($"GeneralMilstein takes g in the general d×m layout, got {diffusion.Noise} noise (use Milstein for scalar and diagonal noise).", nameof(diffusion));
        if (diffusion.Dimension != drift.Dimension)
            throw new ArgumentException($"diffusion dimension {diffusion.Dimension} differs from drift dimension {drift.Dimension}.", nameof(diffusion));
        ArgumentOutOfRangeException.ThrowIfLessThan(terms, 0);
        ArgumentOutOfRangeException.ThrowIfLessThan(refinement, 1);
        if (!Enum.IsDefined(method)) throw new ArgumentOutOfRangeException(nameof(method), method, "unknown Lévy area method.");
        (_drift, _diffusion, _seed, _terms, _method, _refinement, _areas) = (drift, diffusion, seed, terms, method, refinement, levyAreas);
    }

    /// <inheritdoc/>
    public readonly int Dimension => _drift.Dimension;
    /// <summary>max(m, 2): the rows <see cref="PathStepCounters"/> needs for its keys.</summary>
    public readonly int NoiseDimension => Math.Max(_diffusion.NoiseDimension, 2);
    /// <inheritdoc/>
    public readonly bool NeedsLevyArea => false;
    /// <inheritdoc/>
    public readonly SolveCounters CountersPerStep => new(1, 1, 1 + _diffusion.NoiseDimension);

    /// <inheritdoc/>
    public readonly void Start(SolverScratch scratch, double t, ReadOnlySpan<double> x, int paths)
    {
    }

    /// <inheritdoc/>
    public void Step(SolverScratch scratch, double t, double h, ReadOnlySpan<double> dW, ReadOnlySpan<double> levy, Span<double> x, int paths)
    {
        int m = _diffusion.NoiseDimension, pairs = LevyArea.Pairs(m);
        bool areas = _areas && pairs > 0;
        int terms = _terms > 0 ? _terms : LevyArea.TermsFor(m, h / _refinement);
        var source = new LevyAreaIncrements(_seed, terms, _method, _refinement);
        const int first = GeneralNoiseMilstein.Slots;
        var w = scratch.Slot(first, m * paths);
        var a = scratch.Slot(first + 1, pairs * paths);
        var work = scratch.Slot(first + 2, source.WorkspaceLength(m) + m + pairs);
        var wp = work.Slice(0, m);
        var ap = work.Slice(m, pairs);
        var rest = work[(m + pairs)..];
        for (int p = 0; p < paths; p++)
        {
            source.Draw((long)dW[p], (long)dW[paths + p], h, wp, areas ? ap : default, rest);
            for (int j = 0; j < m; j++) w[j * paths + p] = wp[j];
            if (areas) for (int q = 0; q < pairs; q++) a[q * paths + p] = ap[q];
        }
        GeneralNoiseMilstein.Step(ref _drift, ref _diffusion, scratch, 0, t, h, w, areas ? a : default, x, paths);
    }
}
