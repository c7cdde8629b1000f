using Drift.Models.Text;
using Drift.Solve;

namespace Drift.Tests.Models.Text;

public class TextModelParseTests
{
    private const string Ou = """
        # Ornstein–Uhlenbeck
        param theta = 1.0
        param mu = 0.0
        param sigma = 0.5
        state x = 1.0
        dx = theta*(mu - x)*dt + sigma*dW1
        """;

    [Fact]
    public void Ornstein_Uhlenbeck_text_declares_its_parameters_state_and_additive_noise()
    {
        var m = TextModel.Parse(Ou);
        Assert.Equal(["theta", "mu", "sigma"], m.ParameterNames);
        Assert.Equal([1.0, 0.0, 0.5], m.DefaultParameters);
        Assert.Equal(["x"], m.Components);
        Assert.Equal([1.0], m.InitialState);
        Assert.Equal(NoiseKind.Additive, m.Noise);
        Assert.Equal(1, m.NoiseDimension);
        Assert.Equal("dx = ((theta * (mu - x))) dt + sigma dW1".Replace("((", "(", StringComparison.Ordinal).Replace("))", ")", StringComparison.Ordinal), m.Equations[0]);
    }

    [Theory]
    [InlineData("state x = 1\ndx = x*dt + x*dW1", NoiseKind.Scalar, 1)]
    [InlineData("state x = 1\nstate y = 1\ndx = y*dt + x*dW1\ndy = -x*dt + y*dW2", NoiseKind.Diagonal, 2)]
    [InlineData("state x = 1\nstate y = 1\ndx = y*dt + y*dW1\ndy = -x*dt + x*dW2", NoiseKind.General, 2)]
    [InlineData("state x = 1\nstate y = 1\ndx = y*dt + x*dW1 + 0.5*x*dW2\ndy = -x*dt + y*dW2", NoiseKind.General, 2)]
    [InlineData("state x = 1\nstate y = 1\ndx = y*dt + dW1\ndy = -x*dt + 0.3*dW1 + 2*dW2", NoiseKind.Additive, 2)]
    [InlineData("state x = 1\ndx = -x*dt", NoiseKind.Additive, 1)]
    [InlineData("noise general\nstate x = 1\ndx = -x*dt + dW", NoiseKind.General, 1)]
    [InlineData("noise diagonal\nstate x = 1\nstate y = 2\ndx = -x*dt + y*dW1\ndy = 0*dt + x*dW2", NoiseKind.Diagonal, 2)]
    [InlineData("noise scalar\nstate x = 1\ndx = -x*dt + 0.2*dW1", NoiseKind.Scalar, 1)]
    public void Noise_kind_is_inferred_from_the_dW_terms_or_taken_from_the_declaration(string text, NoiseKind kind, int m)
    {
        var model = TextModel.Parse(text);
        Assert.Equal(kind, model.Noise);
        Assert.Equal(m, model.NoiseDimension);
    }

    [Fact]
    public void Comments_blank_lines_continuations_and_derived_defaults_are_accepted()
    {
        var m = TextModel.Parse("""

            param beta = 8/3   # derived default
            param twice = 2*beta
            state x = -pi      # initial values may use pi and parameters
            dx = (twice
                  - x) * dt
                 + 0.1 * dW1
            """);
        Assert.Equal(16.0 / 3.0, m.DefaultParameters[1]);
        Assert.Equal(-Math.PI, m.InitialState[0]);
    }

