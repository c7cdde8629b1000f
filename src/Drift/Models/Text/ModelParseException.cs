using Drift.IO;

namespace Drift.Models.Text;

/// <summary>
/// Malformed model text: the one error a <see cref="TextModel"/> parse reports, with the 1-based line and
/// column (in UTF-16 characters, a tab counting as one) where the problem was found.
/// </summary>
public sealed class ModelParseException : ArgumentException
{
    /// <summary>Creates the error.</summary>
    /// <param name="reason">What is wrong, one line, without the position.</param>
    /// <param name="line">1-based line.</param>
    /// <param name="column">1-based column.</param>
    public ModelParseException(string reason, int line, int column)
        : base($"line {line}, column {column}: {Shorten(reason)}")
    {
        Reason = Shorten(reason);
        Line = line;
        Column = column;
    }

    /// <summary>Creates the error with an empty reason at line 1, column 1 (for serialisers and tools).</summary>
    public ModelParseException() : this("malformed model text", 1, 1) { }

    /// <summary>Creates the error at line 1, column 1.</summary>
    /// <param name="message">What is wrong.</param>
    public ModelParseException(string message) : this(message, 1, 1) { }

    /// <summary>Creates the error at line 1, column 1 with an inner exception.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ModelParseException(string message, Exception innerException) : base(message, innerException)
    {
        Reason = message;
        Line = 1;
        Column = 1;
    }

    /// <summary>Length kept of a name or word echoed in a message.</summary>
    internal const int EchoLength = 60;

    /// <summary><paramref name="text"/>, or its first <see cref="EchoLength"/> characters and "…" when longer.</summary>
    internal static string Cut(string text) => Echo.Cut(text, EchoLength);

    /// <summary>At most the first 12 names, comma-separated, with "… (N in all)" when there are more.</summary>
    internal static string List(IReadOnlyCollection<string> names) =>
        names.Count <= 12 ? string.Join(", ", names.Select(Cut)) : $"{string.Join(", ", names.Take(12).Select(Cut))}, … ({names.Count} in all)";

    /// <summary>The reason with every word (run of non-space characters) longer than 2·<see cref="EchoLength"/> cut (<see cref="Echo.Message"/>), so that a huge name in the text cannot flood the message.</summary>
    private static string Shorten(string? reason) => reason is null ? "" : Echo.Message(reason, 2 * EchoLength);

    /// <summary>What is wrong, without the position.</summary>
    public string Reason { get; }

    /// <summary>1-based line of the problem.</summary>
    public int Line { get; }

    /// <summary>1-based column of the problem.</summary>
    public int Column { get; }
}
