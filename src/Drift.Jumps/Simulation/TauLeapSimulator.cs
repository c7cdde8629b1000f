using Drift.Jumps.Networks;
using Drift.Random;

namespace Drift.Jumps.Simulation;

/// <summary>
/// Explicit tau-leaping with the step selection and critical reactions of Cao, Gillespie &amp; Petzold, "Efficient
/// step size selection for the tau-leaping simulation method", J. Chem. Phys. 124, 044109 (2006):
/// <list type="number">
/// <item>A reaction is critical when aⱼ &gt; 0 and it can fire fewer than n_c = 10 more times before a reactant runs
/// out (Lⱼ = minᵢ ⌊xᵢ/|νᵢⱼ|⌋ over consumed species).</item>
/// <item>τ′ = minᵢ { max(εxᵢ/gᵢ, 1)/|μᵢ|, max(εxᵢ/gᵢ, 1)²/σᵢ² } over reactant species, with μᵢ = Σ νᵢⱼaⱼ and
/// σᵢ² = Σ νᵢⱼ²aⱼ over non-critical j, and gᵢ the CGP order factor (1; 2 or 2 + 1/(xᵢ−1); 3, 3/2·(2 + 1/(xᵢ−1)) or
/// 3 + 1/(xᵢ−1) + 2/(xᵢ−2) for first, second and third order; taken as the largest over all reactions consuming
/// species i, and as order + Σₘ m/(xᵢ−m) beyond third order; explicit propensities use their reactant
/// stoichiometry as if mass action).</item>
/// <item>If τ′ &lt; 10/a₀, 100 exact direct-method steps are taken instead.</item>
/// <item>τ″ ~ Exp(a₀c) for the critical reactions; the leap is τ = min(τ′, τ″, time to the next save); if τ = τ″, one
/// critical reaction (chosen ∝ aⱼ) fires once; each non-critical one fires Poisson(aⱼτ) times.</item>
/// <item>If any count would become negative the leap is rejected and retried with τ′/2, so no count is ever negative.</item>
/// </list>
/// Poisson numbers of leap k of run r come from <see cref="StepDraws"/> keyed by (seed, r, k); exponentials and
/// selections from the run's uniform stream.
/// </summary>
internal sealed class TauLeapSimulator : RunSimulator
{
    private const int CriticalThreshold = 10;
    private const int SsaSteps = 100;
    private readonly double _epsilon;
    private readonly ulong _poissonSeed;
    private readonly bool[] _critical;
    private readonly long[] _firings;
    private readonly double[] _trial;
    private readonly double[] _mu, _sigma2;
    private readonly bool[] _isReactant;
    private readonly (int Order, int Coefficient)[][] _orders;

    public TauLeapSimulator(PropensityTable table, ulong seed, double epsilon) : base(table, seed)
    {
        _epsilon = epsilon;
        _poissonSeed = SeedMixer.Derive(seed, 0x5441_554C_4541_5053); // "TAULEAPS"
        int m = table.Reactions, d = table.Species;
        _critical = new bool[m];
        _firings = new long[m];
        _trial = new double[d];
        _mu = new double[d];
        _sigma2 = new double[d];
        _isReactant = new bool[d];
        var orders = Enumerable.Range(0, d).Select(_ => new List<(int, int)>()).ToArray();
        for (int j = 0; j < m; j++)
        {
            var species = table.ReactantSpecies(j);
            var counts = table.ReactantCounts(j);
            int order = 0;
            foreach (int c in counts) order += c;
            for (int k = 0; k < species.Length; k++)
            {
                _isReactant[species[k]] = true;
                orders[species[k]].Add((order, counts[k]));
            }
        }
        _orders = [.. orders.Select(o => o.Distinct().ToArray())];
    }

    public override RunOutcome Run(long run, double[] x, ReadOnlySpan<double> saves, Span<double> output, long maxEvents)
    {
        Uniforms.Reset(run);
        double t = 0;
        int s = 0;
        long events = 0;
        ulong leap = 0;
        while (true)
        {
            s = RecordUpTo(t, s, saves, x, output);
            if (s == saves.Length) return new RunOutcome(events, false, t);
            if (events >= maxEvents) return Stop(s, saves, x, output, events, t);
            double a0 = EvaluateAll(x);
            if (a0 <= 0)
            {
                RecordBefore(double.PositiveInfinity, s, saves, x, output);
                return new RunOutcome(events, false, t);
            }
            double tauPrime = CandidateLeap(x, out double a0Critical);
            if (tauPrime < 10 / a0)
            {
                if (!ExactSteps(x, ref t, ref s, saves, output, ref events, maxEvents)) return new RunOutcome(events, false, t);
                continue;
            }
            double horizon = saves[s] - t;
            while (true)
            {
                double tauCritical = a0Critical > 0 ? Uniforms.Exponential() / a0Critical : double.PositiveInfinity;
                double tau = Math.Min(Math.Min(tauPrime, tauCritical), horizon);
                bool fireCritical = tauCritical <= tauPrime && tauCritical < horizon;
                int critical = fireCritical ? PickCritical(Uniforms.Next() * a0Critical) : -1;
                var draws = new StepDraws(_poissonSeed, (ulong)run, leap++);
                x.AsSpan().CopyTo(_trial);
                for (int j = 0; j < A.Length; j++)
                {
                    long k = j == critical ? 1 : _critical[j] || A[j] <= 0 ? 0 : Variates.Poisson(ref draws, A[j] * tau);
                    _firings[j] = k;
                    if (k != 0) Table.Fire(j, _trial, k);
                }
                bool negative = false;
                foreach (double v in _trial) negative |= v < 0;
                if (negative && critical >= 0)
                {
                    x.AsSpan().CopyTo(_trial);
                    Table.Fire(critical, _trial);
                    if (_trial.AsSpan().IndexOfAnyExceptInRange(0.0, double.MaxValue) >= 0)
                        Table.FireChecked(critical, (double[])x.Clone()); // throws: the critical reaction alone drives a count negative
                }
                if (negative)
                {
                    tauPrime *= 0.5;
                    continue;
                }
                _trial.AsSpan().CopyTo(x);
                t = tau == horizon ? saves[s] : t + tau;
                events++;
                break;
            }
        }
    }

