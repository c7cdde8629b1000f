using Drift.Jumps.Networks;

namespace Drift.Jumps.Cme;

/// <summary>
/// The chemical master equation dp/dt = pQ on a finite state projection (Munsky &amp; Khammash, J. Chem. Phys. 124,
/// 044104 (2006)): the states reachable from the initial counts inside the box 0 ≤ xᵢ ≤ maxᵢ, found by breadth-first
/// search, with generator Q (qₓᵧ = Σ aⱼ(x) over reactions j taking x to y; qₓₓ = −Σⱼ aⱼ(x)). Transitions that leave
/// the box go to an absorbing sink for transient solutions, so every computed probability is a lower bound of the
/// true one and the L1 error over all states is exactly the missing mass 1 − Σp (see
/// <see cref="CmeDistribution.ErrorBound"/>). For the stationary law they are dropped (a reflecting truncation).
/// </summary>
public sealed class FiniteStateProjection
{
    private readonly long[] _states; // state k occupies [k·d, (k+1)·d)
    private readonly Dictionary<long, int> _index;
    private readonly long[] _radix;
    private readonly int[] _start, _target; // CSR of in-box transitions x → y
    private readonly double[] _rate;
    private readonly double[] _outflow, _leak;

    private FiniteStateProjection(ReactionNetwork network, long[] states, Dictionary<long, int> index, long[] radix,
        int[] start, int[] target, double[] rate, double[] outflow, double[] leak)
    {
        Network = network;
        _states = states;
        _index = index;
        _radix = radix;
        _start = start;
        _target = target;
        _rate = rate;
        _outflow = outflow;
        _leak = leak;
    }

    /// <summary>The network.</summary>
    public ReactionNetwork Network { get; }

    /// <summary>Number of states in the projection.</summary>
    public int StateCount => _outflow.Length;

    /// <summary>Number of species d.</summary>
    public int Dimension => Network.SpeciesCount;

    /// <summary>Index of the initial state (always 0).</summary>
    public static int InitialState => 0;

    /// <summary>Count of species <paramref name="species"/> in state <paramref name="state"/>.</summary>
    public long Count(int state, int species) => _states[(long)state * Dimension + species];

    /// <summary>The index of a state, or −1 when it is outside the projection.</summary>
    public int IndexOf(ReadOnlySpan<long> counts)
    {
        if (counts.Length != Dimension) throw new ArgumentException($"expected {Dimension} counts, got {counts.Length}.", nameof(counts));
        long key = 0;
        for (int i = 0; i < Dimension; i++)
        {
            if (counts[i] < 0 || counts[i] >= _radix[i]) return -1;
            key = key * _radix[i] + counts[i];
        }
        return _index.TryGetValue(key, out int k) ? k : -1;
    }

