using Drift.Generative.Models;

namespace Drift.Generative.Training.Tests;

/// <summary>Euler paths of a flow model's ODE from t = T to 0, and how far they bend.</summary>
static class FlowPaths
{
    /// <summary>
    /// Integrates dx/dt = u(x, t) (a velocity model) from x(T) = z with <paramref name="steps"/> uniform Euler steps and
    /// returns the end points and the straightness measure: the mean over paths of max_i ‖x_i − chord_i‖ / ‖x_N − x_0‖, with
    /// chord_i the point at the same fraction on the straight segment from the start to the end (0 for straight paths).
    /// </summary>
    public static (double[] End, double Curvature) Euler(IDiffusionModel model, double[] z, int n, int steps)
    {
        int d = model.Dimension;
        double t0 = model.Schedule.MaxTime;
        var x = (double[])z.Clone();
        var path = new double[steps + 1][];
        path[0] = (double[])x.Clone();
        var u = new double[d * n];
        for (int i = 0; i < steps; i++)
        {
            double t = t0 * (1 - (double)i / steps), h = -t0 / steps;
            model.Evaluate(t, x, u, n);
            for (int k = 0; k < x.Length; k++) x[k] += h * u[k];
            path[i + 1] = (double[])x.Clone();
        }
        double curvature = 0;
        for (int s = 0; s < n; s++)
        {
            double dev = 0, len = 0;
            for (int j = 0; j < d; j++) len += Math.Pow(path[steps][d * s + j] - path[0][d * s + j], 2);
            for (int i = 1; i < steps; i++)
            {
                double lam = (double)i / steps, dd = 0;
                for (int j = 0; j < d; j++)
                {
                    double line = (1 - lam) * path[0][d * s + j] + lam * path[steps][d * s + j];
                    dd += Math.Pow(path[i][d * s + j] - line, 2);
                }
                dev = Math.Max(dev, Math.Sqrt(dd));
            }
            curvature += dev / Math.Sqrt(len);
        }
        return (x, curvature / n);
    }
}
