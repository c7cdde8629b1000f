using Drift.Jumps.Cme;
using Drift.Jumps.Networks;
using Drift.Jumps.Simulation;
using Drift.Numerics;
using Drift.Random;

namespace Drift.Jumps.Inference;

/// <summary>
/// Maximum-likelihood stochastic rate constants of mass-action reactions, with confidence intervals, from data:
/// fully observed trajectories (closed form, <see cref="FromTrajectories"/>) or sparse, noisy observations at discrete
/// times (likelihood through the master equation, <see cref="FromObservations"/>).
/// </summary>
public static class RateInference
{
    /// <summary>
    /// Rates from fully observed paths. A mass-action propensity is aⱼ(x) = cⱼhⱼ(x) with hⱼ(x) = Πᵢ xᵢ⁽ʳⁱ⁾/rᵢ!, and the
    /// log-likelihood of paths observed on their windows [0, Tₚ] (Wilkinson, <i>Stochastic Modelling for Systems
    /// Biology</i>, ch. 10) is ℓ(c) = Σⱼ (nⱼ ln cⱼ − cⱼEⱼ) + const, with nⱼ the number of firings of j and
    /// Eⱼ = Σₚ ∫₀^Tₚ hⱼ(x(t)) dt its exposure. Hence the closed form ĉⱼ = nⱼ/Eⱼ, standard error ĉⱼ/√nⱼ (Fisher
    /// information nⱼ/ĉⱼ²), and the profile-likelihood interval {c : 2(ℓ(ĉ) − ℓ(c)) ≤ χ²₁(level)}, i.e. the r = c/ĉ
    /// with 2nⱼ(r − 1 − ln r) ≤ χ²₁ (for nⱼ = 0: ĉ = 0 and [0, χ²₁/(2Eⱼ)]). Each reaction's factor is separate, so the
    /// intervals are per reaction.
    /// </summary>
    /// <param name="trajectories">Independent paths of one network (same <see cref="JumpTrajectory.Network"/> instance, or networks with the same species and reactions).</param>
    /// <param name="level">Confidence level in (0, 1).</param>
    /// <exception cref="ArgumentException">No trajectories, networks that differ, a reaction with an explicit propensity, a reaction with zero exposure (its rate is not identifiable), or a bad level.</exception>
    public static RateFit FromTrajectories(IReadOnlyList<JumpTrajectory> trajectories, double level = 0.95)
    {
        double q = ChiSquare1(level);
        var (network, firings, exposure) = SufficientStatistics(trajectories);
        int m = network.ReactionCount;
        var estimates = new RateEstimate[m];
        double logLikelihood = 0;
        for (int j = 0; j < m; j++)
        {
            double n = firings[j], c = n / exposure[j];
            logLikelihood += (n > 0 ? n * Math.Log(c) : 0) - c * exposure[j];
            if (n == 0)
            {
                estimates[j] = new RateEstimate(j, 0, 0, 0, q / (2 * exposure[j]));
                continue;
            }
            // 2n(r − 1 − ln r) = q on each side of r = 1
            double lower = c * ProfileRoot(n, q, below: true), upper = c * ProfileRoot(n, q, below: false);
            estimates[j] = new RateEstimate(j, c, c / Math.Sqrt(n), lower, upper);
        }
        return new RateFit(estimates, logLikelihood, level, 1, true, 0);
    }

    /// <summary>
    /// The sufficient statistics of fully observed paths: per reaction the firings nⱼ and the exposure
    /// Eⱼ = Σₚ ∫₀^Tₚ hⱼ(x(t)) dt, after the checks of <see cref="FromTrajectories"/>.
    /// </summary>
    internal static (ReactionNetwork Network, long[] Firings, double[] Exposure) SufficientStatistics(IReadOnlyList<JumpTrajectory> trajectories)
    {
        ArgumentNullException.ThrowIfNull(trajectories);
        if (trajectories.Count == 0) throw new ArgumentException("there are no trajectories.", nameof(trajectories));
        var network = trajectories[0].Network;
        int m = network.ReactionCount;
        foreach (var p in trajectories)
        {
            ArgumentNullException.ThrowIfNull(p, nameof(trajectories));
            if (!ReferenceEquals(p.Network, network) && (p.Network.ReactionCount != m || !p.Network.Species.SequenceEqual(network.Species)))
                throw new ArgumentException("the trajectories come from networks with different species or reactions.", nameof(trajectories));
        }
        for (int j = 0; j < m; j++)
            if (!network.Reactions[j].IsMassAction)
                throw new ArgumentException($"the reaction on line {network.Reactions[j].Line} has an explicit propensity; the closed form needs mass action.", nameof(trajectories));
        var firings = new long[m];
        var exposure = new double[m];
        foreach (var p in trajectories)
        {
            foreach (int j in p.Reactions) firings[j]++;
            p.ForEachPiece((x, start, end) =>
            {
                for (int j = 0; j < m; j++) exposure[j] += Combinations(network.Reactions[j], x) * (end - start);
            });
        }
        for (int j = 0; j < m; j++)
            if (!(exposure[j] > 0))
                throw new ArgumentException($"the reaction on line {network.Reactions[j].Line} could never fire along the trajectories (zero exposure); its rate is not identifiable.", nameof(trajectories));
        return (network, firings, exposure);
    }

