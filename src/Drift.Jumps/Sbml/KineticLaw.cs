using Drift.Jumps.Networks;
using Drift.Models.Text;

namespace Drift.Jumps.Sbml;

/// <summary>
/// Reading a bound, constant-folded kinetic law v(x) (a rate in molecules per unit time, the counts x as
/// <see cref="StateNode"/>s): recognising mass action and splitting a reversible law into its two directions.
/// </summary>
internal static class KineticLaw
{
    /// <summary>
    /// When v(x) = k·Πᵢ xᵢ^rᵢ with exactly the reactant species and coefficients rᵢ (a monomial built with
    /// × ÷ by constants and integer powers), the stochastic rate constant c = k·Πᵢ rᵢ!, so that the mass-action
    /// propensity c·Πᵢ x⁽ʳⁱ⁾/rᵢ! = k·Πᵢ x(x−1)…(x−rᵢ+1) tends to v(x) for large counts; otherwise null.
    /// </summary>
    public static double? MassActionConstant(Node law, IReadOnlyList<SpeciesCount> reactants)
    {
        var exponents = new Dictionary<int, int>();
        if (Monomial(law, exponents, 1) is not { } k) return null;
        if (exponents.Count != reactants.Count) return null;
        double c = k;
        foreach (var r in reactants)
        {
            if (exponents.GetValueOrDefault(r.Species) != r.Count) return null;
            for (int q = 2; q <= r.Count; q++) c *= q;
        }
        return c;
    }

    /// <summary>The coefficient of a monomial, adding each species' exponent (times <paramref name="power"/>); null if not a monomial.</summary>
    private static double? Monomial(Node n, Dictionary<int, int> exponents, int power)
    {
        switch (n)
        {
            case NumberNode k:
                return Algebra.PowerOf(k.Value, power);
            case StateNode s:
                exponents[s.Index] = exponents.GetValueOrDefault(s.Index) + power;
                return 1;
            case BinaryNode { Op: '*' } b:
                return Monomial(b.Left, exponents, power) is { } l && Monomial(b.Right, exponents, power) is { } r ? l * r : null;
            case BinaryNode { Op: '/', Right: NumberNode d } b:
                return Monomial(b.Left, exponents, power) is { } q ? q / Algebra.PowerOf(d.Value, power) : null;
            case BinaryNode { Op: '^', Right: NumberNode e } b when e.Value >= 1 && e.Value <= 16 && e.Value == Math.Floor(e.Value) && power * e.Value <= 1000:
                return Monomial(b.Left, exponents, power * (int)e.Value);
            default:
                return null;
        }
    }

    /// <summary>
    /// A reversible law written forward − backward, possibly multiplied or divided by further factors
    /// (c·(f − b) = c·f − c·b, (f − b)/c = f/c − b/c): the two directions, or null when the law has no such form.
    /// </summary>
    public static (Node Forward, Node Backward)? Split(Node law) => law switch
    {
        BinaryNode { Op: '-' } b => (b.Left, b.Right),
        BinaryNode { Op: '*' } b when Split(b.Left) is (var f, var r) => (Times(f, b.Right, b), Times(r, b.Right, b)),
        BinaryNode { Op: '*' } b when Split(b.Right) is (var f, var r) => (Times(b.Left, f, b), Times(b.Left, r, b)),
        BinaryNode { Op: '/' } b when Split(b.Left) is (var f, var r) => (new BinaryNode('/', f, b.Right, b.Line, b.Column), new BinaryNode('/', r, b.Right, b.Line, b.Column)),
        _ => null,
    };

    private static BinaryNode Times(Node a, Node b, Node at) => new('*', a, b, at.Line, at.Column);
}
