using Drift.Models.Text;
using Drift.Sampling.Language;

namespace Drift.Sampling.Tests.Language;

/// <summary>Parsing, binding to data, errors with line and column, data files, and the batch contract.</summary>
public class DensityModelTests
{
    internal const string Logistic = """
        # Bayesian logistic regression
        data N: int
        data K: int
        data X: matrix[N, K]
        data y: int[N]
        param alpha
        param beta[K]
        param s > 0
        alpha ~ normal(0, 2.5)
        beta ~ normal(0, s)
        s ~ exponential(1)
        y ~ bernoulli_logit(alpha + X*beta)
        """;

    private static DensityData LogisticData() => DensityData.FromJson("""{"N": 3, "K": 2, "y": [0, 1, 1], "X": [[1, 0.5], [-1, 2], [0.3, 0.1]]}""");

    [Fact]
    public void The_issue_s_logistic_regression_parses_and_binds_as_written()
    {
        var model = DensityModel.Parse(Logistic);
        Assert.Equal(["N", "K", "X", "y"], model.DataNames);
        Assert.Equal(["alpha", "beta", "s"], model.ParameterNames);
        var target = model.Bind(LogisticData());
        Assert.Equal(4, target.Dimension);
        Assert.Equal(["alpha", "beta[1]", "beta[2]", "s"], target.Names);
        Assert.Equal(" > 0", target.Bounds[3]);
        // At u = 0: s = 1 and log J = 0; the density written out by hand.
        double[] g = new double[4];
        double lp = target.LogDensity(new double[4], g);
        double l2pi = Math.Log(2 * Math.PI);
        double expected = (-Math.Log(2.5) - 0.5 * l2pi) + 2 * (-0.5 * l2pi) + (-1) + 3 * -Math.Log(2);
        Assert.Equal(expected, lp, 12);
    }

    [Theory]
    [InlineData("param a\na ~ normal(0, b)", 2, 15, "unknown name 'b'")]
    [InlineData("param a\na ~ wishart(0, 1)", 2, 5, "unsupported distribution 'wishart'")]
    [InlineData("param a\na ~ normal(0)", 2, 5, "normal takes 2 arguments")]
    [InlineData("data N: int\ndata N: real\nparam a\na ~ normal(0, 1)", 2, 6, "already declared on line 1")]
    [InlineData("data x: tensor[3]\nparam a\na ~ normal(0, 1)", 1, 9, "unknown data kind 'tensor'")]
    [InlineData("data x: vector\nparam a\na ~ normal(0, 1)", 1, 9, "write vector[N]")]
    [InlineData("param a\na ~ normal(0, 1) + 1", 2, 18, "after the end of the statement")]
    [InlineData("param a = 1\na ~ normal(0, 1)", 1, 9, "belongs to the SDE form")]
    [InlineData("param a\na = 3", 2, 3, "'~' was expected")]
    [InlineData("param exp\nexp ~ normal(0, 1)", 1, 7, "reserved name")]
    [InlineData("param a\ntarget + a", 2, 10, "expected '+='")]
    [InlineData("data y: vector[2]\n", 1, 6, "no '~' or 'target +=' statement")]
    public void Malformed_models_are_refused_at_the_line_and_column_of_the_problem(string text, int line, int column, string reason)
    {
        var e = Assert.Throws<ModelParseException>(() => DensityModel.Parse(text));
        Assert.Contains(reason, e.Reason, StringComparison.Ordinal);
        Assert.Equal((line, column), (e.Line, e.Column));
    }

