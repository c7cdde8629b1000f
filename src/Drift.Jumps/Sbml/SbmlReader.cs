using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using Drift.Jumps.Networks;
using Drift.Models.Text;
using static Drift.Jumps.Sbml.MathMl;

namespace Drift.Jumps.Sbml;

/// <summary>
/// Reads an SBML model (Level 2, Level 3 core; System.Xml, no native library) into a <see cref="ReactionNetwork"/>.
/// <para>
/// Semantics (docs/jumps.md, "SBML import"): an amount is a number of molecules (no Avogadro scaling), so a species
/// starts with initialAmount, or initialConcentration × its compartment's size, molecules (a whole number is
/// required). In a kinetic law a species' symbol is its count when hasOnlySubstanceUnits is true, else its
/// concentration count/size; the law v(x) is the reaction's rate in molecules per unit time. A law of the form
/// k·Πᵢ xᵢ^rᵢ over exactly the reactants and their coefficients rᵢ is mass action and becomes the falling-factorial
/// propensity k·Πᵢ xᵢ(xᵢ−1)…(xᵢ−rᵢ+1) (stochastic constant c = k·Πᵢ rᵢ!, which tends to v for large counts; Gillespie
/// 1977, Wilkinson, Stochastic Modelling for Systems Biology, ch. 6); any other law is used as the propensity as
/// written. A reversible reaction whose law reads forward − backward (times or divided by factors) becomes two
/// reactions; otherwise it is one reaction in the written direction whose law must stay non-negative. Boundary and
/// constant species are constants of the laws, not part of the state. Initial assignments are evaluated once.
/// A law that reads the csymbol time is a time-dependent propensity a(x, t) (<see cref="Reaction.DependsOnTime"/>),
/// simulated exactly by <see cref="Simulation.JumpMethod.Extrande"/>.
/// </para>
/// <para>
/// Refused with a <see cref="ModelParseException"/> naming the element and its line: rules (assignment, rate,
/// algebraic), events, delays, fast reactions, stoichiometryMath, non-integer stoichiometry, conversion factors,
/// MathML beyond <see cref="MathMl"/>'s subset, time in initial assignments, missing or unknown ids.
/// </para>
/// </summary>
public static class SbmlReader
{
    private sealed class Species(string id, XElement element, string compartment, double value, bool isConcentration, bool substanceUnits, bool isConstant)
    {
        public string Id { get; } = id;
        public XElement Element { get; } = element;
        public string Compartment { get; } = compartment;
        public double Value { get; set; } = value;
        public bool IsConcentration { get; set; } = isConcentration;
        public bool SubstanceUnits { get; } = substanceUnits;
        public bool IsConstant { get; } = isConstant;
        public int StateIndex { get; set; } = -1;

        /// <summary>
        /// The empty set ∅ of source and sink reactions, written as a species in many Level 2 models (CellDesigner,
        /// BioModels): id or name "EmptySet", or sboTerm SBO:0000291 ("empty set"). It is not part of the state and
        /// is dropped from reactions; a kinetic law may not read it.
        /// </summary>
        public bool IsEmptySet { get; init; }
    }

    private sealed class Model
    {
        public required XNamespace Ns;
        public required int Level;
        public readonly MathMl Math = new();
        public readonly Dictionary<string, (double? Size, XElement Element)> Compartments = new(StringComparer.Ordinal);
        public readonly Dictionary<string, (double? Value, XElement Element)> Parameters = new(StringComparer.Ordinal);
        public readonly Dictionary<string, Species> Species = new(StringComparer.Ordinal);
        public readonly HashSet<string> Reactions = new(StringComparer.Ordinal);
    }

