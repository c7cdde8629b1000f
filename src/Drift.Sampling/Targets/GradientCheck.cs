namespace Drift.Sampling.Targets;

/// <summary>The result of <see cref="GradientCheck.Compare{TTarget}"/>: the worst component and its errors.</summary>
/// <param name="Component">0-based index of the component with the largest error.</param>
/// <param name="Analytic">The target's ∂ log π/∂xᵢ there.</param>
/// <param name="FiniteDifference">The central difference (log π(x + h eᵢ) − log π(x − h eᵢ))/(2h).</param>
/// <param name="RelativeError">|analytic − FD| / max(1, |FD|).</param>
public readonly record struct GradientCheckResult(int Component, double Analytic, double FiniteDifference, double RelativeError);

/// <summary>Checks a target's gradient against central finite differences of its log-density.</summary>
public static class GradientCheck
{
    /// <summary>
    /// Compares ∇ log π at <paramref name="point"/> with central differences of step h·max(1, |xᵢ|) and returns the worst
    /// component. With h = 1e-5 a correct gradient of a smooth target agrees to about 1e-7 relative.
    /// </summary>
    /// <exception cref="ArgumentException">When the point's length is not the target's dimension.</exception>
    public static GradientCheckResult Compare<TTarget>(TTarget target, ReadOnlySpan<double> point, double h = 1e-5) where TTarget : struct, ILogDensity
    {
        int d = target.Dimension;
        if (point.Length != d) throw new ArgumentException($"the point has {point.Length} components; the target has dimension {d}.", nameof(point));
        if (!(h > 0)) throw new ArgumentOutOfRangeException(nameof(h), h, "must be positive.");
        var x = point.ToArray();
        var g = new double[d];
        var scratch = new double[d];
        var lp = new double[1];
        target.Evaluate(x, lp, g);
        var worst = new GradientCheckResult(-1, double.NaN, double.NaN, 0);
        for (int i = 0; i < d; i++)
        {
            double xi = x[i], step = h * Math.Max(1, Math.Abs(xi));
            x[i] = xi + step;
            target.Evaluate(x, lp, scratch);
            double up = lp[0];
            x[i] = xi - step;
            target.Evaluate(x, lp, scratch);
            double down = lp[0];
            x[i] = xi;
            double fd = (up - down) / (2 * step);
            double error = Math.Abs(g[i] - fd) / Math.Max(1, Math.Abs(fd));
            if (double.IsNaN(error)) error = double.PositiveInfinity;
            if (worst.Component < 0 || error > worst.RelativeError) worst = new GradientCheckResult(i, g[i], fd, error);
        }
        return worst;
    }
}
