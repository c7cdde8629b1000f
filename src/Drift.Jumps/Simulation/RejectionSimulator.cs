using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Drift.Jumps.Networks;

namespace Drift.Jumps.Simulation;

/// <summary>
/// The rejection-based SSA (RSSA) of Thanh, Priami &amp; Zunino, J. Chem. Phys. 141, 134116 (2014). Each species
/// count is enclosed in a fluctuation interval [x̲ᵢ, x̄ᵢ] = [x − max(δx, 4), x + max(δx, 4)] (δ = 0.1, clamped at
/// 0), and each propensity in bounds a̲ⱼ = aⱼ(x̲) ≤ aⱼ(x) ≤ āⱼ = aⱼ(x̄) (mass-action propensities are
/// non-decreasing in every count). A trial picks j with probability āⱼ/Σā, advances time by Exp(Σā), and
/// accepts with probability aⱼ(x)/āⱼ, evaluating aⱼ(x) only when the squeeze u ≤ a̲ⱼ/āⱼ fails. Bounds are
/// recomputed only for the reactions that read a species that left its interval, so most events evaluate no
/// propensity at all: the method for large networks with many reactions.
/// <para>
/// The fast path. (1) A trial is picked from āⱼ/Σā by a two-level search over prefix sums: the reactions are cut into
/// blocks of B = max(32, ⌈√M⌉), each block keeps the prefix sums of its bounds and the blocks keep prefix sums of
/// their totals, all recomputed only when bounds change (rarely; Σā is re-added from the block totals, so it never
/// drifts). A trial then counts the prefix sums ≤ r — first over the blocks, then inside one — with independent
/// comparisons, O(√M) and free of data-dependent branches. (2) The waiting time of the accepted trial is −ln(u₁⋯u_k)/Σā over its k trials,
/// the sum of their Exp(Σā) waits taken with one logarithm instead of k (the product is folded into the sum before
/// it can underflow), and every 256 trials the run checks whether time has passed the last save (a state whose
/// bounds stay positive while every propensity is zero). (3) When a species leaves its interval, the reactions that
/// read it are queued once (species-to-reaction lists), re-bounded, and only their blocks re-summed.
/// </para>
/// <para>
/// RSSA-CR (Thanh, Zunino &amp; Priami, IEEE/ACM Trans. Comput. Biol. Bioinform. 14(3), 657–667 (2017), doi:10.1109/TCBB.2016.2530066): with
/// <c>compositionRejection</c> the trial's reaction is drawn from āⱼ/Σā by composition–rejection over groups of
/// power-of-two bounds instead (<see cref="PowerOfTwoGroups"/>: a linear search over the non-empty groups, then a
/// uniform member accepted with probability āⱼ/2ᵍ⁺¹ ≥ 1/2). Everything else — the fluctuation intervals, the bounds,
/// the squeeze, the acceptance aⱼ(x)/āⱼ and the waiting times — is the same code. The draw costs O(#groups) (the
/// groups span log₂(max ā/min ā) + 1, a few tens at most) instead of O(√M), and a re-bounded reaction moves between
/// groups in O(1): the choice for networks of thousands of reactions; below a few hundred the block search is as
/// fast (measured in docs/jumps.md).
/// </para>
/// </summary>
internal sealed class RejectionSimulator : RunSimulator
{
    private const double Delta = 0.1;
    private const int CheckEvery = 256;
    private readonly double[] _low, _high, _lowX, _highX, _cumulative, _blockCumulative;
    private readonly int[] _readerStart, _readers, _staleList, _dirtyList;
    private readonly bool[] _stale, _dirty;
    private readonly int _block, _blocks;
    private readonly PowerOfTwoGroups? _groups;

    public RejectionSimulator(PropensityTable table, ulong seed, bool compositionRejection = false) : base(table, seed)
    {
        for (int j = 0; j < table.Reactions; j++)
            if (!table.IsMassAction(j)) throw new ArgumentException("the rejection-based SSA needs mass-action propensities (bounds come from monotonicity); use direct or nrm for explicit propensities.");
        int m = table.Reactions;
        _low = new double[m];
        _high = new double[m];
        _lowX = new double[table.Species];
        _highX = new double[table.Species];
        _stale = new bool[m];
        _staleList = new int[m];
        var readers = Enumerable.Range(0, table.Species).Select(_ => new List<int>()).ToArray();
        for (int j = 0; j < m; j++)
            foreach (int i in table.Reads[j]) readers[i].Add(j);
        _readerStart = new int[table.Species + 1];
        for (int i = 0; i < table.Species; i++) _readerStart[i + 1] = _readerStart[i] + readers[i].Count;
        _readers = [.. readers.SelectMany(r => r)];
        _block = Math.Max(32, (int)Math.Ceiling(Math.Sqrt(m)));
        _blocks = Math.Max(1, (m + _block - 1) / _block);
        _cumulative = new double[m];
        _blockCumulative = new double[_blocks];
        _dirty = new bool[_blocks];
        _dirtyList = new int[_blocks];
        if (compositionRejection) _groups = new PowerOfTwoGroups(m);
    }

    /// <summary>Trials (accepted and rejected) made by this instance over all its runs; events / trials is the acceptance rate.</summary>
    internal long Trials { get; private set; }

