using Drift.Ensembles;
using Drift.Potentials;

namespace Drift.Langevin;

/// <summary>
/// Kinetic and configurational temperatures of a Langevin ensemble: k_B T_kin = ⟨|p|²/M⟩/n and
/// k_B T_conf = ⟨|∇U|²⟩/⟨ΔU⟩, both 1/β under the invariant measure; their deviation from 1/β measures
/// discretisation bias or lack of equilibration.
/// </summary>
public static class LangevinDiagnostics
{
    private const int Batch = 1024;

    /// <summary>Measures the temperatures of the paths kept in a solution at one save time.</summary>
    /// <param name="potential">The potential the paths were simulated in (dimension n).</param>
    /// <param name="solution">A solution of dimension 2n solved with <see cref="EnsembleOptions.KeepPaths"/>.</param>
    /// <param name="save">Index of the save time.</param>
    /// <param name="mass">Mass M &gt; 0 used in the simulation.</param>
    /// <exception cref="ArgumentException">Dimensions disagree or the mass is not positive.</exception>
    /// <exception cref="InvalidOperationException">Paths were not kept.</exception>
    public static Temperatures Measure<TPotential>(TPotential potential, EnsembleSolution solution, int save, double mass = 1.0)
        where TPotential : struct, ILaplacianPotential
    {
        ArgumentNullException.ThrowIfNull(solution);
        int n = CheckDimensions(potential, solution.Dimension, nameof(solution));
        if (!solution.HasPaths) throw new InvalidOperationException("per-path states were not kept: set EnsembleOptions.KeepPaths to measure temperatures.");
        long total = solution.PathCount;
        var accumulator = new Accumulator(n, mass);
        var states = new double[2 * n * Batch];
        for (long start = 0; start < total; start += Batch)
        {
            int paths = (int)Math.Min(Batch, total - start);
            for (int i = 0; i < 2 * n; i++)
                solution.PathsAt(save, i).Slice((int)start, paths).CopyTo(states.AsSpan(i * paths, paths));
            accumulator.Add(potential, states.AsSpan(0, 2 * n * paths), paths);
        }
        return accumulator.Result();
    }

    /// <summary>Measures the temperatures of a batch of states (2n component-major rows of <paramref name="paths"/> values).</summary>
    /// <param name="potential">The potential (dimension n).</param>
    /// <param name="states">Positions then momenta, 2n rows.</param>
    /// <param name="paths">Number of paths (the row length).</param>
    /// <param name="mass">Mass M &gt; 0.</param>
    /// <exception cref="ArgumentException">The span is shorter than 2n rows or the mass is not positive.</exception>
    public static Temperatures Measure<TPotential>(TPotential potential, ReadOnlySpan<double> states, int paths, double mass = 1.0)
        where TPotential : struct, ILaplacianPotential
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(paths);
        int n = CheckDimensions(potential, 2 * potential.Dimension, nameof(potential));
        if (states.Length < 2 * n * paths)
            throw new ArgumentException($"states holds {states.Length} values, fewer than 2n·paths = {2L * n * paths}.", nameof(states));
        var accumulator = new Accumulator(n, mass);
        var buffer = new double[2 * n * Math.Min(paths, Batch)];
        for (int start = 0; start < paths; start += Batch)
        {
            int count = Math.Min(Batch, paths - start);
            for (int i = 0; i < 2 * n; i++)
                states.Slice(i * paths + start, count).CopyTo(buffer.AsSpan(i * count, count));
            accumulator.Add(potential, buffer.AsSpan(0, 2 * n * count), count);
        }
        return accumulator.Result();
    }

    private static int CheckDimensions<TPotential>(TPotential potential, int stateDimension, string parameter)
        where TPotential : struct, ILaplacianPotential
    {
        int n = potential.Dimension;
        if (n < 1) throw new ArgumentException($"the potential has dimension {n}; it must have at least one coordinate.", nameof(potential));
        if (stateDimension != 2 * n)
            throw new ArgumentException($"the states have {stateDimension} components but a Langevin state in a {n}-dimensional potential has {2 * n}.", parameter);
        return n;
    }

    /// <summary>Streaming means, variances and the covariance of |∇U|² and ΔU (Welford updates).</summary>
    private sealed class Accumulator
    {
        private readonly int _n;
        private readonly double _mass;
        private double[] _gradient = [], _laplacian = [], _energy = [];
        private long _count;
        private double _meanK, _m2K, _meanA, _m2A, _meanB, _m2B, _cAB, _meanU, _m2U;

        public Accumulator(int n, double mass)
        {
            if (!(mass > 0) || !double.IsFinite(mass))
                throw new ArgumentOutOfRangeException(nameof(mass), mass, "the mass must be positive and finite.");
            _n = n;
            _mass = mass;
        }

        public void Add<TPotential>(TPotential potential, ReadOnlySpan<double> states, int paths)
            where TPotential : struct, ILaplacianPotential
        {
            int length = _n * paths;
            if (_gradient.Length < length) _gradient = new double[length];
            if (_energy.Length < paths)
            {
                _energy = new double[paths];
                _laplacian = new double[paths];
            }
            var q = states[..length];
            var p = states.Slice(length, length);
            var g = _gradient.AsSpan(0, length);
            potential.Gradient(q, g, paths);
            potential.Laplacian(q, _laplacian.AsSpan(0, paths), paths);
            potential.Value(q, _energy.AsSpan(0, paths), paths);
            for (int j = 0; j < paths; j++)
            {
                double kinetic = 0, squaredGradient = 0;
                for (int i = 0; i < _n; i++)
                {
                    double pi = p[i * paths + j], gi = g[i * paths + j];
                    kinetic += pi * pi;
                    squaredGradient += gi * gi;
                }
                kinetic /= _mass * _n;
                double lap = _laplacian[j], u = _energy[j];
                if (!double.IsFinite(kinetic) || !double.IsFinite(squaredGradient) || !double.IsFinite(lap) || !double.IsFinite(u)) continue;
                _count++;
                double dK = kinetic - _meanK, dA = squaredGradient - _meanA, dB = lap - _meanB, dU = u - _meanU;
                _meanK += dK / _count;
                _meanA += dA / _count;
                _meanB += dB / _count;
                _meanU += dU / _count;
                _m2K += dK * (kinetic - _meanK);
                _m2A += dA * (squaredGradient - _meanA);
                _m2B += dB * (lap - _meanB);
                _cAB += dA * (lap - _meanB);
                _m2U += dU * (u - _meanU);
            }
        }

        public Temperatures Result()
        {
            if (_count < 2) return new Temperatures(_count, _meanK, double.NaN, _meanA / _meanB, double.NaN, _meanU, double.NaN);
            double c = _count, d = c - 1;
            double ratio = _meanA / _meanB;
            double ratioVariance = (_m2A - 2 * ratio * _cAB + ratio * ratio * _m2B) / d / (c * _meanB * _meanB);
            return new Temperatures(_count, _meanK, Math.Sqrt(_m2K / d / c), ratio, Math.Sqrt(Math.Max(ratioVariance, 0)),
                _meanU, Math.Sqrt(_m2U / d / c));
        }
    }
}