    /// <summary>Parses an SBML document.</summary>
    /// <param name="xml">The document text.</param>
    /// <exception cref="ModelParseException">Malformed XML, an unsupported construct or a bad value; the message starts with "line L, column C:".</exception>
    public static ReactionNetwork Parse(string xml)
    {
        ArgumentNullException.ThrowIfNull(xml);
        var root = Load(xml);
        if (root.Name.LocalName != "sbml") throw Error(root, $"expected an <sbml> document, found <{root.Name.LocalName}>");
        int level = Integer(root, "level");
        if (level is not (2 or 3)) throw Error(root, $"SBML Level {level} is not supported (Level 2 and Level 3 core are)");
        var models = root.Elements(root.Name.Namespace + "model").ToList();
        if (models.Count != 1) throw Error(root, $"an SBML document holds one <model>, found {models.Count}");
        var element = models[0];
        var m = new Model { Ns = root.Name.Namespace, Level = level };
        if (element.Attribute("conversionFactor") is not null) throw Error(element, "<model conversionFactor>: conversion factors are not supported");
        Refuse(m, element, "listOfRules", "rules (assignment, rate and algebraic) are not supported; a reaction network's counts change only by reactions");
        Refuse(m, element, "listOfEvents", "events are not supported");
        foreach (var f in List(m, element, "listOfFunctionDefinitions", "functionDefinition")) Add(m, f, () => m.Math.Define(Id(f), f));
        foreach (var c in List(m, element, "listOfCompartments", "compartment"))
            Add(m, c, () => m.Compartments[Id(c)] = (OptionalReal(c, "size") ?? (level == 2 ? OptionalReal(c, "volume") : null), c));
        foreach (var p in List(m, element, "listOfParameters", "parameter"))
            Add(m, p, () => m.Parameters[Id(p)] = (OptionalReal(p, "value"), p));
        foreach (var s in List(m, element, "listOfSpecies", "species")) Add(m, s, () => m.Species[Id(s)] = ReadSpecies(m, s));
        foreach (var r in List(m, element, "listOfReactions", "reaction")) Add(m, r, () => m.Reactions.Add(Id(r)));
        InitialAssignments(m, element);

        var names = new List<string>();
        var counts = new List<long>();
        foreach (var s in m.Species.Values.Where(s => !s.IsConstant && !s.IsEmptySet))
        {
            s.StateIndex = names.Count;
            names.Add(s.Id);
            counts.Add(Count(m, s));
        }
        var reactions = new List<Reaction>();
        var propensities = new List<Node>();
        foreach (var r in List(m, element, "listOfReactions", "reaction")) AddReaction(m, r, names, reactions, propensities);
        if (names.Count == 0) throw Error(element, "the model has no species that reactions change (boundary and constant species are constants)");
        if (reactions.Count == 0) throw Error(element, "the model has no reactions");
        var parameters = m.Parameters.Where(p => p.Value.Value is not null).ToList();
        return new ReactionNetwork([.. names], [.. counts], [.. parameters.Select(p => p.Key)], [.. parameters.Select(p => p.Value.Value!.Value)], [.. reactions], [.. propensities]);
    }

