using Drift.IO;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Drift.Cli.Arguments;
using Drift.Cli.Output;
using Drift.Transport;
using Drift.Transport.IO;
using Drift.Solve;

namespace Drift.Cli.Transport;

/// <summary><c>drift ot SOURCE TARGET</c>: optimal transport between two weighted point clouds.</summary>
public static class OtCommand
{
    /// <summary>The option model of <c>drift ot</c>: parser, help text, docs, completion and provenance defaults.</summary>
    internal static CommandSpec Spec { get; } = new(["ot"],
        """
        usage: drift ot SOURCE TARGET [options]     point clouds as CSV (one point per row) or .npy (float64, n × d)
        """,
        [
            OptionSpec.Choice("method", "", "eps-scaling", "eps-scaling", "sinkhorn", "log", "stabilized", "sns", "exact", "assignment", "unbalanced", "1d") with
            {
                CheckedByCommand = "any case and the aliases of OptimalTransport.ParseMethod (emd, lap, sinkhorn-log, epsilon-scaling, ...)",
            },
            OptionSpec.Real("reg", "R", "entropic regularisation relative to the largest cost: ε = R · max C;\n"
                + "the cost printed is ⟨P_ε, C⟩, between the exact cost and that plus ε·ln(min(n, m));\n"
                + "--method exact gives the unregularised cost", "0.01"),
            OptionSpec.Flag("absolute", "take --reg in cost units on the raw cost matrix (ε = R), as before 0.x; small ε\n"
                + "on unscaled costs converges slowly or, for sinkhorn, fails numerically"),
            OptionSpec.Choice("cost", "", "sqeuclidean", "sqeuclidean", "euclidean", "manhattan") with { CheckedByCommand = "alias squared-euclidean" },
            OptionSpec.Flag("normalize", "the default (the cost matrix is divided by its maximum for the solve; costs are\n"
                + "reported in the original units)"),
            OptionSpec.File("source-weights", "F", "weights of the source points, one per line", "uniform"),
            OptionSpec.File("target-weights", "F", "weights of the target points"),
            OptionSpec.Real("tol", "T", "marginal tolerance", "1e-9"),
            OptionSpec.Integer("max-iter", "iteration limit", "10000"),
            OptionSpec.Real("rho", "R", "KL marginal penalty of unbalanced transport", "1"),
            OptionSpec.File("plan", "FILE.csv", "write the plan as row,column,mass triples (non-zero entries)"),
            OptionSpec.Json("print the result as JSON"),
        ])
    {
        Summary = "optimal transport between two point clouds (CSV or .npy)",
        Notes = """
            exit codes: 0 converged, 3 finished without converging, 2 bad input, 1 failure
            """,
    };

    /// <summary>Dense n × m float64 matrices a solve holds at once (cost, kernel or potentials' workspace, plan): the memory estimate.</summary>
    private const int DenseMatrices = 3;


    /// <summary>Runs the command.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => Run(args, stdout, stderr, CancellationToken.None);

    /// <summary>Runs the command; <paramref name="cancellationToken"/> stops the solve between iterations, and nothing is written.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var a = Spec.Parse(args);
        if (a.Flag("help"))
        {
            stdout.Write(Spec.Help());
            return CliApp.Ok;
        }
        if (a.Positional.Count != 2) throw new UsageException("ot needs a SOURCE and a TARGET point file; try 'drift ot --help'.");
        string methodName = a.String("method") ?? "eps-scaling";
        var method = ParseMethod(methodName);
        var ground = (a.String("cost") ?? "sqeuclidean") switch
        {
            "sqeuclidean" or "squared-euclidean" => GroundCost.SquaredEuclidean,
            "euclidean" => GroundCost.Euclidean,
            "manhattan" => GroundCost.Manhattan,
            var other => throw new UsageException($"unknown cost '{other}'; choose sqeuclidean, euclidean or manhattan."),
        };
        var options = TransportOptions.Default with
        {
            Epsilon = a.Positive("reg") ?? 0.01,
            Tolerance = a.Positive("tol") ?? 1e-9,
            MaxIterations = (int)(a.Integer("max-iter", 1, int.MaxValue) ?? 10_000),
            MarginalPenalty = a.Positive("rho") ?? 1.0,
            CancellationToken = cancellationToken,
        };
        bool absolute = a.Flag("absolute"), normalize = a.Flag("normalize");
        if (absolute && normalize) throw new UsageException("give --absolute or --normalize, not both.");
        bool json = a.Flag("json");
        string? planFile = a.String("plan");
        string? sourceWeights = a.String("source-weights");
        string? targetWeights = a.String("target-weights");
        a.RejectUnknown();
        foreach (string? file in new[] { a.Positional[0], a.Positional[1], sourceWeights, targetWeights })
            if (file is not null && Directory.Exists(file)) throw new UsageException($"cannot read '{file}': it is a directory.");
            else if (file is not null && !File.Exists(file)) throw new UsageException($"cannot read '{file}': no such file.");
        OutputPaths.Check(planFile);