    /// <summary>
    /// Builds the projection of <paramref name="network"/> from its initial counts inside the box 0 ≤ xᵢ ≤ maxCounts[i].
    /// </summary>
    /// <exception cref="ArgumentException">A propensity depends on time, a bound is negative or below the initial count, the box is too large to index, or more than <paramref name="maxStates"/> states are reachable.</exception>
    public static FiniteStateProjection Build(ReactionNetwork network, IReadOnlyList<long> maxCounts, int maxStates = 2_000_000)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(maxCounts);
        int d = network.SpeciesCount, m = network.ReactionCount;
        if (maxCounts.Count != d) throw new ArgumentException($"expected {d} bounds, got {maxCounts.Count}.", nameof(maxCounts));
        if (network.Reactions.FirstOrDefault(r => r.DependsOnTime) is { } timed)
            throw new ArgumentException($"the propensity of the reaction on line {timed.Line} depends on time t; the projection's generator must be time-homogeneous.", nameof(network));
        var radix = new long[d];
        double product = 1;
        for (int i = 0; i < d; i++)
        {
            if (maxCounts[i] < network.InitialCounts[i])
                throw new ArgumentException($"the bound {maxCounts[i]} of {network.Species[i]} is below its initial count {network.InitialCounts[i]}.", nameof(maxCounts));
            radix[i] = maxCounts[i] + 1;
            product *= radix[i];
        }
        if (product > 9e18) throw new ArgumentException("the box has more than 9e18 points; tighten the bounds.", nameof(maxCounts));
        var states = new List<long>();
        var index = new Dictionary<long, int>();
        var start = new List<int> { 0 };
        var target = new List<int>();
        var rates = new List<double>();
        var outflow = new List<double>();
        var leak = new List<double>();
        var x = new double[d];
        var y = new long[d];
        Add(network.InitialCounts.ToArray());
        for (int k = 0; k < states.Count / d; k++)
        {
            for (int i = 0; i < d; i++) x[i] = states[k * d + i];
            double total = 0, lost = 0;
            var row = new SortedDictionary<int, double>();
            for (int j = 0; j < m; j++)
            {
                double a = network.Propensity(j, x);
                if (!(a >= 0) || double.IsInfinity(a))
                    throw new InvalidOperationException($"the propensity of the reaction on line {network.Reactions[j].Line} is {a} at counts ({string.Join(", ", x)}).");
                if (a == 0) continue;
                bool inside = true, negative = false;
                for (int i = 0; i < d; i++)
                {
                    y[i] = (long)x[i] + network.NetChange(j, i);
                    if (y[i] < 0) negative = true;
                    else if (y[i] > maxCounts[i]) inside = false;
                }
                if (negative)
                    throw new InvalidOperationException($"the reaction on line {network.Reactions[j].Line} has propensity {a} > 0 at counts ({string.Join(", ", x)}) but would make a count negative.");
                bool same = true;
                for (int i = 0; i < d; i++) same &= y[i] == (long)x[i];
                if (same) continue; // a reaction with no net change does not move the chain
                total += a;
                if (!inside)
                {
                    lost += a;
                    continue;
                }
                int to = IndexOfOrAdd(y);
                row[to] = row.GetValueOrDefault(to) + a;
            }
            foreach (var (to, a) in row)
            {
                target.Add(to);
                rates.Add(a);
            }
            start.Add(target.Count);
            outflow.Add(total);
            leak.Add(lost);
        }
        var projection = new FiniteStateProjection(network, [.. states], index, radix, [.. start], [.. target], [.. rates], [.. outflow], [.. leak]);
        return projection;

        int IndexOfOrAdd(long[] s)
        {
            long key = 0;
            for (int i = 0; i < d; i++) key = key * radix[i] + s[i];
            if (index.TryGetValue(key, out int found)) return found;
            return Add(s);
        }

