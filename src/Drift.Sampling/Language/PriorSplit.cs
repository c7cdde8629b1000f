using System.Globalization;
using Drift.Models.Text;

namespace Drift.Sampling.Language;

/// <summary>One parameter of a prior drawn ancestrally: its <c>~</c> statement and whether its bounds truncate the distribution.</summary>
internal sealed record PriorStep(BoundParameter Parameter, TapeNode Statement, bool Truncated);

/// <summary>
/// Splits a density model into a prior p₀ and a likelihood L for tempered SMC (docs/sampling.md, "Prior and likelihood").
/// A <c>~</c> statement is part of the prior when its left side is exactly a declared parameter's name and the statement
/// has that parameter's length (its arguments broadcast to it; an argument longer than the parameter makes it a
/// likelihood term); every other statement — a left side with data or an expression, <c>target +=</c> — is the
/// likelihood. Every parameter needs exactly one prior statement, the prior statements must be drawable in some order
/// (no parameter's prior arguments depend on itself through others), and a distribution truncated by its parameter's
/// bounds must have arguments that depend on no parameter (its normalising constant then does not vary, so the model's
/// density stays proportional to the prior that is drawn). Errors are <see cref="ModelParseException"/>s at the cause.
/// </summary>
internal static class PriorSplit
{
    public static (DensityProgram Prior, PriorStep[] Steps, DensityProgram Likelihood, DensityProgram Full) Bind(List<Statement> statements, DensityData data, long compileLimit)
    {
        var (prior, steps, likelihood, full, _) = Split(statements, data, compileLimit);
        return (prior, steps, likelihood, full);
    }

    /// <summary><see cref="Bind"/>, also returning the likelihood's statements (declarations included) for rebinding to slices of the data.</summary>
    public static (DensityProgram Prior, PriorStep[] Steps, DensityProgram Likelihood, DensityProgram Full, List<Statement> LikelihoodStatements) Split(List<Statement> statements, DensityData data, long compileLimit)
    {
        var full = DensityBinder.Bind(statements, data, compileLimit);
        var parameters = full.Parameters.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var declarations = statements.OfType<DensityParameterStatement>().ToDictionary(p => p.Name.Text, StringComparer.Ordinal);
        var priorOf = new Dictionary<string, SamplingStatement>(StringComparer.Ordinal);
        var prior = new List<Statement>();
        var likelihood = new List<Statement>();
        int term = 0;
        foreach (var s in statements)
        {
            switch (s)
            {
                case DataStatement or DensityParameterStatement:
                    prior.Add(s);
                    likelihood.Add(s);
                    break;
                case SamplingStatement t:
                {
                    var node = full.TermNodes[term++];
                    if (t.Variate is NameNode v && parameters.TryGetValue(v.Name, out var p) && node.Length == p.Size)
                    {
                        if (priorOf.TryGetValue(v.Name, out var first))
                            throw t.Variate.Error($"'{v.Name}' has a second prior statement (the first is on line {first.Variate.Line}); tempered SMC needs exactly one '{v.Name} ~ DIST(...)' to draw it from");
                        priorOf[v.Name] = t;
                        prior.Add(s);
                    }
                    else likelihood.Add(s);
                    break;
                }
                default:
                    term++;
                    likelihood.Add(s);
                    break;
            }
        }
        foreach (var p in full.Parameters)
            if (!priorOf.ContainsKey(p.Name))
            {
                var at = declarations[p.Name].Name;
                throw new ModelParseException($"parameter '{p.Name}' has no prior statement; tempered SMC draws the prior, so add '{p.Name} ~ DIST(...)' (arguments of numbers, data and other parameters{(p.IsVector ? $", of length 1 or {p.Size}" : "")})", at.Line, at.Column);
            }
        if (likelihood.Count == prior.Count - priorOf.Count)
        {
            var at = statements[^1].Name;
            throw new ModelParseException("the model has no likelihood: every statement is a prior on a parameter; tempered SMC needs a '~' statement on data or a 'target +=' statement", at.Line, at.Column);
        }

        var priorProgram = DensityBinder.Bind(prior, data, compileLimit);
        var likelihoodProgram = DensityBinder.Bind(likelihood, data, compileLimit);
        return (priorProgram, Order(priorProgram, [.. statements.OfType<SamplingStatement>().Where(priorOf.ContainsValue)]), likelihoodProgram, full, likelihood);
    }

    /// <summary>The prior statements in an order where every argument depends only on parameters drawn before (Kahn's algorithm).</summary>
    private static PriorStep[] Order(DensityProgram program, SamplingStatement[] sources)
    {
        int count = program.TermNodes.Count;
        var steps = new PriorStep[count];
        var dependsOn = new HashSet<int>[count];
        for (int k = 0; k < count; k++)
        {
            var node = program.TermNodes[k];
            var parameter = program.Parameters[node.Children[0].Parameter];
            dependsOn[k] = [];
            for (int a = 1; a < node.Children.Length; a++) Collect(node.Children[a], dependsOn[k]);
            var (low, high) = Support(node.Distribution!.Kind);
            bool truncated = parameter.Transform.Lower > low || parameter.Transform.Upper < high;
            if (truncated && dependsOn[k].Count > 0)
                throw sources[k].Variate.Error($"the prior of '{parameter.Name}' is truncated by its bounds ({parameter.Transform.Describe().Trim()}) and its arguments depend on parameters ({string.Join(", ", dependsOn[k].Order().Select(i => program.Parameters[i].Name))}), so its normalising constant varies with them; tempered SMC cannot draw it exactly. Give the bounds of {node.Distribution.Name}'s support ({node.Distribution.Support}) or constant arguments");
            steps[k] = new PriorStep(parameter, node, truncated);
        }
        var ordered = new List<PriorStep>(count);
        var drawn = new HashSet<int>();
        var done = new bool[count];
        while (ordered.Count < count)
        {
            int next = Array.FindIndex(done, k => !k);
            for (int k = 0; k < count; k++)
                if (!done[k] && dependsOn[k].All(drawn.Contains)) { next = k; break; }
            if (!dependsOn[next].All(drawn.Contains))
            {
                var waiting = dependsOn[next].Where(i => !drawn.Contains(i)).Select(i => program.Parameters[i].Name);
                throw sources[next].Variate.Error($"the prior of '{steps[next].Parameter.Name}' depends on {string.Join(", ", waiting)}, whose prior depends back on it; tempered SMC draws the prior parameter by parameter, so the prior statements must not form a cycle");
            }
            done[next] = true;
            drawn.Add(steps[next].Statement.Children[0].Parameter);
            ordered.Add(steps[next]);
        }
        return [.. ordered];
    }

    private static void Collect(TapeNode node, HashSet<int> parameters)
    {
        if (!node.Live) return;
        if (node.Op == TapeOp.Parameter) parameters.Add(node.Parameter);
        foreach (var c in node.Children) Collect(c, parameters);
    }

    /// <summary>The support [low, high] of a continuous distribution's variate (open or closed does not matter here).</summary>
    private static (double Low, double High) Support(DistributionKind kind) => kind switch
    {
        DistributionKind.Exponential or DistributionKind.Gamma or DistributionKind.Lognormal => (0, double.PositiveInfinity),
        DistributionKind.Beta => (0, 1),
        _ => (double.NegativeInfinity, double.PositiveInfinity),
    };

    internal static string F(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
}