    /// <summary>
    /// Rates from sparse, noisy observations at discrete times. The likelihood of one series is computed exactly (up
    /// to the finite-state-projection loss) by the forward filter of the hidden Markov chain: starting from the point
    /// mass at the network's initial counts, p is propagated over each interval by the master equation's transient
    /// solution (<see cref="FiniteStateProjection.Transient(ReadOnlySpan{double}, double, double)"/>, uniformisation),
    /// weighted by the observation likelihood p(y_k | x) of <paramref name="noise"/>, and renormalised; ln L is the
    /// sum of the logs of the normalisers, summed over independent series. −ln L is minimised over θ = ln c of the
    /// fitted reactions by Nelder–Mead (<see cref="ObservationFitOptions"/>), and the intervals are Wald intervals on
    /// the log scale from the observed information: exp(θ̂ⱼ ± z·√(H⁻¹)ⱼⱼ), H the Hessian of −ln L in θ by central
    /// differences (step 10⁻²), z = Φ⁻¹((1 + level)/2); StandardError is the delta-method ĉⱼ·√(H⁻¹)ⱼⱼ.
    /// </summary>
    /// <exception cref="ArgumentException">Missing box, bad indices, an explicit-propensity reaction asked for, bad options.</exception>
    /// <exception cref="InvalidOperationException">The data are impossible at every tried rate, or the observed information is not positive definite at the optimum (rates not identifiable from these data).</exception>
    public static RateFit FromObservations(ReactionNetwork network, IReadOnlyList<Observations> data, ObservationNoise noise, ObservationFitOptions options)
    {
        var problem = ObservationProblem.Create(network, data, noise, options);
        double z = Math.Sqrt(ChiSquare1(options.Level));
        int[] fit = problem.Fit;
        double truncation = 0;
        double NegativeLogLikelihood(double[] theta)
        {
            double log = problem.LogLikelihood(theta, out double lost);
            truncation = lost;
            return -log;
        }

        var (best, f, evaluations, converged) = NelderMead.Minimise(NegativeLogLikelihood, problem.Start, step: 0.5, options.Tolerance, options.MaxEvaluations);
        if (!double.IsFinite(f)) throw new InvalidOperationException("the observations have zero likelihood at every rate tried; check the noise model and the projection box.");
        NegativeLogLikelihood(best);
        double lostAtBest = truncation;
        var covariance = InverseHessian(NegativeLogLikelihood, best, f, 1e-2);
        evaluations += 2 * fit.Length * fit.Length + 1;
        var estimates = new RateEstimate[fit.Length];
        for (int k = 0; k < fit.Length; k++)
        {
            double se = Math.Sqrt(covariance[k * fit.Length + k]), c = Math.Exp(best[k]);
            estimates[k] = new RateEstimate(fit[k], c, c * se, Math.Exp(best[k] - z * se), Math.Exp(best[k] + z * se));
        }
        Array.Sort(estimates, (a, b) => a.Reaction.CompareTo(b.Reaction));
        return new RateFit(estimates, -f, options.Level, evaluations, converged, lostAtBest);
    }

