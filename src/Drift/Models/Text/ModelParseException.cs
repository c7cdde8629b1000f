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
        : base($"line {line}, column {column}: {reason}")
    {
        Reason = reason;
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

    /// <summary>What is wrong, without the position.</summary>
    public string Reason { get; }

    /// <summary>1-based line of the problem.</summary>
    public int Line { get; }

    /// <summary>1-based column of the problem.</summary>
    public int Column { get; }
}
