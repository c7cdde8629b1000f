namespace Drift.Models.Text;

internal enum TokenKind { Number, Identifier, Symbol, EndOfLine, End }

/// <summary>One token with its 1-based position. Symbols are + - * / ^ ( ) , = and, for the density form, : [ ] ~ &lt; &gt; (Text holds the character; ** reads as ^).</summary>
internal readonly record struct Token(TokenKind Kind, string Text, double Value, int Line, int Column)
{
    public bool Is(string symbol) => Kind == TokenKind.Symbol && Text == symbol;

    public string Describe() => Kind switch
    {
        TokenKind.EndOfLine => "the end of the line",
        TokenKind.End => "the end of the text",
        _ => $"'{Text}'",
    };
}