    [Theory]
    [InlineData("""{"N": 3, "K": 2, "y": [0, 1, 1]}""", 4, 6, "data 'X' is not in")]
    [InlineData("""{"N": 3, "K": 2, "y": [0, 1], "X": [[1, 0.5], [-1, 2], [0.3, 0.1]]}""", 5, 6, "declared int[N] = int[3] but data gives a vector of length 2")]
    [InlineData("""{"N": 3, "K": 2, "y": [0, 1, 0.5], "X": [[1, 0.5], [-1, 2], [0.3, 0.1]]}""", 5, 6, "y[3] = 0.5 is not an integer")]
    [InlineData("""{"N": 3.5, "K": 2, "y": [0, 1, 1], "X": [[1, 0.5], [-1, 2], [0.3, 0.1]]}""", 2, 6, "N = 3.5 is not an integer")]
    [InlineData("""{"N": 3, "K": 2, "y": [0, 1, 1], "X": [1, 2, 3]}""", 4, 6, "declared matrix[N, K] but data gives a vector of length 3")]
    [InlineData("""{"N": 3, "K": 3, "y": [0, 1, 1], "X": [[1, 0.5], [-1, 2], [0.3, 0.1]]}""", 4, 6, "matrix[3, 3] but data gives a 3×2 matrix")]
    [InlineData("""{"N": 3, "K": 2, "y": [0, 1, 2], "X": [[1, 0.5], [-1, 2], [0.3, 0.1]]}""", 12, 1, "y[3] = 2 is outside the support of bernoulli_logit")]
    public void Data_that_do_not_fit_the_declarations_are_refused_at_the_declaration(string json, int line, int column, string reason)
    {
        var e = Assert.Throws<ModelParseException>(() => DensityModel.Parse(Logistic).Bind(DensityData.FromJson(json)));
        Assert.Contains(reason, e.Reason, StringComparison.Ordinal);
        Assert.Equal((line, column), (e.Line, e.Column));
    }

    [Theory]
    [InlineData("data y: vector[3]\nparam m[2]\ny ~ normal(m, 1)", 3, 12, "shape mismatch: a vector of length 2 in a normal statement whose other vectors have length 3")]
    [InlineData("data X: matrix[3, 2]\nparam b[3]\ntarget += sum(X*b)", 3, 16, "a 3×2 matrix times a vector of length 3")]
    [InlineData("data X: matrix[3, 2]\nparam b\ntarget += X + b", 3, 11, "a matrix can only multiply a vector")]
    [InlineData("param m[2]\nparam v[3]\ntarget += sum(m * v)", 3, 17, "vectors of lengths 2 and 3")]
    [InlineData("data s: vector[3] > 0\nparam a\na ~ normal(0, 1)", 1, 6, "data 's' must be > 0, but s[2] = -1")]
    [InlineData("data y: vector[3]\nparam a\ny ~ bernoulli_logit(a)", 3, 1, "wrong data kind: the variate of bernoulli_logit must be declared 'int'")]
    [InlineData("data c: int[3]\nparam a\ntarget += a\na ~ poisson_log(c)", 4, 1, "must be integer data, not an expression of parameters")]
    [InlineData("data y: vector[3]\nparam a\ny ~ exponential(a)", 3, 1, "y[2] = -1 is outside the support of exponential")]
    [InlineData("param a > 2 < 1\na ~ normal(0, 1)", 1, 7, "lower bound 2 not below its upper bound 1")]
    [InlineData("param a > b\nparam b\na ~ normal(0, 1)", 1, 11, "unknown name 'b'")]
    public void Shape_kind_and_bound_errors_name_the_line_and_column(string text, int line, int column, string reason)
    {
        var data = new DensityData().Add("y", [1, -1, 2]).Add("s", [1, -1, 2]).Add("c", [1, 0, 2])
            .Add("X", new double[,] { { 1, 2 }, { 3, 4 }, { 5, 6 } });
        var e = Assert.Throws<ModelParseException>(() => DensityModel.Parse(text).Bind(data));
        Assert.Contains(reason, e.Reason, StringComparison.Ordinal);
        Assert.Equal((line, column), (e.Line, e.Column));
    }

