using System.Globalization;
using System.Text.Json;
using Drift.Cli.Arguments;
using Drift.Cli.Output;
using Drift.Cli.Simulate;
using Drift.Ensembles;
using Drift.IO;
using Drift.Solve.Adaptive;
using Drift.Solve;

namespace Drift.Cli.Deterministic;

/// <summary><c>drift solve MODEL|FILE.drift [options]</c>: one deterministic trajectory, explicit or stiff.</summary>
public static class SolveCommand
{
    /// <summary>The option model of <c>drift solve</c>: parser, help text, docs, completion and provenance defaults.</summary>
    internal static CommandSpec Spec { get; } = new(["solve"],
        """
        usage: drift solve MODEL|FILE.drift [options]     MODEL: a chaotic flow (e.g. lorenz63, duffing... see 'drift models'),
                                                          lorenz (drift only), or a .drift text model
        """,
        [
            OptionSpec.Choice("solver", "explicit: tsit5, dopri5, dop853, bs3; stiff: rodas4, rodas5p, rosenbrock23 (Rosenbrock),\n"
                + "radau (Radau IIA order 5), bdf (variable-order BDF/NDF 1-5);\n"
                + "auto (tsit5, handing over to rodas5p in place when stiffness is detected, and back)", "tsit5",
                [.. Simulate.OdeDispatch.Names]) with { Value = "NAME" },
            OptionSpec.Real("rtol", "R", "relative tolerance", "1e-6"),
            OptionSpec.Real("atol", "A", "absolute tolerance", "1e-9"),
            OptionSpec.Real("t1", "T", "end time", "the model's"),
            OptionSpec.Text("saveat", "DT|T1,T2,..", "save every DT, or at the listed times", "every accepted step with --output/--plot"),
            .. ModelArguments.Options,
            OptionSpec.Flag("ignore-noise", "solve the drift of a model with noise (dW terms, noise parameter) as an ODE"),
            OptionSpec.File("output", "FILE.csv|FILE.parquet|FILE.npy", "the saved states (CSV/Parquet: time,path,<components>; .npy: (saves, 1, components))"),
            OptionSpec.File("plot", "FILE.png", "the trajectory over time and, for 3+ components, the (x, z) phase portrait"),
            OptionSpec.Json("print status, final state and statistics as JSON instead of a table"),
        ])
    {
        Positional = () => BuiltInModels.All.Where(m => m.Ode is not null).Select(m => m.Name),
        Summary = "solve a flow or FILE.drift deterministically (explicit or stiff); print the final state",
    };

