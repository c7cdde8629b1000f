using System.Globalization;
using System.Text;
using System.Text.Json;
using Drift.Cli.Arguments;
using Drift.Generative.Likelihood;
using Drift.Generative.Models;
using Drift.Generative.Oracles;
using Drift.Generative.Training;

namespace Drift.Cli.Diffuse;

/// <summary>
/// <c>drift diffuse likelihood</c>: the negative log-likelihood of data points under a trained model, by the
/// probability-flow ODE (<see cref="DataLikelihood"/>), in nats per point and bits per dimension, with its standard
/// error; on an exact mixture also the exact NLL of the same points and the paired gap.
/// </summary>
public static class LikelihoodCommand
{
    /// <summary>The option model of <c>drift diffuse likelihood</c>: parser, help text, docs, completion and provenance defaults.</summary>
    internal static CommandSpec Spec { get; } = new(["diffuse", "likelihood"],
        """
        usage: drift diffuse likelihood --model FILE.safetensors --data NAME|FILE [options]
        """,
        [
            OptionSpec.File("model", "FILE", "a checkpoint of 'drift diffuse train'"),
            OptionSpec.Text("data", "D", "a built-in data set (two-moons, …, or an exact mixture gauss2d, ring8, skewed2d, mix16, mix64)\n"
                + "or a CSV (x0,x1,…) / .npy point file"),
            OptionSpec.Integer("n", "points (a file's first N rows)", "1000"),
            OptionSpec.Integer("hutchinson", "estimate ∇·s with K Rademacher probes per point", "exact: for a Drift checkpoint d reverse passes\n"
                + "through the network, about 1 + d forward passes' work; for an ONNX model central\n"
                + "differences along the d axes, 2d model calls per evaluation", "K"),
            OptionSpec.Integer("steps", "RK4 steps of the PF-ODE, uniform in logSNR", "64"),
            OptionSpec.Integer("seed", "seed of a built-in data set (not the training seed 0) and of the probes", "1", "S"),
            OptionSpec.Json("print the report as JSON"),
        ])
    {
        Summary = "log-likelihood of data under a trained model (probability-flow ODE)",
        Notes = """
            exit codes: 0 ok, 2 bad input, 1 failure
            """,
    };

    /// <summary>Runs the command (<paramref name="args"/> start after <c>likelihood</c>).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var a = Spec.Parse(args);
        if (a.Flag("help"))
        {
            stdout.Write(Spec.Help());
            return CliApp.Ok;
        }
        if (a.Positional.Count != 0) throw new UsageException($"unexpected argument '{a.Positional[0]}'; try 'drift diffuse likelihood --help'.");
        string modelPath = a.String("model") ?? throw new UsageException("diffuse likelihood needs --model FILE.safetensors.");
        string dataName = a.String("data") ?? throw new UsageException("diffuse likelihood needs --data NAME|FILE.");
        int n = (int)(a.Integer("n", 2, 10_000_000) ?? 1000);
        int? probes = (int?)a.Integer("hutchinson", 1, 100_000);
        int steps = (int)(a.Integer("steps", 1, 100_000) ?? 64);
        ulong seed = a.Seed() ?? 1;
        bool json = a.Flag("json");
        a.RejectUnknown();
        if (!File.Exists(modelPath)) throw new UsageException($"--model '{modelPath}' does not exist.");
        var model = TrainedModel.Load(modelPath);
        if (model.Schedule is Generative.Schedules.MeanRevertingSchedule)
            throw new UsageException("diffuse likelihood does not handle mean-reverting (mr) models yet.");
        PointData data;
        try
        {
            data = PointDatasets.Load(dataName, n, seed);
        }
        catch (FileNotFoundException)
        {
            throw new UsageException($"--data '{dataName}' is neither a built-in data set ({string.Join(", ", PointDatasets.Names)}) nor an existing file.");
        }
        if (data.Dimension != model.Dimension) throw new UsageException($"--data has {data.Dimension} coordinates, the model {model.Dimension}.");
        n = Math.Min(n, data.Count);
        if (n < 2) throw new UsageException("the likelihood needs at least 2 points.");
        var estimate = DataLikelihood.Estimate(model, data.Points, n, steps,
            probes is null ? DivergenceEstimator.Exact : DivergenceEstimator.HutchinsonRademacher, probes ?? 1, seed, TrainedModel.ReadDataMean(modelPath));
        Exact? exact = null;
        if (StandardMixtures.Names.Contains(dataName))
        {
            var mixture = StandardMixtures.Get(dataName);
            var diff = new double[n];
            double sum = 0, sumDiff = 0;
            for (int r = 0; r < n; r++)
            {
                double v = -mixture.LogDensity(1, 0, data.Points.AsSpan(r * data.Dimension, data.Dimension));
                sum += v;
                diff[r] = estimate.PerPoint[r] - v;
                sumDiff += diff[r];
            }
            double meanDiff = sumDiff / n, m2 = 0;
            foreach (double v in diff) m2 += (v - meanDiff) * (v - meanDiff);
            exact = new Exact(sum / n, meanDiff, Math.Sqrt(m2 / (n - 1) / n));
        }
        string method = probes is null
            ? model is IScoreDivergence ? "exact divergence (reverse passes through the network)" : "exact divergence (central differences along the axes)"
            : $"Hutchinson, {probes} Rademacher probe(s) per point";
        var c = CultureInfo.InvariantCulture;
        if (json)
        {
            using var stream = new MemoryStream();
            using (var j = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                j.WriteStartObject();
                j.WriteString("model", modelPath);
                j.WriteString("data", data.Name);
                j.WriteNumber("points", n);
                j.WriteNumber("dimension", data.Dimension);
                j.WriteString("divergence", probes is null ? "exact" : "hutchinson");
                j.WriteNumber("probes", probes ?? 0);
                j.WriteNumber("steps", steps);
                j.WriteNumber("startTime", estimate.StartTime);
                j.WriteNumber("endTime", estimate.EndTime);
                j.WriteNumber("nll", estimate.Mean);
                j.WriteNumber("standardError", estimate.StandardError);
                j.WriteNumber("bitsPerDimension", estimate.BitsPerDimension);
                if (exact is { } e)
                {
                    j.WriteNumber("exactNll", e.Nll);
                    j.WriteNumber("gap", e.Gap);
                    j.WriteNumber("gapStandardError", e.GapStandardError);
                }
                j.WriteEndObject();
            }
            stdout.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
            return CliApp.Ok;
        }
        stdout.WriteLine($"model           {modelPath} ({model.Dimension}-D, {model.Schedule.Name})");
        stdout.WriteLine(string.Create(c, $"data            {data.Name} ({n} points)"));
        stdout.WriteLine(string.Create(c, $"method          PF-ODE, RK4 {steps} logSNR steps from t = {estimate.StartTime:G4} to {estimate.EndTime:G4}, {method}"));
        stdout.WriteLine(string.Create(c, $"NLL             {estimate.Mean:F4} ± {estimate.StandardError:F4} nats per point ({estimate.BitsPerDimension:F4} bits/dim)"));
        if (exact is { } x)
            stdout.WriteLine(string.Create(c, $"exact mixture   {x.Nll:F4} nats on the same points; gap {x.Gap:F4} ± {x.GapStandardError:F4} (paired)"));
        return CliApp.Ok;
    }

    private readonly record struct Exact(double Nll, double Gap, double GapStandardError);
}
