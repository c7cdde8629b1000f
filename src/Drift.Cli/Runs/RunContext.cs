using Drift.Cli.Arguments;

namespace Drift.Cli.Runs;

/// <summary>
/// What the tool knows about the command it is running, shared by every command without passing it through their
/// signatures: the interrupt token, where informational messages go (nowhere under <c>--quiet</c>), the option readers
/// the command built (for provenance and <c>--verbose</c>) and the files it wrote. <see cref="CliApp"/> sets one per run;
/// it flows with the execution context (<see cref="AsyncLocal{T}"/>), so concurrent in-process runs (tests) do not mix.
/// </summary>
internal sealed class RunContext
{
    private static readonly AsyncLocal<RunContext?> Ambient = new();
    private readonly List<ArgumentReader> _readers = [];
    private readonly List<string> _outputs = [];

    /// <summary>A context for one run.</summary>
    public RunContext(TextWriter messages, bool verbose, CancellationToken cancellationToken)
    {
        CancellationToken = cancellationToken;
        Messages = messages;
        Verbose = verbose;
    }

    /// <summary>The context of the run on this execution context, or null outside <see cref="CliApp.Run(string[], TextWriter, TextWriter, CancellationToken)"/>.</summary>
    public static RunContext? Current => Ambient.Value;

    /// <summary>The current run's interrupt token (none outside a run): commands pass it to the library's options.</summary>
    public static CancellationToken Token => Current?.CancellationToken ?? CancellationToken.None;

    /// <summary>Fires on SIGINT/SIGTERM: the command stops at its next block and writes nothing.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Where "wrote FILE" and other informational lines go: the command's stderr, or a null writer under <c>--quiet</c>.</summary>
    public TextWriter Messages { get; }

    /// <summary>Whether <c>--verbose</c> was given.</summary>
    public bool Verbose { get; }

    /// <summary>The option readers the command built, in order.</summary>
    public IReadOnlyList<ArgumentReader> Readers => _readers;

    /// <summary>Full paths of the output files written, in order, each once.</summary>
    public IReadOnlyList<string> Outputs => _outputs;

    /// <summary>Makes <paramref name="context"/> current until the returned scope is disposed.</summary>
    public static IDisposable Enter(RunContext? context)
    {
        var previous = Ambient.Value;
        Ambient.Value = context;
        return new Scope(previous);
    }

    /// <summary>Records an option reader of the command (called by its constructor).</summary>
    public void Attach(ArgumentReader reader) => _readers.Add(reader);

    /// <summary>Records an output file the command wrote.</summary>
    public void AddOutput(string path)
    {
        string full = Path.GetFullPath(path);
        if (!_outputs.Contains(full)) _outputs.Add(full);
    }

    private sealed class Scope(RunContext? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