        int Add(long[] s)
        {
            long key = 0;
            for (int i = 0; i < d; i++) key = key * radix[i] + s[i];
            int id = states.Count / d;
            if (id >= maxStates) throw new ArgumentException($"more than {maxStates} states are reachable inside the bounds; tighten them or raise maxStates.", nameof(maxCounts));
            index[key] = id;
            states.AddRange(s);
            return id;
        }
    }

    /// <summary>Total rate out of each state (including transitions that leave the box).</summary>
    internal ReadOnlySpan<double> Outflow => _outflow;

    /// <summary>Rate out of the box from each state.</summary>
    internal ReadOnlySpan<double> Leak => _leak;

    /// <summary>
    /// p(t) from a point mass at the initial counts, by uniformisation (Jensen 1953; Grassmann 1977):
    /// with Λ ≥ maxₓ|qₓₓ| and P = I + Q/Λ, p(t) = Σₖ Poisson(k; Λt)·p(0)Pᵏ. The time is cut into pieces with Λτ ≤ 100
    /// and each Poisson series is truncated once its tail is below <paramref name="tolerance"/>/pieces. All terms are
    /// non-negative, so the result is a componentwise lower bound and its L1 error is at most 1 − Σp, which
    /// <see cref="CmeDistribution.ErrorBound"/> reports (FSP leak plus series truncation).
    /// </summary>
    /// <exception cref="ArgumentException">t is negative or not finite, or the tolerance is not in (0, 1).</exception>
    public CmeDistribution Transient(double t, double tolerance = 1e-10)
    {
        var p0 = new double[StateCount];
        p0[InitialState] = 1;
        return Transient(p0, t, tolerance);
    }

    /// <summary>p(t) from <paramref name="initial"/> (a distribution over the states); see <see cref="Transient(double, double)"/>.</summary>
    public CmeDistribution Transient(ReadOnlySpan<double> initial, double t, double tolerance = 1e-10)
    {
        if (initial.Length != StateCount) throw new ArgumentException($"expected {StateCount} probabilities, got {initial.Length}.", nameof(initial));
        if (!(t >= 0) || double.IsInfinity(t)) throw new ArgumentException($"t must be finite and non-negative, got {t}.", nameof(t));
        if (!(tolerance > 0 && tolerance < 1)) throw new ArgumentException($"the tolerance must lie in (0, 1), got {tolerance}.", nameof(tolerance));
        int n = StateCount;
        double lambda = 0;
        foreach (double q in _outflow) lambda = Math.Max(lambda, q);
        var p = initial.ToArray();
        if (lambda == 0 || t == 0) return new CmeDistribution(this, p, t, 0);
        lambda *= 1.02;
        int pieces = (int)Math.Ceiling(lambda * t / 100);
        double tau = t / pieces, mean = lambda * tau, truncation = 0;
        double perPiece = tolerance / pieces;
        var v = new double[n];
        var next = new double[n];
        for (int piece = 0; piece < pieces; piece++)
        {
            p.AsSpan().CopyTo(v);
            double weight = Math.Exp(-mean), mass = weight;
            var result = new double[n];
            for (int i = 0; i < n; i++) result[i] = weight * v[i];
            int kMax = (int)(mean + 20 * Math.Sqrt(mean) + 100);
            for (int k = 1; k <= kMax && 1 - mass > perPiece; k++)
            {
                Step(v, next, lambda);
                (v, next) = (next, v);
                weight *= mean / k;
                mass += weight;
                for (int i = 0; i < n; i++) result[i] += weight * v[i];
            }
            truncation += Math.Max(0, 1 - mass);
            p = result;
        }
        return new CmeDistribution(this, p, t, truncation);
    }

    /// <summary>next = v·(I + Q/Λ) with Q the absorbing-sink generator.</summary>
    private void Step(double[] v, double[] next, double lambda)
    {
        for (int i = 0; i < next.Length; i++) next[i] = v[i] * (1 - _outflow[i] / lambda);
        for (int i = 0; i < v.Length; i++)
        {
            double vi = v[i] / lambda;
            if (vi == 0) continue;
            for (int e = _start[i]; e < _start[i + 1]; e++) next[_target[e]] += vi * _rate[e];
        }
    }

    /// <summary>
    /// The stationary law π of the reflecting truncation (transitions out of the box dropped): πQ = 0, Σπ = 1, by
    /// Gaussian elimination with partial pivoting on Qᵀ with one equation replaced by the normalisation for up to 1500
    /// states, otherwise by Gauss–Seidel sweeps until ‖πQ‖₁ &lt; <paramref name="tolerance"/>. Meaningful when the box
    /// holds all but a negligible part of the true stationary mass (check <see cref="CmeDistribution.BoundaryMass"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">Gauss–Seidel did not converge in <paramref name="maxSweeps"/> sweeps, or the chain is reducible so π is not unique.</exception>
    public CmeDistribution Stationary(double tolerance = 1e-12, int maxSweeps = 200_000)
    {
        int n = StateCount;
        var outflow = new double[n];
        for (int i = 0; i < n; i++) outflow[i] = _outflow[i] - _leak[i];
        double[] pi = n <= 1500 ? DenseStationary(outflow) : GaussSeidel(outflow, tolerance, maxSweeps);
        double sum = 0;
        foreach (double v in pi) sum += v;
        for (int i = 0; i < n; i++) pi[i] = Math.Max(0, pi[i] / sum);
        double residual = Residual(pi, outflow);
        if (!(residual < Math.Max(tolerance, 1e-9)))
            throw new InvalidOperationException($"the stationary solve left a residual ‖πQ‖₁ = {residual:E2}; the truncated chain may be reducible.");
        return new CmeDistribution(this, pi, double.PositiveInfinity, 0) { Residual = residual };
    }

    private double Residual(double[] pi, double[] outflow)
    {
        var r = new double[pi.Length];
        for (int i = 0; i < pi.Length; i++)
        {
            r[i] -= pi[i] * outflow[i];
            for (int e = _start[i]; e < _start[i + 1]; e++) r[_target[e]] += pi[i] * _rate[e];
        }
        double sum = 0;
        foreach (double v in r) sum += Math.Abs(v);
        return sum;
    }

    private double[] DenseStationary(double[] outflow)
    {
        int n = StateCount;
        var a = new double[n, n]; // row j: Σᵢ πᵢ qᵢⱼ = 0
        for (int i = 0; i < n; i++)
        {
            a[i, i] -= outflow[i];
            for (int e = _start[i]; e < _start[i + 1]; e++) a[_target[e], i] += _rate[e];
        }
        var b = new double[n];
        for (int i = 0; i < n; i++) a[n - 1, i] = 1;
        b[n - 1] = 1;
        for (int c = 0; c < n; c++)
        {
            int pivot = c;
            for (int r = c + 1; r < n; r++) if (Math.Abs(a[r, c]) > Math.Abs(a[pivot, c])) pivot = r;
            if (a[pivot, c] == 0) throw new InvalidOperationException("the truncated chain is reducible: its stationary law is not unique.");
            if (pivot != c)
            {
                for (int k = 0; k < n; k++) (a[c, k], a[pivot, k]) = (a[pivot, k], a[c, k]);
                (b[c], b[pivot]) = (b[pivot], b[c]);
            }
            for (int r = c + 1; r < n; r++)
            {
                double f = a[r, c] / a[c, c];
                if (f == 0) continue;
                for (int k = c; k < n; k++) a[r, k] -= f * a[c, k];
                b[r] -= f * b[c];
            }
        }
        var x = new double[n];
        for (int r = n - 1; r >= 0; r--)
        {
            double s = b[r];
            for (int k = r + 1; k < n; k++) s -= a[r, k] * x[k];
            x[r] = s / a[r, r];
        }
        return x;
    }

    private double[] GaussSeidel(double[] outflow, double tolerance, int maxSweeps)
    {
        int n = StateCount;
        var inStart = new int[n + 1];
        foreach (int to in _target) inStart[to + 1]++;
        for (int i = 0; i < n; i++) inStart[i + 1] += inStart[i];
        var inFrom = new int[_target.Length];
        var inRate = new double[_target.Length];
        var fill = inStart[..n];
        for (int i = 0; i < n; i++)
            for (int e = _start[i]; e < _start[i + 1]; e++)
            {
                int slot = fill[_target[e]]++;
                inFrom[slot] = i;
                inRate[slot] = _rate[e];
            }
        var pi = new double[n];
        Array.Fill(pi, 1.0 / n);
        for (int sweep = 0; sweep < maxSweeps; sweep++)
        {
            for (int j = 0; j < n; j++)
            {
                if (outflow[j] == 0) continue;
                double s = 0;
                for (int e = inStart[j]; e < inStart[j + 1]; e++) s += pi[inFrom[e]] * inRate[e];
                pi[j] = s / outflow[j];
            }
            if (sweep % 16 == 15)
            {
                double sum = pi.Sum();
                for (int i = 0; i < n; i++) pi[i] /= sum;
                if (Residual(pi, outflow) < tolerance) return pi;
            }
        }
        throw new InvalidOperationException($"Gauss–Seidel did not reach ‖πQ‖₁ < {tolerance} in {maxSweeps} sweeps.");
    }
}
