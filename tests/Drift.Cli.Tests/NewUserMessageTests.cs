using System.Globalization;
using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

/// <summary>Issue 18, "messages" and "misreported causes": errors name the flag and the real cause.</summary>
public sealed class NewUserMessageTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("drift-messages").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Cloud()
    {
        string path = Path.Combine(_dir, "c.csv");
        File.WriteAllText(path, "0,0\n1,0\n0,1\n");
        return path;
    }

    [Theory]
    [InlineData("--rtol", "simulate", "gbm", "--rtol", "-1", "--paths", "1")]
    [InlineData("--atol", "simulate", "gbm", "--atol", "-1", "--paths", "1")]
    [InlineData("--target-se", "price", "bs", "--target-se", "-1")]
    [InlineData("--rtol", "diffuse", "sample", "--target", "gauss2d", "--sampler", "ode-tsit5", "--rtol", "0")]
    public void Option_errors_name_the_flag_not_a_property(string flag, params string[] args)
    {
        var (code, _, error) = Run(args);
        Assert.True(code == 2, error);
        Assert.Contains(flag, error);
        foreach (string word in new[] { "RelativeTolerance", "AbsoluteTolerance", "TargetStandardError", "(Parameter" })
            Assert.DoesNotContain(word, error);
    }

    [Theory]
    [InlineData("--reg")]
    [InlineData("--tol")]
    [InlineData("--rho")]
    public void Ot_option_errors_name_the_flag(string flag)
    {
        string c = Cloud();
        var (code, _, error) = Run("ot", c, c, flag, "-1");
        Assert.True(code == 2, error);
        Assert.Contains(flag, error);
        Assert.DoesNotContain("Epsilon", error);
        Assert.DoesNotContain("Tolerance", error);
        Assert.DoesNotContain("(Parameter", error);
    }

    [Fact]
    public void A_seed_beyond_64_bits_is_out_of_range_and_2_to_the_64_minus_1_is_a_seed()
    {
        var (code, _, error) = Run("simulate", "gbm", "--seed", "18446744073709551616", "--paths", "1", "--steps", "1");
        Assert.Equal(2, code);
        Assert.Contains("out of range for a 64-bit seed", error);
        (code, _, error) = Run("simulate", "gbm", "--seed", "18446744073709551615", "--paths", "1", "--steps", "1");
        Assert.True(code == 0, error);
    }

    [Fact]
    public void A_dt_that_does_not_divide_t1_prints_the_steps_used()
    {
        var (code, _, error) = Run("simulate", "gbm", "--dt", "0.3", "--paths", "2");
        Assert.True(code == 0, error);
        Assert.Contains("--dt 0.3 does not divide t1 = 1: 3 steps of 0.3 and a last step of 0.1", error);
        (_, _, error) = Run("simulate", "gbm", "--dt", "0.25", "--paths", "2");
        Assert.DoesNotContain("does not divide", error);
    }

    [Fact]
    public void A_missed_target_standard_error_exits_3()
    {
        var (code, _, error) = Run("price", "bs", "--target-se", "1e-6", "--paths", "1000", "--max-paths", "4000");
        Assert.True(code == CliApp.Diverged, $"exit {code}: {error}");
        Assert.Contains("above --target-se", error);
    }

    [Theory]
    [InlineData("cir", "-1")]
    [InlineData("cir-exact", "-0.5")]
    [InlineData("heston", "4.6,-0.04")]
    public void A_negative_rate_or_variance_is_refused(string model, string x0)
    {
        var (code, _, error) = Run("simulate", model, "--x0", x0, "--paths", "1", "--steps", "1");
        Assert.Equal(2, code);
        Assert.Contains("must be non-negative", error);
    }

    [Fact]
    public void Statistics_of_finite_values_near_the_largest_double_print_no_infinity()
    {
        var (code, output, error) = Run("simulate", "gbm", "--x0", "1e308", "--paths", "100", "--steps", "100", "--param", "sigma=0.01", "--param", "mu=0");
        Assert.True(code == 0, error);
        Assert.DoesNotContain("Infinity", output);
        Assert.Contains("overflow", output); // the standard deviation of values near 1e308 exceeds double precision: said, not ∞
        // The mean itself is finite: Σx/n no longer overflows.
        string row = output.Split('\n').First(l => l.TrimStart().StartsWith("x ", StringComparison.Ordinal));
        double mean = double.Parse(row.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        Assert.InRange(mean, 0.9e308, 1.1e308);
    }

    [Fact]
    public void An_unreachable_tolerance_is_reported_as_such_not_as_a_NaN_state()
    {
        var (code, _, error) = Run("simulate", "gbm", "--atol", "1e-300", "--rtol", "1e-300", "--paths", "2");
        Assert.Equal(CliApp.Diverged, code);
        Assert.DoesNotContain("became NaN", error);
        Assert.Contains("fell below the minimum", error);
    }

    [Theory]
    [InlineData("dx = (1/0)*x*dt + 0.1*dW1", "(1 / 0)")]
    [InlineData("dx = -x*dt + log(-1)*dW1", "log(")]
    [InlineData("dx = -x*dt + 2*sqrt(1 - 2)*dW1", "sqrt(")]
    public void A_non_finite_constant_in_a_model_is_rejected_at_parse_time_naming_it(string equation, string named)
    {
        string path = Path.Combine(_dir, "bad.drift");
        File.WriteAllText(path, $"state x = 1\n{equation}\n");
        var (code, _, error) = Run("simulate", path, "--paths", "1", "--steps", "1");
        Assert.Equal(2, code);
        Assert.Contains(named, error);
        Assert.Contains("bad.drift:2:", error);
        Assert.DoesNotContain("smaller step", error);
    }
}
