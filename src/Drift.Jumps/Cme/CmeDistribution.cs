namespace Drift.Jumps.Cme;

/// <summary>A probability distribution over the states of a <see cref="FiniteStateProjection"/>.</summary>
public sealed class CmeDistribution
{
    private readonly double[] _p;

    internal CmeDistribution(FiniteStateProjection space, double[] probabilities, double time, double truncation)
    {
        Space = space;
        _p = probabilities;
        Time = time;
        Truncation = truncation;
    }

    /// <summary>The state space.</summary>
    public FiniteStateProjection Space { get; }

    /// <summary>The time (∞ for a stationary law).</summary>
    public double Time { get; }

    /// <summary>Probability of each state, in the order of <see cref="Space"/>.</summary>
    public ReadOnlySpan<double> Probabilities => _p;

    /// <summary>Mass dropped by truncating the uniformisation series (≤ the requested tolerance).</summary>
    public double Truncation { get; }

    /// <summary>‖πQ‖₁ of a stationary law (0 for transients).</summary>
    public double Residual { get; init; }

    /// <summary>
    /// Bound on the L1 distance to the exact CME solution over all states: 1 − Σp for a transient (FSP leak plus series
    /// truncation; every computed probability is a lower bound, Munsky &amp; Khammash 2006). For a stationary law of the
    /// reflecting truncation no rigorous bound is given: see <see cref="BoundaryMass"/>.
    /// </summary>
    public double ErrorBound
    {
        get
        {
            if (double.IsPositiveInfinity(Time)) return double.NaN;
            double sum = 0;
            foreach (double v in _p) sum += v;
            return Math.Max(0, 1 - sum);
        }
    }

    /// <summary>Probability of the states from which a reaction leaves the box (small when the box is large enough).</summary>
    public double BoundaryMass
    {
        get
        {
            double sum = 0;
            var leak = Space.Leak;
            for (int k = 0; k < _p.Length; k++) if (leak[k] > 0) sum += _p[k];
            return sum;
        }
    }

    /// <summary>The marginal law of one species: element k is P(X = k).</summary>
    public double[] Marginal(int species)
    {
        if ((uint)species >= (uint)Space.Dimension) throw new ArgumentOutOfRangeException(nameof(species), species, $"there are {Space.Dimension} species.");
        long max = 0;
        for (int k = 0; k < _p.Length; k++) max = Math.Max(max, Space.Count(k, species));
        var marginal = new double[max + 1];
        for (int k = 0; k < _p.Length; k++) marginal[Space.Count(k, species)] += _p[k];
        return marginal;
    }

    /// <summary>E[Xᵢ] under the (sub-)distribution.</summary>
    public double Mean(int species)
    {
        var m = Marginal(species);
        double s = 0;
        for (int k = 0; k < m.Length; k++) s += k * m[k];
        return s;
    }

    /// <summary>Var[Xᵢ] under the distribution (normalised by its mass).</summary>
    public double Variance(int species)
    {
        var m = Marginal(species);
        double total = 0, s1 = 0, s2 = 0;
        for (int k = 0; k < m.Length; k++)
        {
            total += m[k];
            s1 += k * m[k];
            s2 += (double)k * k * m[k];
        }
        double mean = s1 / total;
        return s2 / total - mean * mean;
    }
}
