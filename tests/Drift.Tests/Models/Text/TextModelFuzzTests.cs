using System.Diagnostics;
using System.Text;
using Drift.Models.Text;

namespace Drift.Tests.Models.Text;

public class TextModelFuzzTests
{
    private static readonly string[] Seeds =
    [
        "# OU\nparam theta = 1.0\nparam mu = 0.0\nparam sigma = 0.5\nstate x = 1.0\ndx = theta*(mu - x)*dt + sigma*dW1\n",
        "param sigma = 10\nparam rho = 28\nparam beta = 8/3\nparam eps = 1\nstate x = 1\nstate y = 1\nstate z = 20\n"
            + "dx = sigma*(y - x)*dt + eps*dW1\ndy = (x*(rho - z) - y)*dt + eps*dW2\ndz = (x*y - beta*z)*dt + eps*dW3\n",
        "noise general\nparam r = 0.3\nstate s = 1\nstate v = 0.04\nds = r*s*dt + sqrt(max(v, 0))*s*dW1\n"
            + "dv = 2*(0.04 - v)*dt + 0.3*sqrt(abs(v))*(-0.7*dW1 + sqrt(1 - 0.49)*dW2)\n",
        "param a = 2^-3\nstate x = pi\ndx = (exp(-x^2) + sin(t)*cos(x) - log(1 + x^2)/tanh(1 + abs(x)) + pow(abs(x), 1.5) + min(x, 1) - max(x, 2))*dt\n"
            + "   + atan(x)*dW1 + (sinh(x) - cosh(x))\n   * dW2\n",
    ];

    private static readonly string[] Tokens =
    [
        "param", "state", "noise", "scalar", "diagonal", "additive", "general", "x", "y", "z", "dx", "dy", "dz", "t", "pi", "dt", "dW", "dW1", "dW2",
        "dW0", "dW99999999999", "exp", "log", "sqrt", "pow", "min", "max", "abs", "sign", "tanh", "asin", "theta", "sigma", "mu", "e",
        "0", "1", "2.5", ".5", "1e308", "1e309", "1e-400", "4.9e-324", "99999999999999999999999999999999999999", "1.2.3", "1e", "2x", "0x1F", "NaN", "inf",
        "+", "-", "*", "/", "^", "**", "(", ")", ",", "=", "\n", "\n", " ", "#", "\t", "\r\n", "−", "σ", "\0", "\uFFFF", "\uD800", "😀",
    ];

    [Fact]
    public async Task Thirty_thousand_random_and_mutated_inputs_parse_or_fail_with_a_ModelParseException_within_the_time_bound()
    {
        const int inputs = 30_000;
        var worker = Task.Run(() => Fuzz(inputs, seed: 20240611));
        var finished = await Task.WhenAny(worker, Task.Delay(TimeSpan.FromSeconds(90)));
        Assert.True(finished == worker, "fuzzing did not finish in 90 s (hang?)");
        var (parsed, rejected, compiled, slowest) = await worker;
        Assert.Equal(inputs, parsed + rejected);
        Assert.True(parsed > 1_000 && rejected > 10_000, $"parsed {parsed}, rejected {rejected}: the generator should produce both");
        Assert.True(compiled > 10, $"compiled {compiled}");
        Assert.True(slowest < TimeSpan.FromSeconds(2), $"slowest input took {slowest}");
    }

    private static (int Parsed, int Rejected, int Compiled, TimeSpan Slowest) Fuzz(int inputs, int seed)
    {
        var random = new System.Random(seed);
        int parsed = 0, rejected = 0, compiled = 0;
        var slowest = TimeSpan.Zero;
        var one = new Stopwatch();
        for (int n = 0; n < inputs; n++)
        {
            string text = (n % 10) switch
            {
                < 6 => Mutate(Seeds[random.Next(Seeds.Length)], random),
                < 8 => RandomTokens(random),
                8 => Nested(random),
                _ => Extreme(random),
            };
            one.Restart();
            try
            {
                var model = TextModel.Parse(text);
                parsed++;
                if (parsed % 100 == 0 && Exercise(model)) compiled++;
            }
            catch (ModelParseException e)
            {
                rejected++;
                Assert.True(e.Line >= 1 && e.Column >= 1 && e.Reason.Length > 0, $"bad error position for {Show(text)}: {e.Message}");
            }
            catch (Exception e)
            {
                Assert.Fail($"input {Show(text)} threw {e.GetType().Name}: {e.Message}\n{e.StackTrace}");
            }
            if (one.Elapsed > slowest) slowest = one.Elapsed;
        }
        return (parsed, rejected, compiled, slowest);
    }

