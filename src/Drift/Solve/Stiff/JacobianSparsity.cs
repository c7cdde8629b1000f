using Drift.Numerics;

namespace Drift.Solve.Stiff;

/// <summary>Finds a Jacobian's sparsity pattern from the right-hand side alone, for <see cref="OdeProblem{TDrift}.JacobianSparsity"/>.</summary>
public static class JacobianSparsity
{
    /// <summary>
    /// The entries (i, j) where fᵢ changes when xⱼ alone is moved by 10⁻⁴·max(1, |xⱼ|) (large, so that a small derivative
    /// is not lost in rounding), probed at two states near <paramref name="x"/>
    /// (each component moved by a fixed pseudo-random relative amount of up to 10 %, plus 10⁻³ absolute, so that an entry
    /// that vanishes at x itself — a product with a zero component — is still seen): d + 1 evaluations per state. An
    /// entry that is zero at both probes (a coupling switched off in this region) is missed, and the stiff methods then
    /// treat it as zero: give the pattern explicitly when the structure is known.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> does not have d finite entries, or f is not finite at a probe.</exception>
    public static SparsityPattern Detect<TDrift>(TDrift f, ReadOnlySpan<double> x, double t) where TDrift : struct, IDrift
    {
        int d = f.Dimension;
        if (x.Length != d) throw new ArgumentException($"the state needs d = {d} entries, got {x.Length}.", nameof(x));
        for (int i = 0; i < d; i++)
            if (!double.IsFinite(x[i])) throw new ArgumentException($"state component {i} is {x[i]}; it must be finite.", nameof(x));
        var entries = new HashSet<(int, int)>();
        var probe = new double[d];
        var f0 = new double[d];
        var fp = new double[d];
        ulong s = 0x9E3779B97F4A7C15UL;
        for (int round = 0; round < 2; round++)
        {
            for (int i = 0; i < d; i++)
            {
                s = s * 6364136223846793005UL + 1442695040888963407UL;
                double u = (s >> 11) * (1.0 / (1UL << 53)) - 0.5;
                probe[i] = x[i] * (1 + 0.2 * u) + 1e-3 * (u + 0.5 * Math.Sign(u));
            }
            f.Evaluate(t, probe, f0, 1);
            for (int i = 0; i < d; i++)
                if (!double.IsFinite(f0[i])) throw new ArgumentException($"f is {f0[i]} in component {i} near the given state; cannot detect the pattern there.", nameof(x));
            for (int j = 0; j < d; j++)
            {
                double saved = probe[j];
                probe[j] = saved + 1e-4 * Math.Max(1.0, Math.Abs(saved));
                f.Evaluate(t, probe, fp, 1);
                probe[j] = saved;
                for (int i = 0; i < d; i++)
                    if (fp[i] != f0[i]) entries.Add((i, j));
            }
        }
        return SparsityPattern.FromEntries(d, entries);
    }
}
