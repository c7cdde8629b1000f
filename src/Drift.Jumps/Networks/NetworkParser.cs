using System.Globalization;
using Drift.Models.Text;

namespace Drift.Jumps.Networks;

/// <summary>
/// Line parser of the reaction-network format (docs/jumps.md). Statements are <c>species NAME = COUNT</c>,
/// <c>param NAME = EXPR</c> and reactions <c>LHS -&gt; RHS, RATE</c> or <c>LHS &lt;-&gt; RHS, RATE, RATE</c>; expressions use
/// the model language's parser (<see cref="Parser.ParseExpression"/>), so they read exactly as in .drift files.
/// </summary>
internal static class NetworkParser
{
    public const long MaxCount = 1L << 53;
    private const int MaxLineLength = 100_000;
    private static readonly HashSet<string> Reserved = ["species", "param", "propensity", "t", "pi"];

    private sealed class State
    {
        public readonly List<string> Species = [];
        public readonly List<long> Initial = [];
        public readonly List<string> ParameterNames = [];
        public readonly List<double> Parameters = [];
        public readonly List<Reaction> Reactions = [];
        public readonly List<Node> Propensities = [];
    }

    public static ReactionNetwork Parse(string text)
    {
        var state = new State();
        string[] lines = text.Split('\n');
        for (int l = 0; l < lines.Length; l++)
        {
            string line = lines[l];
            int lineNumber = l + 1;
            int hash = line.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0) line = line[..hash];
            line = line.TrimEnd('\r', ' ', '\t');
            if (line.Length > MaxLineLength) throw new ModelParseException($"line longer than {MaxLineLength} characters", lineNumber, 1);
            int start = Skip(line, 0);
            if (start == line.Length) continue;
            if (Keyword(line, start, "species", out int after)) Species(state, line, after, lineNumber);
            else if (Keyword(line, start, "param", out after)) Parameter(state, line, after, lineNumber);
            else if (line.Contains("->", StringComparison.Ordinal)) Reactions(state, line, start, lineNumber);
            else throw new ModelParseException("expected 'species NAME = COUNT', 'param NAME = VALUE' or a reaction 'A + B -> C, RATE'", lineNumber, start + 1);
        }
        int end = lines.Length;
        if (state.Species.Count == 0) throw new ModelParseException("the network declares no species ('species NAME = COUNT')", end, 1);
        if (state.Reactions.Count == 0) throw new ModelParseException("the network has no reactions ('A + B -> C, RATE')", end, 1);
        return new ReactionNetwork([.. state.Species], [.. state.Initial], [.. state.ParameterNames], [.. state.Parameters], [.. state.Reactions], [.. state.Propensities]);
    }

    private static int Skip(string s, int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t' or '\r' or '\f' or '\v' or '\u00A0' or '\uFEFF') i++;
        return i;
    }

    private static bool Keyword(string line, int start, string keyword, out int after)
    {
        after = start + keyword.Length;
        return string.CompareOrdinal(line, start, keyword, 0, keyword.Length) == 0 && after < line.Length && line[after] is ' ' or '\t';
    }

    /// <summary>species A = 10 [, B = 0 ...]</summary>
    private static void Species(State state, string line, int from, int lineNumber)
    {
        foreach (var (item, column) in SplitTopLevel(line, from))
        {
            var (name, nameColumn, value, valueColumn) = Assignment(item, column, lineNumber, "species");
            if (state.Species.Count > 0 && state.Reactions.Count > 0)
                throw new ModelParseException($"declare species '{name}' before the reactions", lineNumber, nameColumn);
            CheckNewName(state, name, lineNumber, nameColumn);
            var node = Bind(state, Parser.ParseExpression(value, lineNumber, valueColumn), allowSpecies: false);
            double count = Algebra.Evaluate(node, []);
            if (!(count >= 0) || count > MaxCount || count != Math.Floor(count))
                throw new ModelParseException($"the initial count of species '{name}' must be a whole number in 0..2^53, got {count.ToString("R", CultureInfo.InvariantCulture)}", lineNumber, valueColumn);
            state.Species.Add(name);
            state.Initial.Add((long)count);
        }
    }

    /// <summary>param k = EXPR (numbers and earlier parameters).</summary>
    private static void Parameter(State state, string line, int from, int lineNumber)
    {
        var (name, nameColumn, value, valueColumn) = Assignment(line[from..], from + 1, lineNumber, "param");
        CheckNewName(state, name, lineNumber, nameColumn);
        var node = Bind(state, Parser.ParseExpression(value, lineNumber, valueColumn), allowSpecies: false);
        double v = Algebra.Evaluate(node, []);
        if (!double.IsFinite(v)) throw new ModelParseException($"parameter '{name}' is not finite ({v.ToString(CultureInfo.InvariantCulture)})", lineNumber, valueColumn);
        state.ParameterNames.Add(name);
        state.Parameters.Add(v);
    }

    /// <summary>NAME = VALUE inside <paramref name="item"/>, which starts at 1-based column <paramref name="column"/>.</summary>
    private static (string Name, int NameColumn, string Value, int ValueColumn) Assignment(string item, int column, int lineNumber, string keyword)
    {
        int i = Skip(item, 0);
        int nameStart = i;
        while (i < item.Length && IsNameChar(item[i], i == nameStart)) i++;
        if (i == nameStart) throw new ModelParseException($"expected a name after '{keyword}'", lineNumber, column + nameStart);
        string name = item[nameStart..i];
        i = Skip(item, i);
        if (i >= item.Length || item[i] != '=') throw new ModelParseException($"expected '=' after '{keyword} {name}'", lineNumber, column + i);
        return (name, column + nameStart, item[(i + 1)..], column + i + 1);
    }

    private static bool IsNameChar(char c, bool first) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_' || (!first && c is >= '0' and <= '9');

    private static void CheckNewName(State state, string name, int line, int column)
    {
        if (Reserved.Contains(name)) throw new ModelParseException($"'{name}' is a reserved word", line, column);
        if (state.Species.Contains(name)) throw new ModelParseException($"'{name}' is already a species", line, column);
        if (state.ParameterNames.Contains(name)) throw new ModelParseException($"'{name}' is already a parameter", line, column);
    }

    /// <summary>Splits at commas outside parentheses; yields each piece with its 1-based starting column.</summary>
    private static List<(string Text, int Column)> SplitTopLevel(string line, int from)
    {
        var parts = new List<(string, int)>();
        int depth = 0, start = from;
        for (int i = from; i < line.Length; i++)
        {
            char c = line[i];
            if (c == '(') depth++;
            else if (c == ')') depth = Math.Max(0, depth - 1);
            else if (c == ',' && depth == 0)
            {
                parts.Add((line[start..i], start + 1));
                start = i + 1;
            }
        }
        parts.Add((line[start..], start + 1));
        return parts;
    }

    private static void Reactions(State state, string line, int start, int lineNumber)
    {
        int arrow = line.IndexOf("->", StringComparison.Ordinal);
        bool reversible = arrow > 0 && line[arrow - 1] == '<';
        int arrowStart = reversible ? arrow - 1 : arrow;
        if (line.IndexOf("->", arrow + 2, StringComparison.Ordinal) >= 0)
            throw new ModelParseException("a reaction has one arrow", lineNumber, line.IndexOf("->", arrow + 2, StringComparison.Ordinal) + 1);
        var left = Complex(state, line[start..arrowStart], start + 1, lineNumber);
        var parts = SplitTopLevel(line, arrow + 2);
        var right = Complex(state, parts[0].Text, parts[0].Column, lineNumber);
        int rates = reversible ? 2 : 1;
        if (parts.Count - 1 != rates)
        {
            int column = parts.Count > rates + 1 ? parts[rates + 1].Column - 1 : line.Length + 1;
            throw new ModelParseException(reversible
                ? $"a reversible reaction '<->' takes two rates (forward, backward) after a comma, got {parts.Count - 1}"
                : $"a reaction takes one rate after a comma ('A -> B, k'), got {parts.Count - 1}", lineNumber, column);
        }
        if (left.Length == 0 && right.Length == 0) throw new ModelParseException("a reaction needs a species on at least one side", lineNumber, start + 1);
        AddReaction(state, left, right, parts[1], lineNumber);
        if (reversible) AddReaction(state, right, left, parts[2], lineNumber);
    }

    /// <summary>"0" or "2A + B" (coefficients written 2A, 2 A or 2*A).</summary>
    private static SpeciesCount[] Complex(State state, string text, int column, int lineNumber)
    {
        int first = Skip(text, 0);
        if (first == text.Length) throw new ModelParseException("expected species or 0 on this side of the arrow", lineNumber, column + first);
        if (text.Trim() is "0" or "\u2205") return [];
        var counts = new SortedDictionary<int, int>();
        int termStart = 0;
        for (int i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && text[i] != '+') continue;
            string term = text[termStart..i];
            int k = Skip(term, 0);
            int termColumn = column + termStart + k;
            if (k == term.Length) throw new ModelParseException("expected a species between '+' signs", lineNumber, termColumn);
            int digits = k;
            while (digits < term.Length && char.IsAsciiDigit(term[digits])) digits++;
            long coefficient = 1;
            if (digits > k && !long.TryParse(term.AsSpan(k, digits - k), NumberStyles.None, CultureInfo.InvariantCulture, out coefficient))
                coefficient = long.MaxValue;
            int n = Skip(term, digits);
            if (digits > k && n < term.Length && term[n] == '*') n = Skip(term, n + 1);
            int nameStart = n;
            while (n < term.Length && IsNameChar(term[n], n == nameStart)) n++;
            string name = term[nameStart..n];
            if (name.Length == 0) throw new ModelParseException($"expected a species name, found '{term.Trim()}'", lineNumber, column + termStart + nameStart);
            if (Skip(term, n) != term.Length) throw new ModelParseException($"unexpected '{term[Skip(term, n)..].Trim()}' after species '{name}'", lineNumber, column + termStart + Skip(term, n));
            int species = state.Species.IndexOf(name);
            if (species < 0)
            {
                string hint = state.ParameterNames.Contains(name) ? " (it is a parameter)" : "";
                throw new ModelParseException($"unknown species '{name}'{hint}; declare it with 'species {name} = COUNT'", lineNumber, column + termStart + nameStart);
            }
            if (coefficient < 1 || coefficient > 1000)
                throw new ModelParseException($"stoichiometric coefficient of '{name}' must be a whole number in 1..1000", lineNumber, termColumn);
            counts[species] = counts.GetValueOrDefault(species) + (int)coefficient;
            if (counts[species] > 1000) throw new ModelParseException($"stoichiometric coefficient of '{name}' exceeds 1000", lineNumber, termColumn);
            termStart = i + 1;
        }
        return [.. counts.Select(c => new SpeciesCount(c.Key, c.Value))];
    }

    private static void AddReaction(State state, SpeciesCount[] reactants, SpeciesCount[] products, (string Text, int Column) rate, int lineNumber)
    {
        string text = rate.Text;
        int k = Skip(text, 0);
        if (string.CompareOrdinal(text, k, "propensity", 0, 10) == 0 && (k + 10 >= text.Length || !IsNameChar(text[k + 10], false)))
        {
            int eq = Skip(text, k + 10);
            if (eq >= text.Length || text[eq] != '=') throw new ModelParseException("expected '=' after 'propensity'", lineNumber, rate.Column + eq);
            string expression = text[(eq + 1)..];
            var node = Bind(state, Parser.ParseExpression(expression, lineNumber, rate.Column + eq + 1), allowSpecies: true);
            state.Reactions.Add(new Reaction(reactants, products, double.NaN, expression.Trim(), lineNumber, PropensityBound.DependsOnTime(node)));
            state.Propensities.Add(Algebra.Lower(Algebra.Substitute(node, [])));
            return;
        }
        var constant = Bind(state, Parser.ParseExpression(text, lineNumber, rate.Column), allowSpecies: true);
        if (constant.DependsOnState)
            throw new ModelParseException("a mass-action rate constant cannot depend on species counts; write 'propensity = EXPR' for an explicit propensity", lineNumber, rate.Column + k);
        if (PropensityBound.DependsOnTime(constant))
            throw new ModelParseException("a mass-action rate constant cannot depend on time t; write 'propensity = EXPR' for a time-dependent propensity (simulated by the extrande method)", lineNumber, rate.Column + k);
        double c = Algebra.Evaluate(constant, []);
        if (!(c >= 0) || double.IsInfinity(c))
            throw new ModelParseException($"the rate constant must be finite and non-negative, got {c.ToString("R", CultureInfo.InvariantCulture)}", lineNumber, rate.Column + k);
        state.Reactions.Add(new Reaction(reactants, products, c, null, lineNumber));
        state.Propensities.Add(MassAction(c, reactants, state.Species, lineNumber, rate.Column + k));
    }

    /// <summary>c·Πᵢ x(x−1)…(x−r+1)/r! as an expression of the counts.</summary>
    internal static Node MassAction(double c, SpeciesCount[] reactants, IReadOnlyList<string> names, int line, int column)
    {
        Node result = new NumberNode(c, line, column);
        foreach (var r in reactants)
        {
            Node x = new StateNode(r.Species, names[r.Species], line, column);
            double factorial = 1;
            for (int m = 0; m < r.Count; m++)
            {
                Node factor = m == 0 ? x : new BinaryNode('-', x, new NumberNode(m, line, column), line, column);
                result = new BinaryNode('*', result, factor, line, column);
                factorial *= m + 1;
            }
            if (factorial != 1) result = new BinaryNode('/', result, new NumberNode(factorial, line, column), line, column);
        }
        return result;
    }

    /// <summary>Replaces names by parameter values (numbers) and species by state references.</summary>
    private static Node Bind(State state, Node node, bool allowSpecies) => node switch
    {
        NameNode n => BindName(state, n, allowSpecies),
        NegateNode u => new NegateNode(Bind(state, u.Operand, allowSpecies), u.Line, u.Column),
        BinaryNode b => new BinaryNode(b.Op, Bind(state, b.Left, allowSpecies), Bind(state, b.Right, allowSpecies), b.Line, b.Column),
        CallNode c => new CallNode(c.Function, [.. c.Arguments.Select(a => Bind(state, a, allowSpecies))], c.Line, c.Column),
        _ => node,
    };

    private static Node BindName(State state, NameNode n, bool allowSpecies)
    {
        int p = state.ParameterNames.IndexOf(n.Name);
        if (p >= 0) return new NumberNode(state.Parameters[p], n.Line, n.Column);
        if (n.Name == "pi") return new NumberNode(Math.PI, n.Line, n.Column);
        int s = state.Species.IndexOf(n.Name);
        if (s >= 0)
        {
            if (!allowSpecies) throw n.Error($"species '{n.Name}' cannot appear here: only numbers and earlier parameters");
            return new StateNode(s, n.Name, n.Line, n.Column);
        }
        if (n.Name == "t")
        {
            if (!allowSpecies) throw n.Error("time t cannot appear here: only numbers and earlier parameters");
            return new TimeNode(n.Line, n.Column);
        }
        throw n.Error($"unknown name '{n.Name}'; declare it with 'param {n.Name} = VALUE' (or 'species {n.Name} = COUNT') before use");
    }
}
