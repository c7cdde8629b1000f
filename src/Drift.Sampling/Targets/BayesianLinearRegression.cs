using Drift.Sampling.Numerics;

namespace Drift.Sampling.Targets;

/// <summary>
/// The posterior of a Bayesian linear regression with known noise: β ~ N(0, τ² I_K), y ~ N(Xβ, σ² I_N).
/// log π(β) = −‖y − Xβ‖²/(2σ²) − ‖β‖²/(2τ²), ∇ = Xᵀ(y − Xβ)/σ² − β/τ². The posterior is Gaussian, N(m, S) with
/// S = (XᵀX/σ² + I/τ²)⁻¹ and m = S Xᵀy/σ² (<see cref="PosteriorMean"/>, <see cref="PosteriorCovariance"/>), the
/// conjugate closed form the samplers are checked against.
/// </summary>
public readonly struct BayesianLinearRegression : ILogDensity
{
    private readonly double[] _xtx, _xty; // XᵀX/σ² (K×K) and Xᵀy/σ²
    private readonly double _priorPrecision;

    /// <summary>A regression with row-major design <paramref name="design"/> (N×K), responses <paramref name="response"/> (N).</summary>
    /// <exception cref="ArgumentException">When the sizes disagree or σ, τ are not finite and positive.</exception>
    public BayesianLinearRegression(double[] design, double[] response, int predictors, double noise, double priorScale)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentOutOfRangeException.ThrowIfLessThan(predictors, 1);
        int rows = response.Length, k = predictors;
        if (design.Length != rows * k) throw new ArgumentException($"design has {design.Length} entries; {rows} rows × {k} predictors need {rows * k}.", nameof(design));
        if (!(noise > 0) || !double.IsFinite(noise)) throw new ArgumentOutOfRangeException(nameof(noise), noise, "must be finite and positive.");
        if (!(priorScale > 0) || !double.IsFinite(priorScale)) throw new ArgumentOutOfRangeException(nameof(priorScale), priorScale, "must be finite and positive.");
        double w = 1 / (noise * noise);
        _xtx = new double[k * k];
        _xty = new double[k];
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < k; i++)
            {
                double xi = design[r * k + i];
                _xty[i] += w * xi * response[r];
                for (int j = 0; j < k; j++) _xtx[i * k + j] += w * xi * design[r * k + j];
            }
        _priorPrecision = 1 / (priorScale * priorScale);
    }

    /// <inheritdoc/>
    public int Dimension => _xty?.Length ?? 0;

    /// <summary>The exact posterior covariance S (row-major K×K).</summary>
    public double[] PosteriorCovariance
    {
        get
        {
            int k = _xty.Length;
            var precision = (double[])_xtx.Clone();
            for (int i = 0; i < k; i++) precision[i * k + i] += _priorPrecision;
            return SmallDense.InverseSpd(precision, k, "precision");
        }
    }

    /// <summary>The exact posterior mean m = S Xᵀy/σ².</summary>
    public double[] PosteriorMean
    {
        get
        {
            int k = _xty.Length;
            var s = PosteriorCovariance;
            var m = new double[k];
            for (int i = 0; i < k; i++)
                for (int j = 0; j < k; j++) m[i] += s[i * k + j] * _xty[j];
            return m;
        }
    }

    /// <inheritdoc/>
    public void Evaluate(ReadOnlySpan<double> x, Span<double> logDensity, Span<double> gradient)
    {
        // With A = XᵀX/σ² + I/τ² and b = Xᵀy/σ²: log π = −½ βᵀAβ + bᵀβ + const, ∇ = b − Aβ.
        int n = logDensity.Length, k = _xty.Length;
        for (int i = 0; i < k; i++)
        {
            var gi = gradient.Slice(i * n, n);
            gi.Fill(_xty[i]);
            for (int j = 0; j < k; j++)
            {
                double a = _xtx[i * k + j] + (i == j ? _priorPrecision : 0);
                var xj = x.Slice(j * n, n);
                for (int c = 0; c < n; c++) gi[c] -= a * xj[c];
            }
        }
        logDensity.Clear();
        for (int i = 0; i < k; i++)
        {
            var xi = x.Slice(i * n, n);
            var gi = gradient.Slice(i * n, n);
            double b = _xty[i];
            for (int c = 0; c < n; c++) logDensity[c] += 0.5 * xi[c] * (gi[c] + b);
        }
    }
}
