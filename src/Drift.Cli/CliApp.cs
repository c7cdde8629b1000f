using Drift.IO;
using Drift.Cli.Arguments;
using Drift.Cli.Completion;
using Drift.Cli.Lyapunov;
using Drift.Cli.Mcmc;
using Drift.Cli.Price;
using Drift.Cli.Runs;
using Drift.Cli.Simulate;
using Drift.Cli.Ssa;
using Drift.Cli.Transport;

namespace Drift.Cli;

/// <summary>The <c>drift</c> command: parses the verb, dispatches, and turns errors into one-line reasons and exit codes.</summary>
public static class CliApp
{
    /// <summary>Exit code for success.</summary>
    public const int Ok = 0;
    /// <summary>Exit code when the run finished but some paths diverged.</summary>
    public const int Diverged = 3;
    /// <summary>Exit code for bad arguments or input.</summary>
    public const int BadInput = 2;
    /// <summary>Exit code for failures while running.</summary>
    public const int Failed = 1;
    /// <summary>Exit code of a run stopped by SIGINT or SIGTERM (128 + SIGINT, as shells report Ctrl-C).</summary>
    public const int Interrupted = 130;

    /// <summary>Width of the command column of the top-level help (a longer synopsis puts its summary on the next line).</summary>
    private const int CommandColumn = 36;

    /// <summary>The text after the command list of the top-level help: the conventions every command shares.</summary>
    private const string Conventions = """
        options: --name VALUE or --name=VALUE; '--' ends the options; @FILE reads more arguments from FILE
        (a response file: whitespace-separated words, lines starting with # are comments).
        every command also takes:
        """;

    /// <summary>
    /// The option models of the commands, for shell completion, docs/cli.md and the tests that hold the models to the parsers.
    /// </summary>
    internal static IReadOnlyList<CommandSpec> Commands { get; } =
    [
        Simulate.SimulateCommand.Spec, SsaCommand.Spec, SsaFitCommand.Spec, Deterministic.SolveCommand.Spec, LyapunovCommand.Spec,
        PriceCommand.Spec, OtCommand.Spec, Group("diffuse"), Diffuse.DiffuseCommand.Spec, Diffuse.TrainCommand.Spec, Diffuse.LikelihoodCommand.Spec,
        McmcCommand.Spec,
        Merge.MergeCommand.Spec,
        new(["run"], "usage: drift run SPEC.toml|SPEC.json [global options]", []) { Summary = "run any command described in a file (docs/cli.md)" },
        new(["models"], "usage: drift models [NAME|FILE.drift]", [])
        {
            Summary = "list the built-in models, or describe one",
            Positional = () => BuiltInModels.All.Select(m => m.Name),
        },
        new(["completion"], "usage: drift completion bash|zsh|pwsh", [])
        {
            Summary = "print a shell completion script (bash: source <(drift completion bash))",
            Positional = () => ShellCompletion.Shells,
        },
    ];

    /// <summary>A command word that only groups subcommands (<c>diffuse</c>): completion offers them after it.</summary>
    private static CommandSpec Group(string word) => new([word], "", []);

    /// <summary>
    /// The top-level help, generated from the command tree: one row per command (<see cref="CommandSpec.Synopsis"/> and
    /// <see cref="CommandSpec.Summary"/>, in the order of <see cref="Commands"/>), the shared conventions, then the options
    /// every command takes (from their declarations).
    /// </summary>
    internal static string TopHelp()
    {
        var text = new System.Text.StringBuilder("drift — stochastic dynamics from the shell\n\nusage:\n");
        foreach (var command in Commands)
        {
            if (command.Summary is not { } summary) continue;
            string head = "drift " + command.Synopsis;
            text.Append("  ").Append(head.Length < CommandColumn ? head.PadRight(CommandColumn) : head + "\n" + new string(' ', 2 + CommandColumn))
                .Append(summary).Append('\n');
        }
        text.Append("  drift --help | --version\n\n").Append(Conventions).Append('\n');
        return text + new CommandSpec(["drift"], "", GlobalOptions.Options).Help().TrimStart('\n') + "\nrun 'drift COMMAND --help' for a command's options.\n";
    }

    /// <summary>
    /// Whether the command in <paramref name="args"/> stops cleanly when its cancellation token fires: every command does
    /// (one mechanism, <see cref="RunContext"/>): those with a long loop stop at its next block, and every output file
    /// is refused once the token has fired (<see cref="Output.OutputFile"/>), so nothing partial is written.
    /// </summary>
    public static bool HonoursCancellation(string[] args) => args is not null;

    /// <summary>Runs the tool with the given arguments; machine-readable results go to <paramref name="stdout"/>, everything else to <paramref name="stderr"/>.</summary>
    /// <returns>The process exit code.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr) => Run(args, stdout, stderr, CancellationToken.None);

