using System.Globalization;
using System.Text.Json;
using Drift.Analysis;
using Drift.Cli.Arguments;
using Drift.Cli.Simulate;
using Drift.Solve;
using Spectre.Console;

namespace Drift.Cli.Lyapunov;

/// <summary><c>drift lyapunov MODEL</c>: Lyapunov spectrum, maximal exponent and Kaplan–Yorke dimension of a flow.</summary>
public static class LyapunovCommand
{
    /// <summary>The option model of <c>drift lyapunov</c>: parser, help text, docs, completion and provenance defaults.</summary>
    internal static CommandSpec Spec { get; } = new(["lyapunov"],
        """
        usage: drift lyapunov MODEL [options]      MODEL: a chaotic flow of 'drift models' (lorenz, rossler, sprotta, ...) or FILE.drift

        Benettin/QR: the state and tangent vectors follow dx/dt = f(x), dQ/dt = J(x) Q (RK4, hand-written
        Jacobians; symbolic derivatives for .drift files), re-orthonormalised every few steps; exponents are averaged over trajectories started
        near x0, after a discarded transient, with 95% Student-t confidence intervals.
        """,
        [
            OptionSpec.Real("dt", "H", "RK4 step", "the model's suggested step"),
            OptionSpec.Real("time", "T", "measured time per trajectory", "max(100, 100 periods)"),
            OptionSpec.Real("transient", "T", "discarded time", "max(10, 10 periods)"),
            OptionSpec.Integer("trajectories", "independent initial conditions", "8", "K"),
            OptionSpec.Integer("exponents", "how many exponents", "all", "K"),
            OptionSpec.Real("spread", "S", "initial conditions x0 + S*N(0, I)", "0.1"),
            OptionSpec.Integer("seed", "seed of the spread", "1", "S"),
            OptionSpec.Threads(),
            .. ModelArguments.Options,
            OptionSpec.Json("print JSON instead of a table"),
            OptionSpec.NoProgress,
        ])
    {
        Positional = () => BuiltInModels.All.Where(m => m.Lyapunov is not null).Select(m => m.Name),
        Summary = "Lyapunov spectrum, maximal exponent and Kaplan-Yorke dimension of a flow or FILE.drift",
    };

