using System.Runtime.CompilerServices;
using Drift.Random;
using Drift.Sampling.Numerics;

namespace Drift.Sampling;

/// <summary>
/// A chain's Euclidean metric: the inverse mass matrix M⁻¹ (unit, diagonal or dense) and its Cholesky factor
/// L (L Lᵀ = M⁻¹). Kinetic energy ½ pᵀM⁻¹p, momenta p ~ N(0, M) drawn as p = L⁻ᵀz, velocities M⁻¹p; the
/// Metropolis proposals use the same M⁻¹ as their covariance shape (noise L z).
/// </summary>
internal sealed class Metric
{
    private readonly int _d;
    private readonly MetricKind _kind;
    private readonly double[] _inverse;   // d (diagonal) or d·d (dense)
    private readonly double[] _factor;    // √M⁻¹ (diagonal) or L (dense)

    public Metric(int dimension, MetricKind kind)
    {
        _d = dimension;
        _kind = kind;
        if (kind == MetricKind.Dense)
        {
            _inverse = new double[dimension * dimension];
            _factor = new double[dimension * dimension];
            for (int i = 0; i < dimension; i++) _inverse[i * dimension + i] = _factor[i * dimension + i] = 1;
        }
        else
        {
            _inverse = Enumerable.Repeat(1.0, dimension).ToArray();
            _factor = Enumerable.Repeat(1.0, dimension).ToArray();
        }
    }

    public MetricKind Kind => _kind;

    /// <summary>M⁻¹: d entries (unit, diagonal) or d·d row-major (dense).</summary>
    public ReadOnlySpan<double> Inverse => _inverse;

    /// <summary>Installs a new inverse metric (from <see cref="Adaptation.MetricEstimator"/>); false when it is not positive definite.</summary>
    public bool Update(ReadOnlySpan<double> inverse)
    {
        if (_kind == MetricKind.Dense)
        {
            var l = SmallDense.Cholesky(inverse, _d);
            if (l is null) return false;
            inverse.CopyTo(_inverse);
            l.CopyTo(_factor, 0);
            return true;
        }
        for (int i = 0; i < _d; i++) if (!(inverse[i] > 0) || !double.IsFinite(inverse[i])) return false;
        inverse.CopyTo(_inverse);
        for (int i = 0; i < _d; i++) _factor[i] = Math.Sqrt(_inverse[i]);
        return true;
    }

    /// <summary>v = M⁻¹ p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Velocity(ReadOnlySpan<double> p, Span<double> v)
    {
        if (_kind == MetricKind.Dense) { SmallDense.Multiply(_inverse, _d, p, v); return; }
        for (int i = 0; i < _d; i++) v[i] = _inverse[i] * p[i];
    }

    /// <summary>½ pᵀ M⁻¹ p.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Kinetic(ReadOnlySpan<double> p, Span<double> scratch)
    {
        Velocity(p, scratch);
        return KineticOfVelocity(p, scratch);
    }

    /// <summary>½ pᵀv for a velocity v = M⁻¹p already computed (the sum in index order, as <see cref="Kinetic(ReadOnlySpan{double}, Span{double})"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double KineticOfVelocity(ReadOnlySpan<double> p, ReadOnlySpan<double> velocity)
    {
        velocity = velocity[..p.Length];
        double s = 0;
        for (int i = 0; i < p.Length; i++) s += p[i] * velocity[i];
        return 0.5 * s;
    }

    /// <summary>p ~ N(0, M): p = L⁻ᵀ z with z standard normal.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void SampleMomentum(ref StepDraws draws, Span<double> p)
    {
        for (int i = 0; i < _d; i++) p[i] = draws.NextNormal();
        MomentumShape(p);
    }

    /// <summary>z ← L⁻ᵀ z in place: standard normals z become a draw of N(0, M).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void MomentumShape(Span<double> z)
    {
        if (_kind == MetricKind.Dense) { SmallDense.SolveUpperTransposed(_factor, _d, z); return; }
        for (int i = 0; i < _d; i++) z[i] /= _factor[i];
    }

    /// <summary>w = L z, a draw of N(0, M⁻¹) from standard normals z (in place allowed).</summary>
    public void Shape(ReadOnlySpan<double> z, Span<double> w)
    {
        if (_kind == MetricKind.Dense) { SmallDense.MultiplyLower(_factor, _d, z, w); return; }
        for (int i = 0; i < _d; i++) w[i] = _factor[i] * z[i];
    }

    /// <summary>rᵀ M r for a residual r (the exponent of the N(·, ε² M⁻¹) proposal density, times ε²); uses <paramref name="scratch"/>.</summary>
    public double InverseQuadratic(ReadOnlySpan<double> r, Span<double> scratch)
    {
        r.CopyTo(scratch);
        if (_kind == MetricKind.Dense)
        {
            SmallDense.SolveLower(_factor, _d, scratch);
            double t = 0;
            for (int i = 0; i < _d; i++) t += scratch[i] * scratch[i];
            return t;
        }
        double s = 0;
        for (int i = 0; i < _d; i++) s += r[i] * r[i] / _inverse[i];
        return s;
    }
}
