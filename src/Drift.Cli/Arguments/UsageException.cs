namespace Drift.Cli.Arguments;

/// <summary>Bad command-line input; the message is the one-line reason shown to the user.</summary>
public sealed class UsageException(string message) : Exception(message);