        var source = Load(a.Positional[0], sourceWeights);
        var target = Load(a.Positional[1], targetWeights);
        if (method != TransportMethod.OneDimensional)
            MemoryBudget.Check(DenseMatrices * 8.0 * source.Count * target.Count,
                $"{methodName} on {source.Count} × {target.Count} points (dense cost, kernel and plan matrices)",
                "subsample the clouds, or use --method 1d for 1-D data");
        var clock = Stopwatch.StartNew();
        // ε relative to the largest cost unless --absolute: the solve sees C / max C, and costs are scaled back for the report.
        double scale = 1;
        TransportResult result;
        if (method == TransportMethod.OneDimensional) result = OptimalTransport.Solve(method, source, target, ground, normalizeCost: false, options);
        else
        {
            var cost = CostMatrix.FromPoints(source, target, ground);
            if (!absolute && cost.Max() is var max && max > 0)
            {
                scale = max;
                cost = cost.NormalizeByMax();
            }
            result = OptimalTransport.Solve(method, source.Weights, target.Weights, cost, options);
        }
        double seconds = clock.Elapsed.TotalSeconds;
        cancellationToken.ThrowIfCancellationRequested();

        if (json) WriteJson(stdout, methodName, source, target, result, scale, seconds);
        else WriteText(stdout, methodName, source, target, result, scale, seconds);
        if (planFile is not null && result.Status == SolveStatus.NonFinite)
            stderr.WriteLine($"drift: no plan written to '{planFile}': the solve failed.");
        else if (planFile is not null)
            OutputFile.Write(planFile, w =>
            {
                w.WriteLine("row,column,mass");
                foreach (var e in result.Plan.Entries())
                    if (e.Mass != 0) w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{e.Row},{e.Column},{e.Mass:R}"));
            });
        if (result.Status != SolveStatus.Success)
        {
            stderr.WriteLine($"drift: {methodName} did not converge ({result.Status}): {result.Message}");
            return CliApp.Diverged;
        }
        return CliApp.Ok;
    }

    private static TransportMethod ParseMethod(string name)
    {
        try
        {
            return OptimalTransport.ParseMethod(name);
        }
        catch (ArgumentException)
        {
            throw new UsageException($"unknown method '{name}'; choose sinkhorn, log, stabilized, eps-scaling, sns, exact, assignment, unbalanced or 1d.");
        }
    }

    private static PointCloud Load(string path, string? weightsPath)
    {
        var cloud = PointCloudReader.Read(path);
        if (weightsPath is null) return cloud;
        var weights = PointCloudReader.ReadWeights(weightsPath);
        if (weights.Length != cloud.Count)
            throw new UsageException($"'{weightsPath}' has {weights.Length} weights for the {cloud.Count} points of '{path}'.");
        return new PointCloud(cloud.Coordinates, cloud.Dimension, weights);
    }

    private static void WriteText(TextWriter w, string method, PointCloud source, PointCloud target, TransportResult r, double scale, double seconds)
    {
        var c = CultureInfo.InvariantCulture;
        w.WriteLine(scale == 1
            ? string.Create(c, $"method          {method} (ε = {r.Epsilon:G4})")
            : string.Create(c, $"method          {method} (ε = {r.Epsilon:G4} × max C = {r.Epsilon * scale:G4})"));
        w.WriteLine(string.Create(c, $"points          {source.Count} → {target.Count} in {source.Dimension}-D"));
        if (Failed(r))
        {
            w.WriteLine("cost            none (the solve failed; see status)");
            w.WriteLine("objective       none");
        }
        else
        {
            w.WriteLine(string.Create(c, $"cost            {r.Cost * scale:R}"));
            w.WriteLine(string.Create(c, $"objective       {r.Objective * scale:R}"));
        }
        w.WriteLine(string.Create(c, $"status          {r.Status}"));
        w.WriteLine(string.Create(c, $"iterations      {r.Iterations}"));
        w.WriteLine(string.Create(c, $"marginal error  {r.MarginalError:E3}"));
        w.WriteLine(string.Create(c, $"seconds         {seconds:F4}"));
    }

    private static void WriteJson(TextWriter w, string method, PointCloud source, PointCloud target, TransportResult r, double scale, double seconds)
    {
        using var stream = new MemoryStream();
        using (var j = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            j.WriteStartObject();
            j.WriteString("method", method);
            j.WriteNumber("sourcePoints", source.Count);
            j.WriteNumber("targetPoints", target.Count);
            j.WriteNumber("dimension", source.Dimension);
            Number(j, "epsilon", r.Epsilon * scale);
            Number(j, "relativeEpsilon", scale == 1 ? double.NaN : r.Epsilon);
            Number(j, "costScale", scale);
            bool failed = Failed(r);
            Number(j, "cost", failed ? double.NaN : r.Cost * scale);
            Number(j, "objective", failed ? double.NaN : r.Objective * scale);
            Number(j, "dualObjective", failed ? double.NaN : r.DualObjective * scale);
            Number(j, "marginalError", r.MarginalError);
            j.WriteNumber("iterations", r.Iterations);
            j.WriteNumber("newtonSteps", r.NewtonSteps);
            j.WriteString("status", r.Status.ToString());
            j.WriteString("message", r.Message);
            j.WriteNumber("seconds", seconds);
            j.WriteEndObject();
        }
        w.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>A solve whose numbers mean nothing: a numerical failure (NaN, ∞ or zero scalings) or a non-finite cost.</summary>
    private static bool Failed(TransportResult r) => r.Status == SolveStatus.NonFinite || !double.IsFinite(r.Cost);

    private static void Number(Utf8JsonWriter j, string name, double value)
    {
        if (double.IsFinite(value)) j.WriteNumber(name, value);
        else j.WriteNull(name);
    }
}
