using Drift.Solve;
using Drift.Transport;

namespace Drift.Transport.Tests;

public class ValidationTests
{
    private static readonly TransportMethod[] AllMethods =
        Enum.GetValues<TransportMethod>().Where(m => m != TransportMethod.OneDimensional).ToArray();

    [Fact]
    public void Negative_weight_is_rejected_naming_the_parameter_index_and_value()
    {
        var (a, b, c) = TestData.Problem(5, 5, 1);
        a[2] = -0.1;
        foreach (var method in AllMethods)
        {
            var e = Assert.Throws<ArgumentException>(() => OptimalTransport.Solve(method, a, b, c));
            Assert.Equal("a", e.ParamName);
            Assert.Contains("a[2] = -0.1", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Unequal_masses_are_rejected_by_balanced_methods_and_accepted_by_unbalanced()
    {
        var (a, b, c) = TestData.Problem(5, 5, 2);
        b[0] += 0.01;
        foreach (var method in AllMethods.Where(m => m != TransportMethod.Unbalanced))
        {
            var e = Assert.Throws<ArgumentException>(() => OptimalTransport.Solve(method, a, b, c));
            Assert.Equal("b", e.ParamName);
            Assert.Contains("total mass", e.Message, StringComparison.Ordinal);
        }
        Assert.Equal(SolveStatus.Success, OptimalTransport.Solve(TransportMethod.Unbalanced, a, b, c).Status);
    }

    [Fact]
    public void NaN_and_infinite_costs_are_rejected_with_their_position()
    {
        var v = new double[6];
        v[4] = double.NaN;
        var e = Assert.Throws<ArgumentException>(() => new CostMatrix(v, 2, 3));
        Assert.Equal("values", e.ParamName);
        Assert.Contains("cost[1, 1] = NaN", e.Message, StringComparison.Ordinal);
        v[4] = double.PositiveInfinity;
        Assert.Throws<ArgumentException>(() => new CostMatrix(v, 2, 3));
        Assert.Throws<ArgumentException>(() => CostMatrix.FromFunction(2, 2, (i, j) => i == j ? double.NaN : 1));
    }

    [Fact]
    public void Mismatched_sizes_are_rejected()
    {
        var (a, b, c) = TestData.Problem(5, 6, 3);
        foreach (var method in AllMethods)
        {
            var e = Assert.Throws<ArgumentException>(() => OptimalTransport.Solve(method, a.Take(4).ToArray(), b, c));
            Assert.Equal("a", e.ParamName);
            Assert.Contains("length 4", e.Message, StringComparison.Ordinal);
            e = Assert.Throws<ArgumentException>(() => OptimalTransport.Solve(method, a, b.Take(5).ToArray(), c));
            Assert.Equal("b", e.ParamName);
        }
        Assert.Throws<ArgumentException>(() => new CostMatrix(new double[5], 2, 3));
        Assert.Throws<ArgumentException>(() => new PointCloud(new double[5], 2));
        Assert.Throws<ArgumentException>(() => CostMatrix.FromPoints(TestData.Uniform(3, 2, 1), TestData.Uniform(3, 3, 1)));
    }

    [Fact]
    public void Assignment_rejects_non_uniform_weights_and_non_square_costs()
    {
        var (a, b, c) = TestData.Problem(5, 5, 4, randomWeights: true);
        var e = Assert.Throws<ArgumentException>(() => OptimalTransport.Solve(TransportMethod.Assignment, a, b, c));
        Assert.Contains("uniform", e.Message, StringComparison.Ordinal);
        var (a2, b2, c2) = TestData.Problem(5, 4, 4);
        b2 = TestData.UniformWeights(4);
        Assert.Throws<ArgumentException>(() => OptimalTransport.Solve(TransportMethod.Assignment, a2, b2, c2));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Invalid_epsilon_is_rejected_naming_the_option(double eps)
    {
        var (a, b, c) = TestData.Problem(5, 5, 5);
        var e = Assert.Throws<ArgumentException>(() => OptimalTransport.Solve(TransportMethod.SinkhornLog, a, b, c,
            TransportOptions.Default with { Epsilon = eps }));
        Assert.Equal("Epsilon", e.ParamName);
    }

    [Fact]
    public void Non_finite_weights_and_coordinates_are_rejected()
    {
        var (a, b, c) = TestData.Problem(5, 5, 6);
        a[1] = double.NaN;
        Assert.Throws<ArgumentException>(() => OptimalTransport.Solve(TransportMethod.Exact, a, b, c));
        Assert.Throws<ArgumentException>(() => new PointCloud([0, double.NaN], 1));
        Assert.Throws<ArgumentException>(() => new PointCloud([0, 1], 1, [0.5, -0.5]));
    }

    [Fact]
    public void Method_names_parse_and_unknown_names_are_rejected()
    {
        Assert.Equal(TransportMethod.SinkhornNewtonSparse, OptimalTransport.ParseMethod("SNS"));
        Assert.Equal(TransportMethod.Exact, OptimalTransport.ParseMethod("emd"));
        Assert.Equal(TransportMethod.SinkhornLog, OptimalTransport.ParseMethod(" log "));
        var e = Assert.Throws<ArgumentException>(() => OptimalTransport.ParseMethod("simplex2"));
        Assert.Contains("simplex2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void One_dimensional_method_runs_through_the_point_cloud_overload_only()
    {
        var x = TestData.Gaussian(40, 1, 9);
        var y = TestData.Uniform(30, 1, 10);
        var viaFacade = OptimalTransport.Solve(TransportMethod.OneDimensional, x, y, normalizeCost: true);
        var viaMatrix = OptimalTransport.Solve(TransportMethod.Exact, x, y, normalizeCost: true);
        Assert.Equal(viaMatrix.Cost, viaFacade.Cost, 1e-13);
        Assert.Equal(TransportMethod.OneDimensional, OptimalTransport.ParseMethod("1d"));
        var e = Assert.Throws<ArgumentException>(() => OptimalTransport.Solve(TransportMethod.OneDimensional, x.Weights, y.Weights,
            CostMatrix.FromPoints(x, y)));
        Assert.Equal("method", e.ParamName);
        Assert.Throws<ArgumentException>(() => OptimalTransport.Solve(TransportMethod.OneDimensional, TestData.Uniform(5, 2, 1), TestData.Uniform(5, 2, 2)));
    }

    [Fact]
    public void A_single_source_or_target_has_the_unique_product_coupling()
    {
        var rng = new System.Random(11);
        var b = TestData.Weights(7, 12);
        var c = new CostMatrix(Enumerable.Range(0, 7).Select(_ => rng.NextDouble()).ToArray(), 1, 7);
        var ct = new CostMatrix(c.Values, 7, 1);
        double expected = Enumerable.Range(0, 7).Sum(j => b[j] * c[0, j]);
        foreach (var method in AllMethods.Where(m => m is not (TransportMethod.Assignment or TransportMethod.Unbalanced)))
        {
            var r = OptimalTransport.Solve(method, [1.0], b, c);
            var rt = OptimalTransport.Solve(method, b, [1.0], ct);
            Assert.Equal(SolveStatus.Success, r.Status);
            Assert.Equal(expected, r.Cost, 1e-12);
            Assert.Equal(expected, rt.Cost, 1e-12);
            for (int j = 0; j < 7; j++) Assert.Equal(b[j], r.Plan[0, j], 1e-12);
        }
    }

    [Fact]
    public void Point_cloud_overload_builds_and_normalises_the_cost()
    {
        var x = TestData.Uniform(20, 2, 7);
        var y = TestData.Gaussian(20, 2, 8);
        var r = OptimalTransport.Solve(TransportMethod.Exact, x, y, GroundCost.SquaredEuclidean, normalizeCost: true);
        var c = CostMatrix.FromPoints(x, y);
        var direct = OptimalTransport.Solve(TransportMethod.Exact, x.Weights, y.Weights, c);
        Assert.Equal(direct.Cost / c.Max(), r.Cost, 1e-14);
        var manhattan = CostMatrix.FromPoints(x, y, GroundCost.Manhattan);
        var euclid = CostMatrix.FromPoints(x, y, GroundCost.Euclidean);
        Assert.Equal(Math.Abs(x.Coordinates[0] - y.Coordinates[0]) + Math.Abs(x.Coordinates[1] - y.Coordinates[1]), manhattan[0, 0], 1e-15);
        Assert.Equal(Math.Sqrt(c[3, 4]), euclid[3, 4], 1e-15);
    }
}