    [Theory]
    [InlineData("state x = 1\ndx = -y*dt", 2, 7, "unknown name 'y'")]
    [InlineData("param sigma = 1\nstate x = 1\ndx = -x*dt + sigm*dW1", 3, 14, "did you mean 'sigma'")]
    [InlineData("state x = 1\ndx = -x + dW1", 2, 6, "has no dt or dW factor")]
    [InlineData("state x = 1\ndx = x*dW1", 2, 1, "has no dt term")]
    [InlineData("param a = 1\nparam a = 2\nstate x = 1\ndx = -x*dt", 2, 7, "already declared as a parameter")]
    [InlineData("state x = 1\ndx = -x*dt\ndx = x*dt", 3, 1, "already defined on line 2")]
    [InlineData("state x = 1\ndx = -x*dt + 1.2.3*dW1", 2, 14, "bad number '1.2.3'")]
    [InlineData("state x = 1\ndx = -2x*dt", 2, 7, "write 2*x")]
    [InlineData("state x = 1\ndx = -x*dt + 1e999*dW1", 2, 14, "out of the range")]
    [InlineData("state x = 1\ndx = (-x*dt", 2, 12, "expected ')'")]
    [InlineData("state x = 1\ndx = -x)*dt", 2, 8, "after the end of the statement")]
    [InlineData("state x = 1\ndx = (-x*dt))", 2, 13, "after the end of the statement")]
    [InlineData("state x = 1\ndx = foo(x)*dt", 2, 6, "unknown function 'foo'")]
    [InlineData("state x = 1\ndx = max(x)*dt", 2, 6, "max takes 2 arguments")]
    [InlineData("state x = 1\ndy = -x*dt", 2, 1, "not a declared state")]
    [InlineData("state x = 1\nstate y = 1\ndx = -x*dt", 2, 7, "state 'y' has no equation")]
    [InlineData("param a = 1", 1, 7, "declares no state")]
    [InlineData("", 1, 1, "declares no state")]
    [InlineData("state x = 1\ndx = -x*dt*dW1", 2, 11, "product of differentials")]
    [InlineData("state x = 1\ndx = exp(dt)", 2, 6, "not inside exp")]
    [InlineData("state x = 1\ndx = -x*dt + x/dW1", 2, 15, "cannot divide by dt")]
    [InlineData("state x = 1\ndx = -x*dt + dW0", 2, 14, "dW1")]
    [InlineData("state x = 1\nparam a = x\ndx = -x*dt", 2, 11, "'x' cannot appear in a parameter value")]
    [InlineData("param a = b\nparam b = 1\nstate x = 1\ndx = -x*dt", 1, 11, "unknown name 'b'")]
    [InlineData("param a = 0/0\nstate x = 1\ndx = -x*dt", 1, 12, "must be finite")]
    [InlineData("state x = log(0)\ndx = -x*dt", 1, 11, "must be finite")]
    [InlineData("param t = 1\nstate x = 1\ndx = -x*dt", 1, 7, "reserved name")]
    [InlineData("noise scalar\nstate x = 1\nstate y = 1\ndx = -x*dt + dW1\ndy = -y*dt + dW2", 1, 7, "scalar noise has one Brownian motion")]
    [InlineData("noise additive\nstate x = 1\ndx = -x*dt + x*dW1", 1, 7, "cannot depend on the state")]
    [InlineData("noise diagonal\nstate x = 1\nstate y = 1\ndx = -x*dt + dW2\ndy = -y*dt + dW1", 1, 7, "diagonal noise")]
    [InlineData("noise weird\nstate x = 1\ndx = -x*dt", 1, 7, "unknown noise kind")]
    [InlineData("noise scalar\nnoise scalar\nstate x = 1\ndx = -x*dt", 2, 7, "already declared")]
    [InlineData("state x = 1\ndx = -x*dt + σ*dW1", 2, 14, "unexpected character 'σ'")]
    [InlineData("state x = 1\nx = 2", 2, 1, "does not start a statement")]
    [InlineData("state x = 1\ndx = -x*dt +", 2, 13, "expected a number")]
    [InlineData("state x = 1\ndx = -x*dt + exp*dW1", 2, 14, "is a function")]
    [InlineData("state x = 1\nstate = 1\ndx = -x*dt", 2, 7, "expected a state name")]
    [InlineData("state x = 1\ndx = 1e*dt", 2, 6, "bad number '1e'")]
    public void Malformed_text_reports_one_error_with_line_and_column(string text, int line, int column, string reason)
    {
        var e = Assert.Throws<ModelParseException>(() => TextModel.Parse(text));
        Assert.Contains(reason, e.Reason, StringComparison.Ordinal);
        Assert.Equal((line, column), (e.Line, e.Column));
        Assert.StartsWith($"line {line}, column {column}: ", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Nesting_beyond_the_depth_limit_is_an_error_not_a_stack_overflow()
    {
        string deep = "state x = 1\ndx = " + new string('(', 100_000) + "x" + new string(')', 100_000) + "*dt";
        Assert.Contains("nested more than", Assert.Throws<ModelParseException>(() => TextModel.Parse(deep)).Reason, StringComparison.Ordinal);
        string minus = "state x = 1\ndx = " + new string('-', 100_000) + "x*dt";
        Assert.Throws<ModelParseException>(() => TextModel.Parse(minus));
        string chain = "state x = 1\ndx = (" + string.Join("+", Enumerable.Repeat("x", 10_000)) + ")*dt";
        Assert.Contains("levels deep", Assert.Throws<ModelParseException>(() => TextModel.Parse(chain)).Reason, StringComparison.Ordinal);
        string power = "state x = 1\ndx = " + string.Join("^", Enumerable.Repeat("x", 10_000)) + "*dt";
        Assert.Throws<ModelParseException>(() => TextModel.Parse(power));
    }

    [Fact]
    public void A_chain_of_200_negations_compiles_in_linear_time()
    {
        // Substitute visited a negation's operand twice, so d nested minus signs cost 2^d (the fuzz test met d = 188).
        var model = TextModel.Parse("state x = 1\ndx = " + new string('-', 200) + "x*dt\n");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var sde = model.Compile();
        var dx = new double[1];
        sde.Evaluate(0, [2.0], dx, 1);
        Assert.Equal(2.0, dx[0]); // an even number of minus signs
        Assert.True(clock.Elapsed.TotalSeconds < 5, $"took {clock.Elapsed}");
    }

    [Fact]
    public void A_non_finite_constant_subexpression_is_rejected_naming_it_and_binding_stays_linear()
    {
        var e = Assert.Throws<ModelParseException>(() => TextModel.Parse("state x = 1\ndx = -x*dt + (1 + 1/0)*x*dW1\n"));
        Assert.Contains("(1 / 0)", e.Reason, StringComparison.Ordinal);
        Assert.Equal(2, e.Line);
        // 1/(1/0) = 0 is finite as a whole: allowed, as IEEE arithmetic and the compiled kernel give 0.
        TextModel.Parse("state x = 1\ndx = -x*dt + 1/(1/0)*dW1\n");
        string many = string.Concat(Enumerable.Range(0, 50_000).Select(i => $"param p{i} = 1\n")) + "state x = 1\ndx = -p49999*x*dt\n";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.Equal(50_000, TextModel.Parse(many).ParameterNames.Count);
        Assert.True(clock.Elapsed.TotalSeconds < 10, $"took {clock.Elapsed}");
    }
}
