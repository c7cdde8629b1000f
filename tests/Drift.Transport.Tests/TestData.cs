using Drift.Transport;

namespace Drift.Transport.Tests;

/// <summary>Deterministic inputs for the tests (System.Random with fixed seeds).</summary>
internal static class TestData
{
    public static PointCloud Uniform(int n, int d, int seed, double[]? weights = null)
    {
        var rng = new System.Random(seed);
        var x = new double[n * d];
        for (int k = 0; k < x.Length; k++) x[k] = rng.NextDouble();
        return new PointCloud(x, d, weights);
    }

    public static PointCloud Gaussian(int n, int d, int seed, double mean = 0, double sd = 1, double[]? weights = null)
    {
        var rng = new System.Random(seed);
        var x = new double[n * d];
        for (int k = 0; k < x.Length; k++) x[k] = mean + sd * Normal(rng);
        return new PointCloud(x, d, weights);
    }

    public static double Normal(System.Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    /// <summary>Random positive weights summing to <paramref name="mass"/>.</summary>
    public static double[] Weights(int n, int seed, double mass = 1)
    {
        var rng = new System.Random(seed);
        var w = new double[n];
        for (int i = 0; i < n; i++) w[i] = 0.2 + rng.NextDouble();
        double s = w.Sum();
        for (int i = 0; i < n; i++) w[i] *= mass / s;
        return w;
    }

    public static double[] UniformWeights(int n, double mass = 1) => Enumerable.Repeat(mass / n, n).ToArray();

    /// <summary>The benchmark problem: uniform against Gaussian in 2-D, squared-Euclidean cost divided by its maximum.</summary>
    public static (double[] A, double[] B, CostMatrix C) Problem(int n, int m, int seed, bool randomWeights = false)
    {
        var x = Uniform(n, 2, seed);
        var y = Gaussian(m, 2, seed + 1);
        var c = CostMatrix.FromPoints(x, y).NormalizeByMax();
        return randomWeights ? (Weights(n, seed + 2), Weights(m, seed + 3), c) : (UniformWeights(n), UniformWeights(m), c);
    }

    public static double MaxAbsDiff(double[] p, double[] q)
    {
        double d = 0;
        for (int k = 0; k < p.Length; k++) d = Math.Max(d, Math.Abs(p[k] - q[k]));
        return d;
    }

    /// <summary>‖P1 − a‖₁ + ‖Pᵀ1 − b‖₁ computed independently of the solvers.</summary>
    public static double MarginalError(double[] plan, int n, int m, double[] a, double[] b)
    {
        double err = 0;
        for (int i = 0; i < n; i++)
        {
            double s = 0;
            for (int j = 0; j < m; j++) s += plan[i * m + j];
            err += Math.Abs(s - a[i]);
        }
        for (int j = 0; j < m; j++)
        {
            double s = 0;
            for (int i = 0; i < n; i++) s += plan[i * m + j];
            err += Math.Abs(s - b[j]);
        }
        return err;
    }
}
