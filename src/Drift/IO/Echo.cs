namespace Drift.IO;

/// <summary>
/// Keeps what the user typed short when a message repeats it: a name, value or word longer than a limit is cut to its
/// first characters and "…", so a 10 MB argument or model name cannot flood the terminal. One implementation for the
/// tool's messages and the model parser's.
/// </summary>
public static class Echo
{
    /// <summary>Default length kept of an echoed name or value.</summary>
    public const int Keep = 60;

    /// <summary>Any word of a message longer than this is cut by <see cref="Message"/> (long enough for ordinary file paths).</summary>
    public const int LongestWord = 160;

    /// <summary><paramref name="text"/> itself when at most <paramref name="keep"/> characters, else its first <paramref name="keep"/> characters and "…".</summary>
    public static string Cut(string text, int keep = Keep)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= keep ? text : string.Concat(text.AsSpan(0, keep), "…");
    }

    /// <summary>
    /// <paramref name="message"/> with every run of non-space characters longer than <paramref name="longestWord"/>
    /// cut to <see cref="Keep"/> characters and "…" (a closing quote or punctuation after it kept), whatever produced the message.
    /// </summary>
    public static string Message(string message, int longestWord = LongestWord)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentOutOfRangeException.ThrowIfLessThan(longestWord, Keep);
        if (message.Length <= longestWord) return message;
        var b = new System.Text.StringBuilder(Math.Min(message.Length, 4096));
        int i = 0;
        while (i < message.Length)
        {
            if (char.IsWhiteSpace(message[i]))
            {
                b.Append(message[i++]);
                continue;
            }
            int start = i;
            while (i < message.Length && !char.IsWhiteSpace(message[i])) i++;
            int length = i - start;
            if (length <= longestWord) b.Append(message, start, length);
            else
            {
                int tail = 0;
                while (tail < 3 && message[i - 1 - tail] is '\'' or '"' or '.' or ',' or ')' or ':' or ';' or '?') tail++;
                b.Append(message, start, Keep).Append('…').Append(message, i - tail, tail);
            }
        }
        return b.ToString();
    }
}