    [Fact]
    public void Csv_columns_supply_vectors_matrix_columns_and_the_sizes_they_imply()
    {
        const string csv = "# a comment\ny,X[1],X[2]\n0,1,0.5\n1,-1,2\n1,0.3,0.1\n";
        var data = DensityData.FromCsv(new StringReader(csv), "d.csv");
        var fromCsv = DensityModel.Parse(Logistic).Bind(data);
        var fromJson = DensityModel.Parse(Logistic).Bind(LogisticData());
        double[] u = [0.3, -0.2, 0.7, 0.1], g1 = new double[4], g2 = new double[4];
        Assert.Equal(fromJson.LogDensity(u, g1), fromCsv.LogDensity(u, g2));
        Assert.Equal(g1, g2);
        Assert.Contains("header", Assert.Throws<InvalidDataException>(() => DensityData.FromCsv(new StringReader("1,2\n3,4\n"), "d.csv")).Message, StringComparison.Ordinal);
        Assert.Contains("no column X[2]", Assert.Throws<InvalidDataException>(() => DensityData.FromCsv(new StringReader("X[1],X[3]\n1,2\n"), "d.csv")).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[1, 2]", "expected a JSON object")]
    [InlineData("""{"y": "abc"}""", "'y' is a string")]
    [InlineData("""{"X": [[1, 2], [3]]}""", "row 2 has 1 entries, row 1 has 2")]
    [InlineData("""{"y": [1, true]}""", "'y' element 2 is a boolean")]
    [InlineData("""{"y": [1, 2""", "not valid JSON")]
    public void Malformed_json_data_is_refused_with_the_entry_named(string json, string reason)
    {
        var e = Assert.Throws<InvalidDataException>(() => DensityData.FromJson(json, "d.json"));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("d.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Small_programs_are_compiled_and_data_heavy_ones_interpreted()
    {
        // The rule (DensityCompiler.Cost <= 1024): eight schools costs 50; a 60 x 20 design matrix alone costs 1200.
        var schools = DensityModel.Parse("data J: int\ndata y: vector[J]\ndata sigma: vector[J] > 0\nparam mu\nparam tau > 0\nparam eta[J]\n" +
            "mu ~ normal(0, 5)\ntau ~ cauchy(0, 5)\neta ~ normal(0, 1)\ny ~ normal(mu + tau * eta, sigma)")
            .Bind(DensityData.FromJson("""{"J": 8, "y": [28, 8, -3, 7, -1, 1, 18, 12], "sigma": [15, 10, 16, 11, 9, 11, 10, 18]}"""));
        Assert.True(schools.IsCompiled);
        Assert.True(DensityModel.Parse(Logistic).Bind(LogisticData()).IsCompiled);
        const int n = 60, k = 20;
        var x = new double[n, k];
        for (int i = 0; i < n; i++) for (int j = 0; j < k; j++) x[i, j] = Math.Sin(i + 3 * j);
        var large = new DensityData().Add("N", n).Add("K", k).Add("X", x).Add("y", [.. Enumerable.Range(0, n).Select(i => (double)(i % 2))]);
        Assert.False(DensityModel.Parse(Logistic).Bind(large).IsCompiled);
    }

    [Fact]
    public void A_batch_of_chains_equals_chain_by_chain_evaluation_and_allocates_nothing()
    {
        var target = DensityModel.Parse(Logistic).Bind(LogisticData());
        const int n = 5, d = 4;
        var x = new double[d * n];
        for (int k = 0; k < x.Length; k++) x[k] = Math.Sin(k + 1);
        double[] lp = new double[n], g = new double[d * n];
        target.Evaluate(x, lp, g);
        for (int c = 0; c < n; c++)
        {
            var point = new double[d];
            var gc = new double[d];
            for (int i = 0; i < d; i++) point[i] = x[i * n + c];
            Assert.Equal(target.LogDensity(point, gc), lp[c]);
            for (int i = 0; i < d; i++) Assert.Equal(gc[i], g[i * n + c]);
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 100; k++) target.Evaluate(x, lp, g);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_density_that_is_never_finite_names_its_parameter_at_the_initial_point()
    {
        var target = DensityModel.Parse("param a\nparam s > 0\na ~ normal(0, 1)\ns ~ normal(0, 1)\ntarget += log(-s)").Bind(new DensityData());
        var e = Assert.Throws<ArgumentException>(() => Mcmc.Sample(target, new McmcOptions { Chains = 1, Warmup = 10, Draws = 10, ParameterNames = target.Names }));
        Assert.Contains("s = ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("a = ", e.Message, StringComparison.Ordinal);
        Assert.Equal(["line 5, column 11: NaN"], target.NonFiniteStatements([0, 0]));
    }
}
