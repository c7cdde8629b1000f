using System.Text.Json;
using Drift.Ensembles;

namespace Drift.Cli.Output;

/// <summary>The final-time statistics as one JSON object.</summary>
public static class JsonReport
{
    /// <summary>Writes the report.</summary>
    public static void Write(TextWriter stdout, RunSummary run, string[] components, EnsembleSolution solution)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(components);
        ArgumentNullException.ThrowIfNull(solution);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("model", run.Model);
            w.WriteString("solver", run.Solver);
            w.WriteNumber("paths", run.Paths);
            w.WriteNumber("steps", run.Steps);
            w.WriteNumber("t1", run.T1);
            w.WriteNumber("seed", run.Seed);
            w.WriteString("status", solution.Status.ToString().ToLowerInvariant());
            w.WriteNumber("divergedPaths", solution.DivergedPaths);
            w.WriteNumber("seconds", run.Seconds);
            w.WriteNumber("pathStepsPerSecond", run.Paths * (double)run.Steps / Math.Max(run.Seconds, 1e-9));
            if (run.Adaptive is { } adaptive)
            {
                w.WriteStartObject("adaptive");
                w.WriteNumber("acceptedSteps", adaptive.AcceptedSteps);
                w.WriteNumber("rejectedSteps", adaptive.RejectedSteps);
                w.WriteNumber("driftEvaluations", adaptive.DriftEvaluations);
                w.WriteNumber("diffusionEvaluations", adaptive.DiffusionEvaluations);
                Number(w, "smallestStep", adaptive.SmallestStep);
                Number(w, "largestStep", adaptive.LargestStep);
                w.WriteEndObject();
            }
            int last = solution.Times.Length - 1;
            w.WriteNumber("time", solution.Times[last]);
            w.WriteStartArray("components");
            for (int i = 0; i < components.Length; i++)
            {
                var m = solution.Moments(last, i);
                w.WriteStartObject();
                w.WriteString("name", components[i]);
                w.WriteNumber("count", m.Count);
                if (m.Count == 0)
                {
                    // No finite path: every statistic is undefined (not the empty accumulator's 0 mean or ±∞ extremes).
                    foreach (string field in new[] { "mean", "std", "stderr", "min", "q05", "median", "q95", "max" }) w.WriteNull(field);
                    w.WriteEndObject();
                    continue;
                }
                Number(w, "mean", m.Mean);
                Number(w, "std", m.StandardDeviation);
                Number(w, "stderr", m.StandardError);
                Number(w, "min", m.Min);
                Number(w, "q05", solution.Quantile(last, i, 0.05));
                Number(w, "median", solution.Quantile(last, i, 0.5));
                Number(w, "q95", solution.Quantile(last, i, 0.95));
                Number(w, "max", m.Max);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("divergences");
            foreach (var d in solution.Divergences.Take(10))
            {
                w.WriteStartObject();
                w.WriteNumber("path", d.Path);
                w.WriteNumber("time", d.Time);
                w.WriteNumber("component", d.Component);
                w.WriteString("cause", DivergenceSummary.Cause(d.Cause));
                w.WriteString("value", d.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        stdout.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void Number(Utf8JsonWriter w, string name, double value)
    {
        if (double.IsFinite(value)) w.WriteNumber(name, value);
        else w.WriteNull(name);
    }
}