    /// <summary>Records x at every save time at or before t.</summary>
    private int RecordUpTo(double t, int s, ReadOnlySpan<double> saves, double[] x, Span<double> output)
    {
        while (s < saves.Length && saves[s] <= t)
        {
            x.AsSpan().CopyTo(output.Slice(s * D, D));
            s++;
        }
        return s;
    }

    /// <summary>Marks the critical reactions and returns τ′ (∞ when every reaction is critical) and a₀c.</summary>
    private double CandidateLeap(double[] x, out double a0Critical)
    {
        a0Critical = 0;
        Array.Clear(_mu);
        Array.Clear(_sigma2);
        for (int j = 0; j < A.Length; j++)
        {
            _critical[j] = false;
            if (A[j] <= 0) continue;
            double firings = double.PositiveInfinity;
            for (int k = Table.ChangeStart[j]; k < Table.ChangeStart[j + 1]; k++)
                if (Table.ChangeDelta[k] < 0) firings = Math.Min(firings, Math.Floor(x[Table.ChangeSpecies[k]] / -Table.ChangeDelta[k]));
            if (firings < CriticalThreshold)
            {
                _critical[j] = true;
                a0Critical += A[j];
                continue;
            }
            for (int k = Table.ChangeStart[j]; k < Table.ChangeStart[j + 1]; k++)
            {
                double v = Table.ChangeDelta[k];
                _mu[Table.ChangeSpecies[k]] += v * A[j];
                _sigma2[Table.ChangeSpecies[k]] += v * v * A[j];
            }
        }
        double tau = double.PositiveInfinity;
        for (int i = 0; i < D; i++)
        {
            if (!_isReactant[i]) continue;
            double bound = Math.Max(_epsilon * x[i] / OrderFactor(i, x[i]), 1);
            if (_mu[i] != 0) tau = Math.Min(tau, bound / Math.Abs(_mu[i]));
            if (_sigma2[i] != 0) tau = Math.Min(tau, bound * bound / _sigma2[i]);
        }
        return tau;
    }

    private double OrderFactor(int species, double x)
    {
        double g = 1;
        foreach (var (order, coefficient) in _orders[species])
        {
            double h = order;
            if (order == 3 && coefficient == 2) h = 1.5 * (2 + 1 / Math.Max(x - 1, 1));
            else for (int q = 1; q < coefficient; q++) h += q / Math.Max(x - q, 1);
            g = Math.Max(g, h);
        }
        return g;
    }

    private int PickCritical(double r)
    {
        double sum = 0;
        int last = -1;
        for (int j = 0; j < A.Length; j++)
        {
            if (!_critical[j]) continue;
            sum += A[j];
            last = j;
            if (sum > r) return j;
        }
        return last;
    }

    /// <summary>Up to 100 direct-method steps; false when the run is over (every save recorded or a₀ = 0 with saves filled).</summary>
    private bool ExactSteps(double[] x, ref double t, ref int s, ReadOnlySpan<double> saves, Span<double> output, ref long events, long maxEvents)
    {
        for (int step = 0; step < SsaSteps && events < maxEvents; step++)
        {
            double a0 = step == 0 ? SumA() : EvaluateAll(x);
            double next = a0 > 0 ? t + Uniforms.Exponential() / a0 : double.PositiveInfinity;
            s = RecordBefore(next, s, saves, x, output);
            if (s == saves.Length) return false;
            t = next;
            double r = Uniforms.Next() * a0, sum = 0;
            int fired = -1;
            for (int j = 0; j < A.Length; j++)
            {
                if (A[j] <= 0) continue;
                sum += A[j];
                fired = j;
                if (sum > r) break;
            }
            Table.FireChecked(fired, x);
            events++;
        }
        return true;
    }

    private double SumA()
    {
        double sum = 0;
        foreach (double a in A) sum += a;
        return sum;
    }
}