    /// <summary>Runs the command.</summary>
    /// <returns>0, or 3 when the solve stopped before t1 (the status says why).</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var a = Spec.Parse(args);
        if (a.Flag("help"))
        {
            stdout.Write(Spec.Help());
            return CliApp.Ok;
        }
        if (a.Positional.Count != 1) throw new UsageException("solve takes one model: drift solve MODEL|FILE.drift [options].");
        string name = a.Positional[0];
        var model = FileModels.IsFile(name) ? FileModels.Load(name) : BuiltInModels.Find(name);
        if (model.Ode is null)
            throw new UsageException($"model '{model.Name}' has no deterministic form for solve; use a chaotic flow (see 'drift models'), lorenz, or a .drift file.");
        var parameters = ModelArguments.Parameters(model, a);
        double[] x0 = ModelArguments.InitialState(model, a);
        double t1 = a.Real("t1") ?? model.DefaultT1;
        if (!(t1 > 0) || !double.IsFinite(t1)) throw new UsageException($"--t1 must be positive and finite, got {t1}.");
        double rtol = a.Real("rtol") ?? 1e-6, atol = a.Real("atol") ?? 1e-9;
        if (!(rtol > 0) || !(atol >= 0)) throw new UsageException($"--rtol must be positive and --atol non-negative, got {rtol} and {atol}.");
        string solver = a.String("solver") ?? "tsit5";
        if (!OdeDispatch.Names.Contains(solver)) throw new UsageException($"unknown solver '{solver}'; choose one of {string.Join(", ", OdeDispatch.Names)}.");
        string? saveAt = a.String("saveat");
        string? output = a.String("output");
        string? plot = a.String("plot");
        bool json = a.Flag("json"), ignoreNoise = a.Flag("ignore-noise");
        a.RejectUnknown();
        if (plot is not null && !plot.EndsWith(".png", StringComparison.OrdinalIgnoreCase)) throw new UsageException($"--plot writes PNG; give a FILE.png, got '{plot}'.");
        OutputPaths.Check(output, plot);
        var times = saveAt is null ? null : SaveTimes(saveAt, t1);
        var options = new SolveOptions
        {
            CancellationToken = Runs.RunContext.Token,
            Controller = new PidController { RelativeTolerance = rtol, AbsoluteTolerance = atol, MaxSteps = 1_000_000 },
            Save = times is not null ? SaveAt.Times(times) : output is not null || plot is not null ? SaveAt.EveryStep(1) : SaveAt.Final,
            TrackQuantiles = false, // one path: no quantiles to report, and a sketch per save of up to 10⁶ steps would take gigabytes
        };
        OdeResult result;
        try
        {
            result = model.Ode(parameters, x0, t1, new OdeRequest(solver, options, ignoreNoise));
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
        var s = result.Trajectory;
        var st = s.Statistics;
        if (json) WriteJson(stdout, model, result);
        else
        {
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{model.Name}, {result.Solver}: {StatusText(s.Status)} at t = {s.FinalTime:G10}"));
            for (int i = 0; i < model.Components.Length; i++)
                stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {model.Components[i],-10} {s.FinalState[i],24:R}"));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  steps {st.AcceptedSteps} accepted, {st.RejectedSteps} rejected; {st.FunctionEvaluations} evaluations, {st.JacobianEvaluations} Jacobians, {st.Factorizations} LU factorisations"));
        }
        if (result.Note is not null) stderr.WriteLine($"drift: {result.Note}");
        if (output is not null || plot is not null)
        {
            var trajectory = EnsembleSolution.FromTrajectory(s);
            if (ParquetReport.IsParquet(output)) OutputFile.WriteBinary(output!, w => ParquetReport.WritePaths(w, model.Components, trajectory));
            else if (output is not null && output.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
                OutputFile.WriteBinary(output, w => NpyReport.WritePaths(w, model.Components.Length, trajectory));
            else if (output is not null) OutputFile.Write(output, w => CsvReport.WritePaths(w, model.Components, trajectory));
            if (plot is not null) OutputFile.WriteBinary(plot, w => PlotReport.Write(w, model.Name, model.Components, trajectory));
        }
        if (s.Status != SolveStatus.Success)
        {
            stderr.WriteLine($"drift: the solve stopped before t1: {s.Message}");
            return CliApp.Diverged;
        }
        return CliApp.Ok;
    }

    private static string StatusText(SolveStatus status) => status switch
    {
        SolveStatus.Success => "success",
        SolveStatus.MaxSteps => "max-steps",
        SolveStatus.StepTooSmall => "step-size-too-small",
        SolveStatus.SingularJacobian => "singular-jacobian",
        SolveStatus.NotConverged => "not-converged",
        _ => "non-finite",
    };

    private static void WriteJson(TextWriter stdout, BuiltInModel model, OdeResult result)
    {
        var s = result.Trajectory;
        var st = s.Statistics;
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("model", model.Name);
            w.WriteString("solver", result.Solver);
            w.WriteString("status", StatusText(s.Status));
            if (s.Message.Length > 0) w.WriteString("message", s.Message);
            w.WriteNumber("time", s.FinalTime);
            w.WriteStartArray("components");
            foreach (string c in model.Components) w.WriteStringValue(c);
            w.WriteEndArray();
            w.WriteStartArray("final");
            foreach (double v in s.FinalState)
                if (double.IsFinite(v)) w.WriteNumberValue(v); else w.WriteNullValue();
            w.WriteEndArray();
            w.WriteStartObject("statistics");
            w.WriteNumber("accepted", st.AcceptedSteps);
            w.WriteNumber("rejected", st.RejectedSteps);
            w.WriteNumber("evaluations", st.FunctionEvaluations);
            w.WriteNumber("jacobians", st.JacobianEvaluations);
            w.WriteNumber("factorizations", st.Factorizations);
            if (st.SwitchTimes.Count > 0)
            {
                w.WriteStartArray("switches");
                foreach (double t in st.SwitchTimes) w.WriteNumberValue(t);
                w.WriteEndArray();
            }
            w.WriteEndObject();
            w.WriteEndObject();
        }
        stdout.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    /// <summary>"DT" → DT, 2DT, … up to t1 (t1 included); "T1,T2,…" → those times.</summary>
    private static double[] SaveTimes(string text, double t1)
    {
        static double Parse(string s) => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
            ? v : throw new UsageException($"--saveat expects a step or a comma-separated list of times, got '{s}'.");
        if (text.Contains(','))
        {
            var list = text.Split(',').Select(p => Parse(p.Trim())).ToArray();
            for (int i = 0; i < list.Length; i++)
                if (list[i] < 0 || list[i] > t1 || (i > 0 && list[i] < list[i - 1]))
                    throw new UsageException($"--saveat times must be non-decreasing and lie in [0, {t1}], got {list[i]}.");
            return list;
        }
        double dt = Parse(text);
        if (!(dt > 0)) throw new UsageException($"--saveat step must be positive, got {dt}.");
        long n = (long)Math.Floor(t1 / dt + 1e-9);
        if (n > 10_000_000) throw new UsageException($"--saveat {dt} asks for {n} save times; use a larger step.");
        var times = new List<double>();
        for (long k = 0; k <= n; k++) times.Add(Math.Min(k * dt, t1));
        if (times[^1] < t1) times.Add(t1);
        return [.. times];
    }
}
