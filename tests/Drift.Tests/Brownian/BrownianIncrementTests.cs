using Drift.Brownian;

namespace Drift.Tests.Brownian;

public class BrownianIncrementTests
{
    private static readonly double[] Grid = Enumerable.Range(0, 9).Select(k => k * 0.125).ToArray();

    [Fact]
    public void Increments_are_normal_with_variance_h_and_Levy_areas_with_variance_h_over_12()
    {
        const int paths = 50_000;
        var source = new PhiloxBrownianIncrements(11);
        var dW = new double[2 * paths];
        var h = new double[2 * paths];
        source.Fill(0, paths, Grid, 3, 1, 2, dW, h, paths);
        double step = 0.125;
        var z = dW.Select(v => v / Math.Sqrt(step)).ToArray();
        var zh = h.Select(v => v / Math.Sqrt(step / 12)).ToArray();
        Assert.True(StatisticalTests.KolmogorovSmirnovPValue(z, StatisticalTests.NormalCdf) > 1e-3);
        Assert.True(StatisticalTests.KolmogorovSmirnovPValue(zh, StatisticalTests.NormalCdf) > 1e-3);
        double bound = 5 / Math.Sqrt(z.Length);
        Assert.InRange(StatisticalTests.Correlation(z, zh), -bound, bound);
    }

    [Fact]
    public void Increments_do_not_depend_on_batching_or_on_whether_areas_are_drawn()
    {
        var source = new PhiloxBrownianIncrements(5);
        var whole = new double[4 * 100];
        source.Fill(0, 100, Grid, 2, 4, 1, whole, default, 100);
        var part = new double[2 * 37];
        var areas = new double[2 * 37];
        source.Fill(50, 37, Grid, 4, 2, 1, part, areas, 37);
        for (int s = 0; s < 2; s++)
            for (int p = 0; p < 37; p++)
                Assert.Equal(whole[(s + 2) * 100 + 50 + p], part[s * 37 + p]);
    }

    [Fact]
    public void Nested_increments_add_up_and_combine_Levy_areas_exactly()
    {
        const int paths = 20_000;
        var nested = new NestedBrownianIncrements(3, 0.0, 1.0, 8);
        var fineGrid = Enumerable.Range(0, 9).Select(k => k / 8.0).ToArray();
        double[] coarseGrid = [0.0, 0.5, 1.0];
        var fine = new double[8 * paths];
        var fineH = new double[8 * paths];
        nested.Fill(0, paths, fineGrid, 0, 8, 1, fine, fineH, paths);
        var coarse = new double[2 * paths];
        var coarseH = new double[2 * paths];
        nested.Fill(0, paths, coarseGrid, 0, 2, 1, coarse, coarseH, paths);
        for (int p = 0; p < paths; p++)
        {
            for (int s = 0; s < 2; s++)
            {
                double sum = 0, integral = 0, hf = 0.125;
                for (int k = 4 * s; k < 4 * s + 4; k++)
                {
                    integral += hf * (fineH[k * paths + p] + 0.5 * fine[k * paths + p]) + sum * hf;
                    sum += fine[k * paths + p];
                }
                Assert.Equal(sum, coarse[s * paths + p], 1e-12);
                Assert.Equal(integral / 0.5 - 0.5 * sum, coarseH[s * paths + p], 1e-12);
            }
        }
        // The combined areas have their law: Var H = h/12 and independence from ΔW.
        var zh = coarseH.AsSpan(0, paths).ToArray().Select(v => v / Math.Sqrt(0.5 / 12)).ToArray();
        Assert.True(StatisticalTests.KolmogorovSmirnovPValue(zh, StatisticalTests.NormalCdf) > 1e-3);
        double bound = 5 / Math.Sqrt(paths);
        Assert.InRange(StatisticalTests.Correlation(coarse.AsSpan(0, paths), coarseH.AsSpan(0, paths)), -bound, bound);
    }

    [Fact]
    public void Nested_increments_reject_grids_off_the_fine_grid()
    {
        var nested = new NestedBrownianIncrements(3, 0.0, 1.0, 8);
        Assert.Throws<ArgumentException>(() => nested.Fill(0, 4, [0.0, 0.3], 0, 1, 1, new double[4], default, 4));
    }
}
