using Drift.Brownian.Construction;

namespace Drift.Tests.Brownian;

public class PathConstructionTests
{
    [Theory]
    [InlineData(PathConstruction.Incremental)]
    [InlineData(PathConstruction.BrownianBridge)]
    [InlineData(PathConstruction.PrincipalComponents)]
    public void Every_construction_has_the_Brownian_covariance_exactly(PathConstruction construction)
    {
        foreach (int n in new[] { 1, 2, 3, 5, 16, 33 })
        {
            double t = 1.7, dt = t / n;
            var builder = new BrownianPathBuilder(n, t, construction);
            // Column j of A: the path W(t_1..t_n) built from the unit normal vector e_j.
            var a = new double[n, n];
            var z = new double[n];
            var dw = new double[n];
            var work = new double[n + 1];
            for (int j = 0; j < n; j++)
            {
                Array.Clear(z);
                z[j] = 1;
                builder.Build(z, dw, work);
                double w = 0;
                for (int i = 0; i < n; i++) { w += dw[i]; a[i, j] = w; }
            }
            for (int i = 0; i < n; i++)
                for (int k = 0; k < n; k++)
                {
                    double c = 0;
                    for (int j = 0; j < n; j++) c += a[i, j] * a[k, j];
                    Assert.True(Math.Abs(c - Math.Min(i + 1, k + 1) * dt) < 1e-12, $"{construction} n={n}: (AAᵀ)[{i},{k}] = {c}, want {Math.Min(i + 1, k + 1) * dt}");
                }
        }
    }

    [Fact]
    public void The_bridge_puts_the_endpoint_on_the_first_normal_and_PCA_the_most_variance()
    {
        const int n = 16;
        var dw = new double[n];
        var work = new double[n + 1];
        var z = new double[n];
        z[0] = 1;
        new BrownianPathBuilder(n, 4, PathConstruction.BrownianBridge).Build(z, dw, work);
        Assert.Equal(2.0, dw.Sum(), 12); // W(T) = √T z₀
        // Variance of Σ W(t_i) carried by the first normal: PCA ≥ bridge > incremental.
        double First(PathConstruction c)
        {
            new BrownianPathBuilder(n, 1, c).Build(z, dw, work);
            double w = 0, s = 0;
            foreach (double d in dw) { w += d; s += w; }
            return s * s;
        }
        double pca = First(PathConstruction.PrincipalComponents), bridge = First(PathConstruction.BrownianBridge), incremental = First(PathConstruction.Incremental);
        Assert.True(pca >= bridge && bridge > incremental, $"first-normal variance of the path sum: PCA {pca}, bridge {bridge}, incremental {incremental}");
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new BrownianPathBuilder(0, 1, PathConstruction.Incremental));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BrownianPathBuilder(4, double.NaN, PathConstruction.Incremental));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BrownianPathBuilder(4, 1, (PathConstruction)9));
        var b = new BrownianPathBuilder(4, 1, PathConstruction.BrownianBridge);
        Assert.Throws<ArgumentException>(() => b.Build(new double[3], new double[4], new double[5]));
        Assert.Throws<ArgumentException>(() => b.Build(new double[4], new double[4], new double[4]));
    }
}
