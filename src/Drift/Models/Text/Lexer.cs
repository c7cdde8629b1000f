using System.Globalization;
using System.Text;

namespace Drift.Models.Text;

/// <summary>Splits model text into tokens; '#' starts a comment that runs to the end of the line.</summary>
internal static class Lexer
{
    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        int line = 1, lineStart = 0, i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            int column = i - lineStart + 1;
            if (c == '\n')
            {
                tokens.Add(new Token(TokenKind.EndOfLine, "", 0, line, column));
                line++;
                lineStart = ++i;
            }
            else if (c is ' ' or '\t' or '\r' or '\f' or '\v' or '\u00A0' or '\uFEFF') i++;
            else if (c == '#')
            {
                while (i < text.Length && text[i] != '\n') i++;
            }
            else if (IsDigit(c) || (c == '.' && i + 1 < text.Length && IsDigit(text[i + 1])))
            {
                tokens.Add(Number(text, ref i, line, column));
            }
            else if (IsLetter(c))
            {
                int start = i;
                while (i < text.Length && (IsLetter(text[i]) || IsDigit(text[i]))) i++;
                tokens.Add(new Token(TokenKind.Identifier, text[start..i], 0, line, column));
            }
            else if (c == '*' && i + 1 < text.Length && text[i + 1] == '*')
            {
                tokens.Add(new Token(TokenKind.Symbol, "^", 0, line, column));
                i += 2;
            }
            else if ("+-*/^(),=:[]~<>".Contains(c, StringComparison.Ordinal))
            {
                tokens.Add(new Token(TokenKind.Symbol, c.ToString(), 0, line, column));
                i++;
            }
            else if (c is '\u2212' or '\u2013')
            {
                tokens.Add(new Token(TokenKind.Symbol, "-", 0, line, column)); // typographic minus
                i++;
            }
            else throw new ModelParseException($"unexpected character {Show(text, i)}", line, column);
        }
        tokens.Add(new Token(TokenKind.EndOfLine, "", 0, line, text.Length - lineStart + 1));
        tokens.Add(new Token(TokenKind.End, "", 0, line, text.Length - lineStart + 1));
        return JoinContinuations(tokens);
    }

    /// <summary>A statement continues on the next line inside open parentheses or when that line starts with + - * / ^.</summary>
    private static List<Token> JoinContinuations(List<Token> tokens)
    {
        var joined = new List<Token>(tokens.Count);
        int depth = 0;
        for (int k = 0; k < tokens.Count; k++)
        {
            var token = tokens[k];
            if (token.Is("(")) depth++;
            else if (token.Is(")")) depth = Math.Max(0, depth - 1);
            if (token.Kind == TokenKind.EndOfLine)
            {
                int next = k + 1;
                while (next < tokens.Count && tokens[next].Kind == TokenKind.EndOfLine) next++;
                var following = tokens[next];
                bool continues = following.Kind != TokenKind.End
                    && (depth > 0 || (following.Kind == TokenKind.Symbol && following.Text is "+" or "-" or "*" or "/" or "^"));
                if (continues) continue;
            }
            joined.Add(token);
        }
        return joined;
    }

    private static Token Number(string text, ref int i, int line, int column)
    {
        int start = i;
        while (i < text.Length && (IsDigit(text[i]) || text[i] == '.')) i++;
        if (i < text.Length && text[i] is 'e' or 'E')
        {
            int mark = i++;
            if (i < text.Length && text[i] is '+' or '-') i++;
            if (i < text.Length && IsDigit(text[i]))
                while (i < text.Length && IsDigit(text[i])) i++;
            else i = Math.Max(i, mark + 1); // "1e" or "1e+": reported below as a bad number
        }
        bool glued = false;
        while (i < text.Length && (IsLetter(text[i]) || IsDigit(text[i]) || text[i] == '.'))
        {
            glued = true;
            i++;
        }
        string s = text[start..i];
        if (s.Length > 400) s = s[..400] + "…";
        if (glued || !double.TryParse(text.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out double value)
            || text[i - 1] is 'e' or 'E' or '+' or '-')
        {
            string hint = glued && IsDigit(text[start]) && s.Any(IsLetter) && !s.Contains('.', StringComparison.Ordinal) ? " (write 2*x for a product)" : "";
            throw new ModelParseException($"bad number '{s}'{hint}", line, column);
        }
        if (!double.IsFinite(value)) throw new ModelParseException($"number '{s}' is out of the range of double precision", line, column);
        return new Token(TokenKind.Number, s, value, line, column);
    }

    private static bool IsDigit(char c) => c is >= '0' and <= '9';
    private static bool IsLetter(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_';

    private static string Show(string text, int i)
    {
        char c = text[i];
        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            return $"'{text.Substring(i, 2)}' (U+{char.ConvertToUtf32(c, text[i + 1]):X4})";
        if (char.IsControl(c) || char.IsSurrogate(c) || char.IsWhiteSpace(c)) return $"U+{(int)c:X4}";
        var b = new StringBuilder().Append('\'').Append(c).Append('\'');
        if (c > 127) b.Append(CultureInfo.InvariantCulture, $" (U+{(int)c:X4}); names are ASCII letters, digits and '_'");
        return b.ToString();
    }
}