    /// <summary>
    /// Runs the tool; when <paramref name="cancellationToken"/> fires (the process got SIGINT or SIGTERM) the command stops at
    /// its next block, writes no output file (temporary files are deleted), prints "interrupted" and returns
    /// <see cref="Interrupted"/>. The options every command takes (<c>--quiet</c>, <c>--verbose</c>,
    /// <c>--provenance FILE.json</c>) and <c>drift run SPEC</c> are handled here, once, for all commands.
    /// </summary>
    /// <returns>The process exit code.</returns>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var invocation = new Invocation(args);
        GlobalOptions global;
        try
        {
            global = GlobalOptions.Extract(ResponseFiles.Expand(args));
            if (global.Arguments is ["run", ..])
            {
                invocation.Spec = RunFile.Load(global.Arguments);
                global = GlobalOptions.Extract(invocation.Spec.Arguments, global);
            }
            if (global.Provenance is { } record) OutputPaths.Check(record);
        }
        catch (Exception e) when (e is UsageException or InvalidDataException or IOException or ArgumentException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"drift: {FirstLine(e.Message)}");
            return e is IOException or UnauthorizedAccessException && e is not FileNotFoundException and not DirectoryNotFoundException ? Failed : BadInput;
        }
        invocation.Arguments = global.Arguments;

        // Under --quiet the command's own lines are kept back; only errors, and the reason of a failing exit, reach stderr.
        var commandErr = global.Quiet ? new StringWriter() : stderr;
        var context = new RunContext(commandErr, global.Verbose, cancellationToken);
        int code;
        using (RunContext.Enter(context))
        {
            code = Dispatch(global.Arguments, stdout, commandErr, stderr, invocation.Spec, cancellationToken);
            if (code != Interrupted && cancellationToken.IsCancellationRequested)
            {
                // A command that finished its work after the signal still reports the interrupt (the user asked it to stop).
                stderr.WriteLine("drift: interrupted");
                code = Interrupted;
            }
        }
        if (global.Quiet && code is not (Ok or Interrupted or BadInput) && LastLine(commandErr.ToString() ?? "") is { } reason) stderr.WriteLine(reason);
        invocation.Finish(code, context);
        if (global.Verbose) invocation.WriteVerbose(stderr);
        if (global.Provenance is { } file && code != Interrupted)
        {
            try { invocation.WriteProvenance(file); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"drift: could not write the provenance record: {FirstLine(e.Message)}");
                return code == Ok ? Failed : code;
            }
            if (!global.Quiet) stderr.WriteLine($"drift: wrote {file} (provenance)");
        }
        return code;
    }

    private static int Dispatch(string[] args, TextWriter stdout, TextWriter stderr, TextWriter errors, RunFile? spec, CancellationToken cancellationToken)
    {
        try
        {
            if (args.Length == 0 || args[0] is "--help" or "-h" or "help")
            {
                stdout.Write(TopHelp());
                return args.Length == 0 ? BadInput : Ok;
            }
            if (args[0] == "--version")
            {
                stdout.WriteLine(typeof(CliApp).Assembly.GetName().Version?.ToString(3) ?? "0.1.0");
                return Ok;
            }
            return args[0] switch
            {
                "simulate" => SimulateCommand.Run(args[1..], stdout, stderr, cancellationToken),
                "ssa" => SsaCommand.Run(args[1..], stdout, stderr),
                "solve" => Deterministic.SolveCommand.Run(args[1..], stdout, stderr),
                "ot" => OtCommand.Run(args[1..], stdout, stderr, cancellationToken),
                "diffuse" => Diffuse.DiffuseCommand.Run(args[1..], stdout, stderr),
                "price" => PriceCommand.Run(args[1..], stdout, stderr),
                "lyapunov" => LyapunovCommand.Run(args[1..], stdout, stderr),
                "mcmc" => McmcCommand.Run(args[1..], stdout, stderr),
                "merge" => Merge.MergeCommand.Run(args[1..], stdout, stderr),
                "run" => throw new UsageException("a run file cannot run another run file."),
                "completion" when args.Length == 2 => Print(stdout, ShellCompletion.Script(args[1])),
                "completion" => throw new UsageException("usage: drift completion bash|zsh|pwsh (prints a script for the shell to source)."),
                "__complete" => Print(stdout, string.Join('\n', ShellCompletion.Candidates(Commands, GlobalOptions.Options, args[1..]))),
                "models" when args.Length == 1 => BuiltInModels.List(stdout),
                "models" when args.Length == 2 => BuiltInModels.Describe(args[1], stdout),
                "models" => throw new UsageException("models takes at most one model name."),
                _ => throw new UsageException($"unknown command '{args[0]}'; try 'drift --help'."),
            };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            errors.WriteLine("drift: interrupted");
            return Interrupted;
        }
        catch (UsageException e)
        {
            errors.WriteLine($"drift: {Locate(FirstLine(e.Message), spec)}");
            return BadInput;
        }
        catch (InvalidDataException e)
        {
            // A reader's refusal of an input file (CSV, .npy, JSON, checkpoints): its message names the file and the fault.
            errors.WriteLine($"drift: {Locate(FirstLine(e.Message), spec)}");
            return BadInput;
        }
        catch (ArgumentException e)
        {
            errors.WriteLine($"drift: {Locate(FirstLine(e.Message), spec)}");
            return BadInput;
        }
        catch (IOException e)
        {
            errors.WriteLine($"drift: {FirstLine(e.Message)}");
            return Failed;
        }
        catch (UnauthorizedAccessException e)
        {
            errors.WriteLine($"drift: {FirstLine(e.Message)}");
            return Failed;
        }
    }

    private static int Print(TextWriter stdout, string text)
    {
        if (text.Length > 0) stdout.WriteLine(text);
        return Ok;
    }

    /// <summary>A message about an option set by a run file, with the file, key and line appended.</summary>
    private static string Locate(string message, RunFile? spec) => spec?.Locate(message) ?? message;

    private static string? LastLine(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length == 0 ? null : lines[^1];
    }

    /// <summary>
    /// The first line of a message, without the " (Parameter 'x')" that ArgumentException appends (it names a C#
    /// parameter, not a flag the user typed), with over-long words cut (<see cref="Echo.Message"/>).
    /// </summary>
    private static string FirstLine(string message)
    {
        int i = message.IndexOf('\n', StringComparison.Ordinal);
        string line = (i < 0 ? message : message[..i]).TrimEnd();
        int p = line.LastIndexOf(" (Parameter '", StringComparison.Ordinal);
        if (p >= 0 && line.EndsWith("')", StringComparison.Ordinal)) line = line[..p];
        return Echo.Message(line);
    }
}