    /// <summary>ln L of the series under <paramref name="network"/> by the forward filter, and the largest projection loss of one interval.</summary>
    internal static (double LogLikelihood, double Lost) LogLikelihood(ReactionNetwork network, IReadOnlyList<long> box, IReadOnlyList<Observations> data, ObservationNoise noise, double tolerance)
    {
        var space = FiniteStateProjection.Build(network, box);
        int n = space.StateCount;
        double total = 0, lost = 0;
        var weights = new double[n];
        foreach (var series in data)
        {
            var p = new double[n];
            p[FiniteStateProjection.InitialState] = 1;
            double previous = 0;
            for (int k = 0; k < series.Times.Count; k++)
            {
                var transient = space.Transient(p, series.Times[k] - previous, tolerance);
                previous = series.Times[k];
                lost = Math.Max(lost, transient.ErrorBound);
                var q = transient.Probabilities;
                double normaliser = 0;
                for (int x = 0; x < n; x++)
                {
                    if (q[x] == 0)
                    {
                        weights[x] = 0;
                        continue;
                    }
                    double log = 0;
                    for (int s = 0; s < series.Species.Count && log > double.NegativeInfinity; s++)
                        log += noise.LogLikelihood(series.Value(k, s), space.Count(x, series.Species[s]));
                    weights[x] = q[x] * Math.Exp(log);
                    normaliser += weights[x];
                }
                if (!(normaliser > 0)) return (double.NegativeInfinity, lost);
                total += Math.Log(normaliser);
                for (int x = 0; x < n; x++) p[x] = weights[x] / normaliser;
            }
        }
        return (total, lost);
    }

    /// <summary>H⁻¹ (row-major) with H the central-difference Hessian of f at x (f(x) = fx).</summary>
    private static double[] InverseHessian(Func<double[], double> f, double[] x, double fx, double h)
    {
        int n = x.Length;
        var hessian = new double[n * n];
        double At(int i, double di, int j, double dj)
        {
            var y = (double[])x.Clone();
            y[i] += di;
            y[j] += dj;
            return f(y);
        }
        for (int i = 0; i < n; i++)
        {
            hessian[i * n + i] = (At(i, h, i, 0) - 2 * fx + At(i, -h, i, 0)) / (h * h);
            for (int j = i + 1; j < n; j++)
            {
                double v = (At(i, h, j, h) - At(i, h, j, -h) - At(i, -h, j, h) + At(i, -h, j, -h)) / (4 * h * h);
                hessian[i * n + j] = hessian[j * n + i] = v;
            }
        }
        for (int i = 0; i < n; i++)
            if (!(hessian[i * n + i] > 0))
                throw new InvalidOperationException($"the observed information is not positive definite at the maximum (d²(−ln L)/dθ{i}² = {hessian[i * n + i]}): the rates are not identifiable from these data.");
        var lu = new DenseLu(n);
        if (lu.Factor(hessian) >= 0) throw new InvalidOperationException("the observed information is singular at the maximum: the rates are not identifiable from these data.");
        var inverse = new double[n * n];
        var column = new double[n];
        for (int j = 0; j < n; j++)
        {
            Array.Clear(column);
            column[j] = 1;
            lu.Solve(column);
            for (int i = 0; i < n; i++) inverse[i * n + j] = column[i];
        }
        for (int i = 0; i < n; i++)
            if (!(inverse[i * n + i] > 0))
                throw new InvalidOperationException("the observed information is not positive definite at the maximum: the rates are not identifiable from these data.");
        return inverse;
    }

    /// <summary>hⱼ(x) = Πᵢ xᵢ(xᵢ−1)…(xᵢ−rᵢ+1)/rᵢ! (the propensity without its constant).</summary>
    private static double Combinations(Reaction reaction, long[] x)
    {
        double h = 1;
        foreach (var r in reaction.Reactants)
        {
            long v = x[r.Species];
            for (int q = 0; q < r.Count; q++) h *= (double)(v - q) / (q + 1);
            if (h <= 0) return 0;
        }
        return h;
    }

    /// <summary>The root r of 2n(r − 1 − ln r) = q below or above 1, by bisection on ln r.</summary>
    private static double ProfileRoot(double n, double q, bool below)
    {
        double lo = 0, hi = below ? -1 : 1; // ln r
        while (2 * n * (Math.Exp(hi) - 1 - hi) < q) hi *= 2;
        for (int i = 0; i < 200; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (2 * n * (Math.Exp(mid) - 1 - mid) < q) lo = mid;
            else hi = mid;
        }
        return Math.Exp(0.5 * (lo + hi));
    }

    /// <summary>χ²₁ quantile at <paramref name="level"/>: (Φ⁻¹((1 + level)/2))².</summary>
    private static double ChiSquare1(double level)
    {
        if (!(level > 0 && level < 1)) throw new ArgumentException($"the confidence level must lie in (0, 1), got {level}.", nameof(level));
        double z = NormalQuantile.Evaluate(0.5 * (1 + level));
        return z * z;
    }
}
