using Drift.Solve;
using Drift.Solve.JumpDiffusions;
using Drift.Solve.Sde;

namespace Drift.Ensembles;

/// <summary>
/// One grid step of a jump-diffusion for a batch of paths: the SDE solver's step, with every path that has a candidate
/// jump time τ in (t, t + h] integrated on its own in sub-steps cut at its candidate times. The Brownian increment of a
/// sub-step [s, τ] is drawn from the bridge between the grid values, W(τ) − W(s) ~ N(R(τ − s)/(e − s), (τ − s)(e − τ)/(e − s))
/// with R the increment left to the step's end e, so the grid increments are exactly those of the plain SDE solve; at τ
/// the candidate is thinned and, if accepted, the jump applied (<see cref="JumpCandidates.Fire"/>). Paths without a
/// candidate in the step take the batch's SIMD step unchanged.
/// </summary>
/// <remarks>Reads m Brownian rows and two key rows (path, step) per step from <see cref="JumpKeys{TBrownian}"/>.</remarks>
internal struct JumpDiffusionStepper<TDrift, TDiffusion, TSolver, TJumps>(TDrift drift, TDiffusion diffusion, TSolver solver, TJumps jumps, JumpCandidates candidates) : IEnsembleStepper
    where TDrift : struct, IDrift
    where TDiffusion : struct, IDiffusion
    where TSolver : struct, ISdeSolver
    where TJumps : struct, IJumps
{
    private SdeStepper<TDrift, TDiffusion, TSolver> _inner = new(drift, diffusion, solver);
    private TJumps _jumps = jumps;
    private readonly JumpCandidates _candidates = candidates;
    // Per worker: the ensemble loop copies the stepper into each worker, and Start allocates this in the copy.
    private Workspace? _work;

    public readonly int Dimension => _inner.Dimension;
    public readonly int NoiseDimension => _inner.NoiseDimension + 2;
    public readonly bool NeedsLevyArea => false;
    public readonly SolveCounters CountersPerStep => _inner.CountersPerStep;

    public void Start(SolverScratch scratch, double t, ReadOnlySpan<double> x, int paths)
    {
        _work ??= new Workspace();
        _work.Fresh = true;
        _inner.Start(scratch, t, x, paths);
    }

    public void Step(SolverScratch scratch, double t, double h, ReadOnlySpan<double> dW, ReadOnlySpan<double> levy, Span<double> x, int paths)
    {
        var w = _work!;
        int m = _inner.NoiseDimension, d = Dimension;
        var brownian = dW[..(m * paths)];
        var keys = dW.Slice(m * paths, paths);
        if (w.Fresh)
        {
            w.Fresh = false;
            w.Ensure(paths, d, m);
            for (int p = 0; p < paths; p++)
            {
                w.Next[p] = _candidates.Time((long)keys[p], 0, t);
                w.Index[p] = 0;
            }
        }
        double end = t + h;
        int hits = 0;
        for (int p = 0; p < paths; p++)
            if (w.Next[p] <= end) w.Hits[hits++] = p;
        if (hits == 0)
        {
            _inner.Step(scratch, t, h, brownian, levy, x, paths);
            return;
        }
        for (int j = 0; j < hits; j++)
            for (int i = 0; i < d; i++) w.Saved[j * d + i] = x[i * paths + w.Hits[j]];
        _inner.Step(scratch, t, h, brownian, levy, x, paths);
        var single = w.Single.AsSpan(0, d);
        var rest = w.Rest.AsSpan(0, m);
        var sub = w.Sub.AsSpan(0, m);
        for (int j = 0; j < hits; j++)
        {
            int p = w.Hits[j];
            long path = (long)keys[p];
            w.Saved.AsSpan(j * d, d).CopyTo(single);
            for (int r = 0; r < m; r++) rest[r] = brownian[r * paths + p];
            double s = t;
            _inner.Start(w.Scratch, s, single, 1);
            while (w.Next[p] <= end)
            {
                double tau = w.Next[p];
                long index = w.Index[p];
                if (tau > s)
                {
                    double share = (tau - s) / (end - s), spread = Math.Sqrt((tau - s) * (end - tau) / (end - s));
                    var bridge = _candidates.Bridge(path, index);
                    for (int r = 0; r < m; r++)
                    {
                        sub[r] = rest[r] * share + spread * bridge.NextNormal();
                        rest[r] -= sub[r];
                    }
                    _inner.Step(w.Scratch, s, tau - s, sub, default, single, 1);
                    s = tau;
                }
                if (_candidates.Fire(ref _jumps, path, index, tau, single)) _inner.Start(w.Scratch, s, single, 1);
                w.Index[p] = index + 1;
                w.Next[p] = _candidates.Time(path, index + 1, tau);
            }
            if (end > s) _inner.Step(w.Scratch, s, end - s, rest, default, single, 1);
            for (int i = 0; i < d; i++) x[i * paths + p] = single[i];
        }
    }

    /// <summary>A worker's per-path candidate cursors and single-path buffers.</summary>
    private sealed class Workspace
    {
        public bool Fresh;
        public double[] Next = [], Saved = [], Single = [], Rest = [], Sub = [];
        public long[] Index = [];
        public int[] Hits = [];
        public readonly SolverScratch Scratch = new();

        public void Ensure(int paths, int d, int m)
        {
            if (Next.Length < paths)
            {
                Next = new double[paths];
                Index = new long[paths];
                Hits = new int[paths];
                Saved = new double[paths * d];
            }
            if (Single.Length < d) Single = new double[d];
            if (Rest.Length < m)
            {
                Rest = new double[m];
                Sub = new double[m];
            }
        }
    }
}