    private static XElement Load(string xml)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null };
        try
        {
            using var reader = XmlReader.Create(new StringReader(xml), settings);
            return XDocument.Load(reader, LoadOptions.SetLineInfo).Root ?? throw new ModelParseException("the document has no root element", 1, 1);
        }
        catch (XmlException e)
        {
            string reason = e.Message;
            int cut = reason.IndexOf(" Line ", StringComparison.Ordinal);
            if (cut > 0) reason = reason[..cut];
            throw new ModelParseException($"not well-formed XML: {reason}", Math.Max(1, e.LineNumber), Math.Max(1, e.LinePosition));
        }
    }

    private static IEnumerable<XElement> List(Model m, XElement parent, string list, string item) =>
        parent.Elements(m.Ns + list).Elements(m.Ns + item);

    private static void Refuse(Model m, XElement model, string list, string reason)
    {
        var first = model.Elements(m.Ns + list).Elements().FirstOrDefault();
        if (first is null) return;
        string id = first.Attribute("variable")?.Value ?? first.Attribute("id")?.Value ?? "";
        throw Error(first, $"<{first.Name.LocalName}>{(id.Length > 0 ? $" '{id}'" : "")}: {reason}");
    }

    private static string Id(XElement e)
    {
        string id = e.Attribute("id")?.Value.Trim() ?? "";
        return id.Length > 0 ? id : throw Error(e, $"<{e.Name.LocalName}> has no 'id'");
    }

    /// <summary>Registers an id once across compartments, parameters, species, reactions and functions.</summary>
    private static void Add(Model m, XElement e, Action add)
    {
        string id = Id(e);
        if (m.Compartments.ContainsKey(id) || m.Parameters.ContainsKey(id) || m.Species.ContainsKey(id) || m.Reactions.Contains(id) || m.Math.IsFunction(id))
            throw Error(e, $"<{e.Name.LocalName}> '{id}': the id is already used");
        add();
    }

    private static int Integer(XElement e, string attribute)
    {
        string? text = e.Attribute(attribute)?.Value;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v
            : throw Error(e, $"<{e.Name.LocalName}> needs an integer '{attribute}' attribute, got '{text}'");
    }

    private static double? OptionalReal(XElement e, string attribute)
    {
        var a = e.Attribute(attribute);
        if (a is null) return null;
        return double.TryParse(a.Value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) ? v
            : throw Error(e, $"<{e.Name.LocalName}> '{e.Attribute("id")?.Value}': {attribute}=\"{a.Value}\" is not a finite number");
    }

    private static bool Boolean(XElement e, string attribute, bool byDefault)
    {
        string? text = e.Attribute(attribute)?.Value.Trim();
        return text switch
        {
            null => byDefault,
            "true" or "1" => true,
            "false" or "0" => false,
            _ => throw Error(e, $"<{e.Name.LocalName}> '{e.Attribute("id")?.Value}': {attribute}=\"{text}\" is not a boolean"),
        };
    }

    private static Species ReadSpecies(Model m, XElement s)
    {
        string id = Id(s);
        string compartment = s.Attribute("compartment")?.Value.Trim() ?? throw Error(s, $"<species> '{id}' has no 'compartment'");
        if (!m.Compartments.ContainsKey(compartment)) throw Error(s, $"<species> '{id}': unknown compartment '{compartment}'");
        if (s.Attribute("conversionFactor") is not null) throw Error(s, $"<species> '{id}': conversion factors are not supported");
        double? amount = OptionalReal(s, "initialAmount"), concentration = OptionalReal(s, "initialConcentration");
        if (amount is not null && concentration is not null) throw Error(s, $"<species> '{id}' gives both initialAmount and initialConcentration");
        bool boundary = Boolean(s, "boundaryCondition", false), constant = Boolean(s, "constant", false);
        bool empty = id == "EmptySet" || s.Attribute("name")?.Value.Trim() == "EmptySet" || s.Attribute("sboTerm")?.Value.Trim() == "SBO:0000291";
        return new Species(id, s, compartment, amount ?? concentration ?? double.NaN, concentration is not null, Boolean(s, "hasOnlySubstanceUnits", false), boundary || constant) { IsEmptySet = empty };
    }

    private static double Size(Model m, string compartment, XElement at)
    {
        var (size, element) = m.Compartments[compartment];
        if (size is not { } v) throw Error(at, $"compartment '{compartment}' (line {Position(element).Line}) has no size");
        if (!(v > 0)) throw Error(at, $"compartment '{compartment}' has size {v.ToString("R", CultureInfo.InvariantCulture)}; a size must be positive");
        return v;
    }

    private static double Amount(Model m, Species s)
    {
        if (double.IsNaN(s.Value)) throw Error(s.Element, $"<species> '{s.Id}' has no initialAmount, initialConcentration or initial assignment");
        return s.IsConcentration ? s.Value * Size(m, s.Compartment, s.Element) : s.Value;
    }

    /// <summary>The initial molecule count: the amount, rounded when within 10⁻⁹ relative of a whole number.</summary>
    private static long Count(Model m, Species s)
    {
        double amount = Amount(m, s), whole = Math.Round(amount);
        if (!(Math.Abs(amount - whole) <= 1e-9 * Math.Max(1, whole)) || whole < 0 || whole > NetworkParser.MaxCount)
            throw Error(s.Element, $"<species> '{s.Id}' starts with {amount.ToString("R", CultureInfo.InvariantCulture)} molecules" +
                (s.IsConcentration ? $" (concentration {s.Value.ToString("R", CultureInfo.InvariantCulture)} × size of '{s.Compartment}')" : "") +
                "; the stochastic methods need a whole number in 0..2^53");
        return (long)whole;
    }

    /// <summary>Evaluates &lt;initialAssignment&gt;s once, each after the assignments its expression reads.</summary>
    private static void InitialAssignments(Model m, XElement model)
    {
        var pending = List(m, model, "listOfInitialAssignments", "initialAssignment").ToList();
        var targets = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in pending)
        {
            string symbol = a.Attribute("symbol")?.Value.Trim() ?? throw Error(a, "<initialAssignment> has no 'symbol'");
            if (!m.Compartments.ContainsKey(symbol) && !m.Parameters.ContainsKey(symbol) && !m.Species.ContainsKey(symbol))
                throw Error(a, $"<initialAssignment> to '{symbol}': not a compartment, parameter or species");
            if (!targets.Add(symbol)) throw Error(a, $"<initialAssignment> to '{symbol}': assigned twice");
        }
        while (pending.Count > 0)
        {
            var next = pending.FirstOrDefault(a => !a.Descendants().Where(d => d.Name.LocalName == "ci").Any(ci => targets.Contains(ci.Value.Trim())
                && ci.Value.Trim() != a.Attribute("symbol")!.Value.Trim()));
            if (next is null) throw Error(pending[0], "<initialAssignment>s depend on each other in a cycle");
            string symbol = next.Attribute("symbol")!.Value.Trim();
            string what = $"the initial assignment to '{symbol}'";
            var node = m.Math.Convert(MathOf(next, what), (name, at) => Constant(m, name, at, what, null), what);
            if (PropensityBound.DependsOnTime(node)) throw Error(next, $"{what} depends on time (csymbol time); initial assignments must be constant");
            double v = Algebra.Evaluate(node, []);
            if (!double.IsFinite(v)) throw Error(next, $"{what} is {v.ToString(CultureInfo.InvariantCulture)}");
            if (m.Compartments.TryGetValue(symbol, out var c)) m.Compartments[symbol] = (v, c.Element);
            else if (m.Parameters.TryGetValue(symbol, out var p)) m.Parameters[symbol] = (v, p.Element);
            else
            {
                var s = m.Species[symbol];
                s.Value = v;
                s.IsConcentration = !s.SubstanceUnits;
            }
            pending.Remove(next);
            targets.Remove(symbol);
        }
    }

    private static XElement MathOf(XElement e, string what) =>
        e.Elements().FirstOrDefault(c => c.Name.LocalName == "math") ?? throw Error(e, $"{what} has no <math>");

    /// <summary>
    /// A &lt;ci&gt; as a node: a local parameter, a species (its count, or count/size without hasOnlySubstanceUnits; a
    /// number for boundary and constant species and in initial assignments), a compartment's size or a parameter.
    /// </summary>
    private static Node Constant(Model m, string name, XElement at, string what, Dictionary<string, double>? locals)
    {
        var (line, column) = Position(at);
        if (locals is not null && locals.TryGetValue(name, out double local)) return new NumberNode(local, line, column);
        if (m.Species.TryGetValue(name, out var s))
        {
            if (s.IsEmptySet) throw Error(at, $"{what} uses '{name}', the empty set of source and sink reactions, which has no amount");
            if (s.StateIndex >= 0 && locals is not null)
            {
                Node x = new StateNode(s.StateIndex, s.Id, line, column);
                return s.SubstanceUnits ? x : new BinaryNode('/', x, new NumberNode(Size(m, s.Compartment, at), line, column), line, column);
            }
            double amount = Amount(m, s);
            return new NumberNode(s.SubstanceUnits ? amount : amount / Size(m, s.Compartment, at), line, column);
        }
        if (m.Compartments.ContainsKey(name)) return new NumberNode(Size(m, name, at), line, column);
        if (m.Parameters.TryGetValue(name, out var p))
            return p.Value is { } v ? new NumberNode(v, line, column) : throw Error(at, $"parameter '{name}' (line {Position(p.Element).Line}) has no value");
        if (m.Reactions.Contains(name)) throw Error(at, $"{what} uses the rate of reaction '{name}'; reaction ids in math are not supported");
        throw Error(at, $"{what} uses the unknown id '{name}'");
    }

    private static void AddReaction(Model m, XElement r, List<string> names, List<Reaction> reactions, List<Node> propensities)
    {
        string id = Id(r);
        int line = Position(r).Line;
        if (Boolean(r, "fast", false)) throw Error(r, $"<reaction> '{id}' is fast; fast (quasi-equilibrium) reactions are not supported");
        bool reversible = m.Level == 2 ? Boolean(r, "reversible", true) : Boolean(r, "reversible", false);
        var reactants = Side(m, r, id, "listOfReactants");
        var products = Side(m, r, id, "listOfProducts");
        foreach (var modifier in List(m, r, "listOfModifiers", "modifierSpeciesReference"))
        {
            string species = modifier.Attribute("species")?.Value.Trim() ?? throw Error(modifier, $"a modifier of reaction '{id}' has no 'species'");
            if (!m.Species.ContainsKey(species)) throw Error(modifier, $"reaction '{id}': unknown modifier species '{species}'");
        }
        var law = r.Element(m.Ns + "kineticLaw") ?? throw Error(r, $"<reaction> '{id}' has no <kineticLaw>");
        var locals = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var p in law.Elements().Where(e => e.Name.LocalName is "listOfParameters" or "listOfLocalParameters").Elements()
                     .Where(e => e.Name.LocalName is "parameter" or "localParameter"))
        {
            string pid = Id(p);
            if (!locals.TryAdd(pid, OptionalReal(p, "value") ?? throw Error(p, $"local parameter '{pid}' of reaction '{id}' has no value")))
                throw Error(p, $"local parameter '{pid}' of reaction '{id}' is declared twice");
        }
        string what = $"the kinetic law of reaction '{id}'";
        var node = Algebra.Substitute(m.Math.Convert(MathOf(law, what), (name, at) => Constant(m, name, at, what, locals), what), []);
        if (reversible && KineticLaw.Split(node) is (var forward, var backward))
        {
            Add(forward, reactants, products, "forward");
            Add(backward, products, reactants, "backward");
        }
        else Add(node, reactants, products, null);

        void Add(Node propensity, SpeciesCount[] from, SpeciesCount[] to, string? direction)
        {
            if (from.Length == 0 && to.Length == 0) throw Error(r, $"<reaction> '{id}' changes no species (boundary and constant species do not count)");
            string which = direction is null ? what : $"the {direction} part of {what}";
            var (l, c) = Position(law);
            if (KineticLaw.MassActionConstant(propensity, from) is { } k)
            {
                if (!(k >= 0) || double.IsInfinity(k))
                    throw Error(law, $"{which} is mass action with the constant {k.ToString("R", CultureInfo.InvariantCulture)}; it must be finite and non-negative");
                reactions.Add(new Reaction(from, to, k, null, line));
                propensities.Add(NetworkParser.MassAction(k, from, names, l, c));
                return;
            }
            if (propensity is NumberNode { Value: var v } && !(v >= 0 && !double.IsInfinity(v)))
                throw Error(law, $"{which} is the constant {v.ToString("R", CultureInfo.InvariantCulture)}; a propensity must be finite and non-negative");
            reactions.Add(new Reaction(from, to, double.NaN, propensity.ToString(), line, PropensityBound.DependsOnTime(propensity)));
            propensities.Add(Algebra.Lower(propensity));
        }
    }

    /// <summary>The species references of one side as counts of state species (boundary and constant species dropped).</summary>
    private static SpeciesCount[] Side(Model m, XElement reaction, string id, string list)
    {
        var counts = new SortedDictionary<int, int>();
        foreach (var reference in List(m, reaction, list, "speciesReference"))
        {
            string name = reference.Attribute("species")?.Value.Trim() ?? throw Error(reference, $"a species reference of reaction '{id}' has no 'species'");
            if (!m.Species.TryGetValue(name, out var s)) throw Error(reference, $"reaction '{id}': unknown species '{name}'");
            if (reference.Elements().Any(e => e.Name.LocalName == "stoichiometryMath"))
                throw Error(reference, $"reaction '{id}', species '{name}': <stoichiometryMath> is not supported");
            double stoichiometry = OptionalReal(reference, "stoichiometry")
                ?? (m.Level == 2 ? 1 : throw Error(reference, $"reaction '{id}', species '{name}': Level 3 needs a 'stoichiometry' attribute"));
            if (stoichiometry != Math.Floor(stoichiometry) || stoichiometry < 0 || stoichiometry > 1000)
                throw Error(reference, $"reaction '{id}', species '{name}': stoichiometry {stoichiometry.ToString("R", CultureInfo.InvariantCulture)} is not a whole number in 0..1000, which the stochastic methods need");
            if (s.IsEmptySet) continue; // ∅: a source or sink, not a species
            if (s.IsConstant)
            {
                if (!Boolean(s.Element, "boundaryCondition", false))
                    throw Error(reference, $"reaction '{id}' changes species '{name}', which is constant and not a boundary species");
                continue;
            }
            if (stoichiometry == 0) continue;
            counts[s.StateIndex] = counts.GetValueOrDefault(s.StateIndex) + (int)stoichiometry;
            if (counts[s.StateIndex] > 1000) throw Error(reference, $"reaction '{id}', species '{name}': total stoichiometry exceeds 1000");
        }
        return [.. counts.Select(c => new SpeciesCount(c.Key, c.Value))];
    }
}