    /// <inheritdoc/>
    /// <remarks>Compiled fully optimised at once: a trajectory is one call, whose loop would otherwise run as on-stack-replacement code.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override RunOutcome Run(long run, double[] x, ReadOnlySpan<double> saves, Span<double> output, long maxEvents)
    {
        var uniforms = Uniforms;
        var table = Table;
        uniforms.Reset(run);
        int m = A.Length;
        for (int i = 0; i < D; i++) SetInterval(i, x[i]);
        for (int j = 0; j < m; j++) Bound(j);
        var groups = _groups;
        double high0;
        if (groups is not null)
        {
            groups.Clear();
            for (int j = 0; j < m; j++) groups.Set(j, _high[j]);
            high0 = groups.Commit(_high);
        }
        else
        {
            for (int b = 0; b < _blocks; b++) SumBlock(b);
            high0 = SumBlocks();
        }
        double t = 0, end = saves[^1];
        int s = 0;
        long events = 0, trials = 0;
        while (true)
        {
            if (high0 <= 0)
            {
                RecordBefore(double.PositiveInfinity, s, saves, x, output);
                Trials += trials;
                return new RunOutcome(events, false, t);
            }
            // trials until one is accepted; each waits Exp(Σā), summed as −ln of the product of their uniforms
            int fired;
            double product = 1, waited = 0;
            int count = 0;
            while (true)
            {
                product *= uniforms.Next();
                if (product < 1e-280)
                {
                    waited -= Math.Log(product);
                    product = 1;
                }
                fired = groups is not null ? groups.Draw(uniforms, _high, high0) : Search(uniforms.Next() * high0);
                double u = uniforms.Next() * _high[fired];
                trials++;
                if (u <= _low[fired] || u <= table.Evaluate(fired, x)) break;
                if (++count == CheckEvery)
                {
                    count = 0;
                    waited -= Math.Log(product);
                    product = 1;
                    if (t + waited / high0 > end)
                    {
                        RecordBefore(double.PositiveInfinity, s, saves, x, output); // nothing changes before the next acceptance
                        Trials += trials;
                        return new RunOutcome(events, false, t + waited / high0);
                    }
                }
            }
            t += (waited - Math.Log(product)) / high0;
            if (t > end)
            {
                RecordBefore(double.PositiveInfinity, s, saves, x, output);
                Trials += trials;
                return new RunOutcome(events, false, t);
            }
            s = RecordBefore(t, s, saves, x, output);
            if (events >= maxEvents)
            {
                Trials += trials;
                return Stop(s, saves, x, output, events, t);
            }
            table.FireChecked(fired, x);
            EventSink?.Invoke(t, fired);
            events++;
            int stale = 0;
            for (int k = table.ChangeStart[fired]; k < table.ChangeStart[fired + 1]; k++)
            {
                int i = table.ChangeSpecies[k];
                if (x[i] >= _lowX[i] && x[i] <= _highX[i]) continue;
                SetInterval(i, x[i]);
                for (int q = _readerStart[i]; q < _readerStart[i + 1]; q++)
                {
                    int j = _readers[q];
                    if (_stale[j]) continue;
                    _stale[j] = true;
                    _staleList[stale++] = j;
                }
            }
            if (stale == 0) continue;
            if (groups is not null)
            {
                for (int q = 0; q < stale; q++)
                {
                    int j = _staleList[q];
                    _stale[j] = false;
                    Bound(j);
                    groups.Set(j, _high[j]);
                }
                high0 = groups.Commit(_high);
                continue;
            }
            int dirty = 0;
            for (int q = 0; q < stale; q++)
            {
                int j = _staleList[q];
                _stale[j] = false;
                Bound(j);
                int b = j / _block;
                if (_dirty[b]) continue;
                _dirty[b] = true;
                _dirtyList[dirty++] = b;
            }
            for (int q = 0; q < dirty; q++)
            {
                _dirty[_dirtyList[q]] = false;
                SumBlock(_dirtyList[q]);
            }
            high0 = SumBlocks();
        }
    }

    /// <summary>
    /// The first reaction whose cumulative upper bound exceeds r (0 ≤ r &lt; Σā): the block is the number of block
    /// prefix sums ≤ r, the reaction the number of the block's own prefix sums ≤ r minus the blocks before it — counts
    /// of independent comparisons, no dependent chain of additions and no data-dependent branch. When rounding leaves
    /// r at or above a total, the last positive bound there.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Search(double r)
    {
        int b = CumulativeSearch.CountAtMost(_blockCumulative, 0, _blocks, r);
        if (b == _blocks) return LastPositive(_high.Length);
        double rest = b == 0 ? r : r - _blockCumulative[b - 1];
        int first = b * _block, last = Math.Min(first + _block, _high.Length);
        int j = first + CumulativeSearch.CountAtMost(_cumulative, first, last, rest);
        return j < last ? j : LastPositive(last);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private int LastPositive(int end)
    {
        for (int j = end - 1; j >= 0; j--)
            if (_high[j] > 0) return j;
        return 0; // unreachable: Σā > 0
    }

    private void SetInterval(int i, double x)
    {
        double width = Math.Max(Math.Ceiling(Delta * x), 4);
        _lowX[i] = Math.Max(0, x - width);
        _highX[i] = x + width;
    }

    private void Bound(int j)
    {
        _low[j] = Table.Evaluate(j, _lowX);
        _high[j] = Table.Evaluate(j, _highX);
    }

    /// <summary>The prefix sums of the upper bounds inside block b, from the block's start.</summary>
    private void SumBlock(int b)
    {
        double sum = 0;
        for (int j = b * _block, last = Math.Min(j + _block, _high.Length); j < last; j++) _cumulative[j] = sum += _high[j];
    }

    /// <summary>The prefix sums of the block totals; returns Σā.</summary>
    private double SumBlocks()
    {
        double sum = 0;
        for (int b = 0; b < _blocks; b++)
        {
            int last = Math.Min((b + 1) * _block, _high.Length) - 1;
            _blockCumulative[b] = sum += last >= b * _block ? _cumulative[last] : 0;
        }
        return sum;
    }
}
