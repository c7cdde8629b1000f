using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Drift.Jumps.Simulation;

/// <summary>
/// Composition–rejection sampling of an index j with probability wⱼ/Σw (Slepoy, Thompson &amp; Plimpton,
/// J. Chem. Phys. 128, 205101 (2008)), as RSSA-CR uses it for the propensity upper bounds. Each positive weight lies
/// in the group g = ⌊log₂ wⱼ⌋ (wⱼ ∈ [2ᵍ, 2ᵍ⁺¹)); a draw picks a group with probability S_g/Σw by a linear search over
/// the non-empty groups' sums S_g (composition), then a member uniformly and accepts it with probability wⱼ/2ᵍ⁺¹ ≥ 1/2,
/// repeating on rejection (rejection). So P(j) = S_g/Σw · wⱼ/S_g = wⱼ/Σw exactly, and a draw costs O(number of
/// groups) plus on average fewer than two member trials, whatever the number of weights.
/// <para>
/// Updates are O(1): <see cref="Set"/> moves an index between groups by swap-removal and marks the groups touched;
/// <see cref="Commit"/> re-adds the touched groups' sums from their members and Σw from the group sums, so no sum
/// drifts by repeated differences. The groups' order and members are a function of the sequence of calls since
/// <see cref="Clear"/>, so a run is reproducible bit for bit.
/// </para>
/// </summary>
internal sealed class PowerOfTwoGroups
{
    /// <summary>log₂ of a positive finite double lies in [−1074, 1023]; a group's slot is its exponent plus this.</summary>
    private const int Offset = 1075, Slots = 2100;
    private readonly int[] _group, _slot;
    private readonly int[]?[] _members = new int[]?[Slots];
    private readonly int[] _size = new int[Slots], _activePosition = new int[Slots], _active = new int[Slots], _dirtyList = new int[Slots];
    private readonly double[] _sum = new double[Slots];
    private readonly bool[] _dirty = new bool[Slots];
    private int _activeCount, _dirtyCount;

    public PowerOfTwoGroups(int count)
    {
        _group = new int[count];
        _slot = new int[count];
        _group.AsSpan().Fill(-1);
    }

    /// <summary>Empties every group (all weights 0).</summary>
    public void Clear()
    {
        for (int q = 0; q < _activeCount; q++)
        {
            int g = _active[q];
            _size[g] = 0;
            _sum[g] = 0;
        }
        for (int q = 0; q < _dirtyCount; q++) _dirty[_dirtyList[q]] = false;
        _activeCount = _dirtyCount = 0;
        _group.AsSpan().Fill(-1);
    }

    /// <summary>Sets index j's weight to w (≥ 0, finite); the sums are brought up to date by <see cref="Commit"/>.</summary>
    public void Set(int j, double w)
    {
        int g = w > 0 ? Math.ILogB(w) + Offset : -1, old = _group[j];
        if (g != old)
        {
            if (old >= 0) Remove(j, old);
            if (g >= 0) Add(j, g);
            _group[j] = g;
        }
        else if (g >= 0) MarkDirty(g);
    }

    /// <summary>Re-adds the sums of the groups changed since the last commit (dropping emptied ones) and returns Σw.</summary>
    public double Commit(double[] w)
    {
        for (int q = 0; q < _dirtyCount; q++)
        {
            int g = _dirtyList[q];
            _dirty[g] = false;
            if (_size[g] == 0)
            {
                Deactivate(g);
                continue;
            }
            double sum = 0;
            var members = _members[g]!;
            for (int k = 0; k < _size[g]; k++) sum += w[members[k]];
            _sum[g] = sum;
        }
        _dirtyCount = 0;
        double total = 0;
        for (int q = 0; q < _activeCount; q++) total += _sum[_active[q]];
        return total;
    }

    /// <summary>
    /// Draws j with probability w[j]/Σw, Σw = <paramref name="total"/> from the last <see cref="Commit"/>: the group from
    /// one uniform (the last non-empty group when rounding leaves u·Σw at or past the sum), then member trials of two
    /// uniforms each until one is accepted.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Draw(UniformStream uniforms, double[] w, double total)
    {
        double r = uniforms.Next() * total, sum = 0;
        int g = _active[_activeCount - 1];
        for (int q = 0; q < _activeCount; q++)
        {
            sum += _sum[_active[q]];
            if (r < sum)
            {
                g = _active[q];
                break;
            }
        }
        var members = _members[g]!;
        int n = _size[g];
        double cap = Math.ScaleB(2.0, g - Offset); // 2^(g+1): every member's weight lies in [cap/2, cap)
        ref double w0 = ref MemoryMarshal.GetArrayDataReference(w);
        while (true)
        {
            int k = Math.Min((int)(uniforms.Next() * n), n - 1);
            int j = members[k];
            if (uniforms.Next() * cap < Unsafe.Add(ref w0, j)) return j;
        }
    }

    private void Add(int j, int g)
    {
        var members = _members[g] ??= new int[_group.Length];
        if (_size[g] == 0 && !IsActive(g))
        {
            _activePosition[g] = _activeCount;
            _active[_activeCount++] = g;
        }
        _slot[j] = _size[g];
        members[_size[g]++] = j;
        MarkDirty(g);
    }

    private void Remove(int j, int g)
    {
        var members = _members[g]!;
        int last = members[--_size[g]], slot = _slot[j];
        members[slot] = last;
        _slot[last] = slot;
        MarkDirty(g);
    }

    private bool IsActive(int g)
    {
        int p = _activePosition[g];
        return p < _activeCount && _active[p] == g;
    }

    private void Deactivate(int g)
    {
        if (!IsActive(g)) return;
        int p = _activePosition[g], last = _active[--_activeCount];
        _active[p] = last;
        _activePosition[last] = p;
        _sum[g] = 0;
    }

    private void MarkDirty(int g)
    {
        if (_dirty[g]) return;
        _dirty[g] = true;
        _dirtyList[_dirtyCount++] = g;
    }
}