    /// <summary>Compiles and evaluates a parsed model: no exception whatever the values (NaN is a valid result).</summary>
    private static bool Exercise(TextModel model)
    {
        var sde = model.Compile();
        int d = model.Dimension, paths = 9;
        var x = new double[d * paths];
        for (int i = 0; i < x.Length; i++) x[i] = i % 3 - 1.0;
        sde.Evaluate(0.5, x, new double[d * paths], paths);
        sde.EvaluateDiffusion(0.5, x, new double[d * model.NoiseDimension * paths], paths);
        sde.Jacobian(0.5, x.AsSpan(0, d).ToArray(), new double[d * d]);
        return true;
    }

    private static string Mutate(string text, System.Random random)
    {
        var b = new StringBuilder(text);
        int mutations = random.Next(1, 5);
        for (int k = 0; k < mutations && b.Length > 0; k++)
        {
            int i = random.Next(b.Length);
            switch (random.Next(6))
            {
                case 0: b.Remove(i, Math.Min(random.Next(1, 4), b.Length - i)); break;
                case 1: b.Insert(i, Tokens[random.Next(Tokens.Length)]); break;
                case 2: b.Insert(i, (char)random.Next(0, 128)); break;
                case 3:
                {
                    int j = random.Next(b.Length);
                    (b[i], b[j]) = (b[j], b[i]);
                    break;
                }
                case 4:
                {
                    int length = Math.Min(random.Next(1, 20), b.Length - i);
                    b.Insert(random.Next(b.Length), b.ToString(i, length));
                    break;
                }
                default:
                    b.Remove(i, 1).Insert(i, "+-*/^(),=\n#."[random.Next(12)]);
                    break;
            }
        }
        return b.ToString();
    }

    private static string RandomTokens(System.Random random)
    {
        var b = new StringBuilder();
        if (random.Next(2) == 0) b.Append("state x = 1\n");
        int count = random.Next(1, 60);
        for (int k = 0; k < count; k++) b.Append(Tokens[random.Next(Tokens.Length)]).Append(random.Next(3) == 0 ? "" : " ");
        return b.ToString();
    }

    private static string Nested(System.Random random)
    {
        int depth = random.Next(0, 3000);
        string open = random.Next(4) switch { 0 => "(", 1 => "exp(", 2 => "-", _ => "max(1," };
        string close = open switch { "(" or "exp(" or "max(1," => ")", _ => "" };
        int closing = random.Next(2) == 0 ? depth : random.Next(depth + 1);
        return "state x = 1\ndx = " + string.Concat(Enumerable.Repeat(open, depth)) + "x" + string.Concat(Enumerable.Repeat(close, closing)) + "*dt\n";
    }

    private static string Extreme(System.Random random) => random.Next(8) switch
    {
        0 => "param a = " + new string('9', random.Next(1, 2000)) + "\nstate x = 1\ndx = -a*x*dt\n",
        1 => "param a = 0/0\nstate x = 1\ndx = -x*dt\n",
        2 => "state x = 1\ndx = (log(-1) + sqrt(-1) + 0/0 + 1e308*1e308)*dt + x^1e308*dW1\n",
        3 => "state x = log(0)\ndx = x*dt\n",
        4 => "state x = 1\ndx = -x*dt + " + string.Join(" + ", Enumerable.Range(1, random.Next(1, 300)).Select(j => $"dW{j}")) + "\n",
        5 => "state x = 1\ndx = " + string.Join("*", Enumerable.Repeat("x", random.Next(1, 400))) + "*dt\n",
        6 => string.Concat(Enumerable.Range(0, random.Next(1, 50)).Select(i => $"state s{i} = {i}\nds{i} = -s{i}*dt + 0.1*dW{i + 1}\n")),
        _ => "state x = 1\ndx = x^" + (random.NextDouble() * 40 - 20).ToString("R", System.Globalization.CultureInfo.InvariantCulture) + "*dt\n",
    };

    private static string Show(string text) => text.Length > 300 ? $"\"{text[..300]}…\" ({text.Length} chars)" : $"\"{text}\"";
}
