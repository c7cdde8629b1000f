using System.Runtime.CompilerServices;

namespace Drift.Sampling.Adaptation;

/// <summary>
/// Welford running mean and (co)variance of the draws of one slow window, regularised as Stan's
/// <c>var_adaptation</c> / <c>covar_adaptation</c> do (stan-dev/stan, src/stan/mcmc/var_adaptation.hpp and
/// covar_adaptation.hpp): with n draws and sample (co)variance Σ̂ (denominator n − 1), the new inverse metric is
/// <code>  M⁻¹ = n/(n + 5) · Σ̂ + 10⁻³ · 5/(n + 5) · I</code>
/// (the diagonal estimator keeps only the diagonal).
/// </summary>
public sealed class MetricEstimator
{
    private readonly int _d;
    private readonly bool _dense;
    private readonly double[] _mean, _m2, _delta;
    private long _n;

    /// <summary>An estimator in <paramref name="dimension"/> dimensions, dense or diagonal.</summary>
    public MetricEstimator(int dimension, bool dense)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        _d = dimension;
        _dense = dense;
        _mean = new double[dimension];
        _m2 = new double[dense ? dimension * dimension : dimension];
        _delta = new double[dimension];
    }

    /// <summary>Draws added since the last restart.</summary>
    public long Count => _n;

    /// <summary>Adds one draw.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Add(ReadOnlySpan<double> q)
    {
        _n++;
        for (int i = 0; i < _d; i++)
        {
            _delta[i] = q[i] - _mean[i];
            _mean[i] += _delta[i] / _n;
        }
        if (_dense)
        {
            for (int i = 0; i < _d; i++)
            {
                double a = q[i] - _mean[i];
                for (int j = 0; j < _d; j++) _m2[i * _d + j] += a * _delta[j];
            }
        }
        else
        {
            for (int i = 0; i < _d; i++) _m2[i] += _delta[i] * (q[i] - _mean[i]);
        }
    }

    /// <summary>Writes the regularised inverse metric (d entries, or d×d row-major when dense) and restarts.</summary>
    /// <returns>False (and writes nothing) when a value is not finite.</returns>
    public bool Estimate(Span<double> inverseMetric)
    {
        double n = _n;
        double shrink = n / (n + 5), ridge = 1e-3 * 5 / (n + 5);
        int len = _m2.Length;
        Span<double> tmp = len <= 1024 ? stackalloc double[len] : new double[len];
        for (int k = 0; k < len; k++)
        {
            double v = shrink * _m2[k] / (n - 1);
            if (!_dense || k / _d == k % _d) v += ridge;
            if (!double.IsFinite(v)) { Restart(); return false; }
            tmp[k] = v;
        }
        if (_dense)
            for (int i = 0; i < _d; i++)
                for (int j = 0; j < i; j++) tmp[i * _d + j] = tmp[j * _d + i] = 0.5 * (tmp[i * _d + j] + tmp[j * _d + i]);
        tmp.CopyTo(inverseMetric);
        Restart();
        return true;
    }

    /// <summary>Forgets every draw.</summary>
    public void Restart()
    {
        _n = 0;
        Array.Clear(_mean);
        Array.Clear(_m2);
    }
}
