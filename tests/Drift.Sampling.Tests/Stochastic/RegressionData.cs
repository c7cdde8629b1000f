using Drift.Sampling.Stochastic;
using Drift.Sampling.Targets;

namespace Drift.Sampling.Tests.Stochastic;

/// <summary>
/// A linear regression y = Xβ + N(0, σ²) with prior β ~ N(0, τ² I), as a minibatch target (one term per datum), and the
/// same model as <see cref="BayesianLinearRegression"/> for its conjugate closed form. The design has orthogonal columns
/// (an intercept and ±2 alternating), so the posterior precision is diagonal: a₁ = N/σ² + 1/τ², a₂ = 4N/σ² + 1/τ², and
/// every linear recursion of SGLD/SGHMC splits into independent coordinates with closed-form stationary laws.
/// </summary>
internal readonly struct RegressionData : IMinibatchLogDensity
{
    public const int N = 40, K = 2;
    public const double Sigma = 1, Tau = 10;
    private readonly double[] _x, _y;

    public RegressionData()
    {
        _x = new double[N * K];
        _y = new double[N];
        for (int r = 0; r < N; r++)
        {
            _x[r * K] = 1;
            _x[r * K + 1] = r % 2 == 0 ? 2 : -2;
            double noise = Math.Sin(12.9898 * r + 1.3) * 1.7; // a fixed, irregular residual pattern
            _y[r] = 0.7 - 0.4 * _x[r * K + 1] + noise;
        }
    }

    public BayesianLinearRegression Conjugate => new(_x, _y, K, Sigma, Tau);

    /// <summary>Posterior precision of coordinate i (diagonal by construction).</summary>
    public static double Precision(int i) => (i == 0 ? N : 4 * N) / (Sigma * Sigma) + 1 / (Tau * Tau);

    public int Dimension => K;
    public int DataCount => N;

    public double LogPrior(ReadOnlySpan<double> theta, Span<double> gradient)
    {
        double s = 0, v = Tau * Tau;
        for (int i = 0; i < K; i++) { s += theta[i] * theta[i]; gradient[i] = -theta[i] / v; }
        return -0.5 * s / v;
    }

    public double LogLikelihood(ReadOnlySpan<double> theta, ReadOnlySpan<int> indices, Span<double> gradient)
    {
        gradient.Clear();
        double lp = 0, w = 1 / (Sigma * Sigma);
        foreach (int r in indices)
        {
            double e = _y[r];
            for (int i = 0; i < K; i++) e -= _x[r * K + i] * theta[i];
            lp -= 0.5 * w * e * e;
            for (int i = 0; i < K; i++) gradient[i] += w * e * _x[r * K + i];
        }
        return lp;
    }
}
