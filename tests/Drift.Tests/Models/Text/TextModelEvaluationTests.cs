using System.Runtime.Intrinsics;
using Drift.Models.Text;
using Drift.Solve;

namespace Drift.Tests.Models.Text;

public class TextModelEvaluationTests
{
    // Exercises every operator, every function, t, pi, powers (lowered and Math.Pow) and parameters.
    private const string Kitchen = """
        param a = 1.5
        param b = -0.25
        param n = 2.5
        state x = 0.3
        state y = -0.7
        state z = 1.1
        dx = (a*(y - x) + exp(-x^2) - b/(1 + y^2) + sin(t)*cos(z)) * dt + a*x*dW1 + 0.1*y*dW2
        dy = (tanh(x*y) + sqrt(abs(z)) - log(1 + x^2) + pow(abs(y) + 1, n) - x^3 + 2^-2) * dt - b*sqrt(1 + z^2)*dW2
        dz = (min(x, y)*max(y, z) + atan(x) + sinh(0.1*y) - cosh(0.2*z) + sign(x - y) + abs(z)^n + pi*t) * dt
              + (asin(0.5*tanh(x)) + acos(0.5*tanh(y)) + tan(0.1*z)) * dW1
        """;

    private static void Oracle(double t, double x, double y, double z, Span<double> f, Span<double> g)
    {
        double a = 1.5, b = -0.25, n = 2.5;
        f[0] = a * (y - x) + Math.Exp(-(x * x)) - b / (1 + y * y) + Math.Sin(t) * Math.Cos(z);
        f[1] = Math.Tanh(x * y) + Math.Sqrt(Math.Abs(z)) - Math.Log(1 + x * x) + Math.Pow(Math.Abs(y) + 1, n) - x * x * x + 0.25;
        f[2] = Math.Min(x, y) * Math.Max(y, z) + Math.Atan(x) + Math.Sinh(0.1 * y) - Math.Cosh(0.2 * z) + (x - y > 0 ? 1.0 : x - y < 0 ? -1.0 : x - y)
            + Math.Pow(Math.Abs(z), n) + Math.PI * t;
        // general noise, 3 x 2, row-major
        g[0] = a * x; g[1] = 0.1 * y;
        g[2] = 0; g[3] = -b * Math.Sqrt(1 + z * z);
        g[4] = Math.Asin(0.5 * Math.Tanh(x)) + Math.Acos(0.5 * Math.Tanh(y)) + Math.Tan(0.1 * z); g[5] = 0;
    }

    private static double[] Batch(int paths, int seed)
    {
        var random = new System.Random(seed);
        var x = new double[3 * paths];
        for (int i = 0; i < x.Length; i++) x[i] = 2 * random.NextDouble() - 1;
        return x;
    }

    [Fact]
    public void Compiled_drift_and_diffusion_match_a_hand_written_oracle_at_every_batch_length_0_to_70()
    {
        var model = TextModel.Parse(Kitchen);
        Assert.Equal(NoiseKind.General, model.Noise);
        Assert.Equal(2, model.NoiseDimension);
        foreach (var lane in new[] { KernelCompiler.AcceleratedLane, typeof(Vector256<double>), null })
        {
            var sde = model.Compile(model.DefaultParameters, lane);
            for (int paths = 0; paths <= 70; paths++)
            {
                double[] x = Batch(paths, paths);
                var f = new double[3 * paths];
                var g = new double[6 * paths];
                const double t = 0.7;
                sde.Evaluate(t, x, f, paths);
                sde.EvaluateDiffusion(t, x, g, paths);
                var fo = new double[3];
                var go = new double[6];
                for (int p = 0; p < paths; p++)
                {
                    Oracle(t, x[p], x[paths + p], x[2 * paths + p], fo, go);
                    for (int i = 0; i < 3; i++) Assert.Equal(fo[i], f[i * paths + p]);
                    for (int k = 0; k < 6; k++) Assert.Equal(go[k], g[k * paths + p]);
                }
            }
        }
    }

    [Fact]
    public void Each_path_gets_the_same_bits_whatever_its_position_in_the_batch()
    {
        var sde = TextModel.Parse(Kitchen).Compile();
        double[] x = Batch(37, 5);
        var all = new double[3 * 37];
        sde.Evaluate(0.2, x, all, 37);
        for (int p = 0; p < 37; p++)
        {
            double[] one = [x[p], x[37 + p], x[74 + p]];
            var f = new double[3];
            sde.Evaluate(0.2, one, f, 1);
            for (int i = 0; i < 3; i++) Assert.Equal(BitConverter.DoubleToInt64Bits(f[i]), BitConverter.DoubleToInt64Bits(all[i * 37 + p]));
        }
    }

    [Fact]
    public void Symbolic_Jacobian_agrees_with_central_differences_of_the_compiled_drift()
    {
        var sde = TextModel.Parse(Kitchen).Compile();
        double[] x = [0.3, -0.7, 1.1];
        var j = new double[9];
        sde.Jacobian(0.4, x, j);
        var plus = new double[3];
        var minus = new double[3];
        for (int c = 0; c < 3; c++)
        {
            const double h = 1e-6;
            double[] xp = [.. x], xm = [.. x];
            xp[c] += h;
            xm[c] -= h;
            sde.Evaluate(0.4, xp, plus, 1);
            sde.Evaluate(0.4, xm, minus, 1);
            for (int r = 0; r < 3; r++)
            {
                double fd = (plus[r] - minus[r]) / (2 * h);
                Assert.True(Math.Abs(j[r * 3 + c] - fd) < 1e-6 * (1 + Math.Abs(fd)), $"J[{r},{c}] = {j[r * 3 + c]}, differences {fd}");
            }
        }
    }

    [Fact]
    public void Parameters_are_overridden_by_name_and_t_dependent_noise_is_additive()
    {
        var model = TextModel.Parse("param k = 2\nstate x = 0\ndx = -k*x*dt + (1 + t)*dW1\n");
        Assert.Equal(NoiseKind.Additive, model.Noise);
        var sde = model.Compile(new Dictionary<string, double> { ["k"] = 5 });
        var f = new double[1];
        sde.Evaluate(0, [2.0], f, 1);
        Assert.Equal(-10, f[0]);
        var g = new double[1];
        sde.EvaluateDiffusion(3, [2.0], g, 1);
        Assert.Equal(4, g[0]);
        Assert.Throws<ArgumentException>(() => model.Compile(new Dictionary<string, double> { ["q"] = 1 }));
        Assert.Throws<ArgumentException>(() => model.Compile([double.NaN]));
        Assert.Throws<ArgumentException>(() => sde.Evaluate(0, [1.0], f, 2));
    }
}