    /// <summary>Runs the command.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var a = Spec.Parse(args);
        if (a.Flag("help"))
        {
            stdout.Write(Spec.Help());
            return CliApp.Ok;
        }
        if (a.Positional.Count != 1) throw new UsageException("lyapunov takes one model; see 'drift lyapunov --help'.");
        var model = FileModels.IsFile(a.Positional[0]) ? FileModels.Load(a.Positional[0]) : BuiltInModels.FindWithJacobian(a.Positional[0]);
        var parameters = ModelArguments.Parameters(model, a);
        double[] x0 = ModelArguments.InitialState(model, a);
        double period = model.Chaos?.Period ?? 1;
        var options = new LyapunovOptions
        {
            CancellationToken = Runs.RunContext.Token,
            Step = a.Real("dt") ?? model.Chaos?.SuggestedStep ?? 0.01,
            Time = a.Real("time") ?? Math.Max(100, 100 * period),
            Transient = a.Real("transient") ?? Math.Max(10, 10 * period),
            Trajectories = (int)(a.Integer("trajectories", 2, 100_000) ?? 8),
            Exponents = (int?)a.Integer("exponents", 1, model.Components.Length),
            Spread = a.Real("spread") ?? 0.1,
            Seed = a.Seed() ?? 1,
            Threads = (int)(a.Integer("threads", 1, 1024) ?? 0),
        };
        bool json = a.Flag("json");
        bool noProgress = a.Flag("no-progress");
        a.RejectUnknown();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        LyapunovSpectrum spectrum;
        try
        {
            spectrum = !noProgress && !Console.IsErrorRedirected && ReferenceEquals(stderr, Console.Error)
                ? WithProgressBar(o => model.Lyapunov!(parameters, x0, o), options)
                : model.Lyapunov!(parameters, x0, options);
        }
        catch (ArithmeticException e)
        {
            stderr.WriteLine($"drift: {e.Message}");
            return CliApp.Failed;
        }
        double seconds = clock.Elapsed.TotalSeconds;
        if (json) WriteJson(stdout, model, spectrum, options);
        else WriteTable(stdout, model, spectrum);
        stderr.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"drift: {model.Name}: {spectrum.Trajectories} trajectories x {spectrum.Steps} RK4 steps of {options.Step:G3} in {seconds:F2} s"));
        return CliApp.Ok;
    }

    private static LyapunovSpectrum WithProgressBar(Func<LyapunovOptions, LyapunovSpectrum> run, LyapunovOptions options)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        LyapunovSpectrum? result = null;
        console.Progress().AutoClear(true).Start(context =>
        {
            var task = context.AddTask("lyapunov", maxValue: options.Trajectories);
            result = run(options with { Progress = new Progress<SolveProgress>(p => task.Value = p.PathsDone) });
            task.Value = options.Trajectories;
        });
        return result!;
    }

    private static void WriteTable(TextWriter w, BuiltInModel model, LyapunovSpectrum s)
    {
        w.WriteLine("exponent        value     ±95%");
        for (int i = 0; i < s.Exponents.Count; i++)
            w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"lambda{i + 1,-4} {s.Exponents[i],12:F5} {s.ConfidenceHalfWidth(i),8:F5}"));
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"maximal       {s.Maximal,12:F5} {s.ConfidenceHalfWidth(0),8:F5}"));
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sum           {s.Sum,12:F5} {LyapunovSpectrum.StudentT975(s.Trajectories - 1) * s.SumStandardError,8:F5}"));
        w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"kaplan-yorke  {s.KaplanYorkeDimension,12:F5} {LyapunovSpectrum.StudentT975(s.Trajectories - 1) * s.KaplanYorkeStandardError,8:F5}"));
        if (model.Chaos is { } c)
            w.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"published (dysts): maximal {c.PublishedMaximalLyapunov:F5}, spectrum ({string.Join(", ", c.PublishedSpectrum.Select(v => v.ToString("F5", CultureInfo.InvariantCulture)))}), kaplan-yorke {c.PublishedKaplanYorke:F5}"));
    }

    private static void WriteJson(TextWriter stdout, BuiltInModel model, LyapunovSpectrum s, LyapunovOptions o)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("model", model.Name);
            w.WriteNumber("dt", o.Step);
            w.WriteNumber("time", s.Time);
            w.WriteNumber("transient", o.Transient);
            w.WriteNumber("trajectories", s.Trajectories);
            Array(w, "exponents", s.Exponents);
            Array(w, "standardErrors", s.StandardErrors);
            Array(w, "confidence95", [.. Enumerable.Range(0, s.Exponents.Count).Select(s.ConfidenceHalfWidth)]);
            w.WriteNumber("maximal", s.Maximal);
            w.WriteNumber("sum", s.Sum);
            w.WriteNumber("sumStandardError", s.SumStandardError);
            w.WriteNumber("kaplanYorke", s.KaplanYorkeDimension);
            w.WriteNumber("kaplanYorkeStandardError", s.KaplanYorkeStandardError);
            if (model.Chaos is { } c)
            {
                w.WriteStartObject("published");
                w.WriteString("source", "dysts (Gilpin 2021)");
                w.WriteNumber("maximal", c.PublishedMaximalLyapunov);
                Array(w, "spectrum", c.PublishedSpectrum);
                w.WriteNumber("kaplanYorke", c.PublishedKaplanYorke);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        stdout.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void Array(Utf8JsonWriter w, string name, IReadOnlyList<double> values)
    {
        w.WriteStartArray(name);
        foreach (double v in values) w.WriteNumberValue(v);
        w.WriteEndArray();
    }
}
