using System.Globalization;
using System.Text.Json;
using Drift.Cli.Arguments;
using Drift.Sampling.Graphs;
using static Drift.Cli.Mcmc.McmcCommand;

namespace Drift.Cli.Mcmc;

/// <summary>
/// <c>drift mcmc GRAPH --sampler srrw</c>: W independent self-repellent walks (<see cref="SelfRepellentWalk"/>, strength
/// α) and W walks of the base walk itself (α = 0) on a graph, reporting each node's visit frequency xₙ(i) against the
/// target μᵢ and n·Var(xₙ(i)) over the walks for both — the measured asymptotic-variance reduction — next to the
/// paper's formula (<see cref="SelfRepellentWalk.AsymptoticVariances"/>).
/// </summary>
internal static class SrrwRuns
{
    /// <summary>The largest graph whose formula column is computed (an O(n³) eigendecomposition).</summary>
    private const int FormulaNodes = 2000;

    /// <summary>Rows printed in the table (the JSON has every node).</summary>
    private const int TableRows = 30;

    /// <summary>A graph: node labels (as written in the edge list) and undirected edges between their indices.</summary>
    public sealed record Graph(string Name, string[] Labels, (int, int)[] Edges, int Repeated);

    /// <summary>The Petersen graph: outer 5-cycle 0…4, spokes i–(i + 5), inner pentagram 5-7-9-6-8-5 (3-regular, 15 edges).</summary>
    public static Graph Petersen() => new("petersen", [.. Enumerable.Range(0, 10).Select(i => i.ToString(CultureInfo.InvariantCulture))],
        [(0, 1), (1, 2), (2, 3), (3, 4), (4, 0), (0, 5), (1, 6), (2, 7), (3, 8), (4, 9), (5, 7), (7, 9), (9, 6), (6, 8), (8, 5)], 0);

    /// <summary>
    /// Reads an edge list: one edge per line, two node labels separated by spaces, tabs or a comma; lines starting with
    /// # or % are comments. Labels are any tokens (numbers or names), numbered in order of first appearance; an edge
    /// listed again (either direction) is counted once.
    /// </summary>
    public static Graph Read(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UsageException($"cannot read graph file '{path}': no such file.");
        }
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var labels = new List<string>();
        var edges = new List<(int, int)>();
        var seen = new HashSet<(int, int)>();
        int repeated = 0;
        for (int l = 0; l < lines.Length; l++)
        {
            string line = lines[l].Trim();
            if (line.Length == 0 || line[0] is '#' or '%') continue;
            var tokens = line.Split([' ', '\t', ','], StringSplitOptions.RemoveEmptyEntries);
            if (tokens.Length < 2) throw new UsageException($"{path}:{l + 1}: an edge needs two node labels; got '{line}'.");
            if (tokens.Length > 2 && !double.TryParse(tokens[2], NumberStyles.Float, CultureInfo.InvariantCulture, out _))
                throw new UsageException($"{path}:{l + 1}: expected 'node node' (a third column may only be a number, ignored); got '{line}'.");
            int a = Node(tokens[0]), b = Node(tokens[1]);
            if (a == b) throw new UsageException($"{path}:{l + 1}: edge ({tokens[0]}, {tokens[1]}) is a self-loop; the walks move along edges between distinct nodes.");
            if (!seen.Add((Math.Min(a, b), Math.Max(a, b)))) { repeated++; continue; }
            edges.Add((a, b));
        }
        if (labels.Count < 2) throw new UsageException($"{path}: no edges.");
        return new Graph(path, [.. labels], [.. edges], repeated);

        int Node(string label)
        {
            if (!index.TryGetValue(label, out int i))
            {
                i = labels.Count;
                index[label] = i;
                labels.Add(label);
            }
            return i;
        }
    }

    /// <summary>One node's row.</summary>
    public sealed record Row(string Label, int Degree, double Target, double Frequency, double FrequencySe,
        double Variance, double VarianceSe, double Formula, double BaseVariance, double BaseVarianceSe, double BaseFormula);

    /// <summary>What the runs measured: per node, and the totals Σᵢ n·Var(xₙ(i)) with their standard errors.</summary>
    public sealed record Result(Graph Graph, string BaseWalk, double Alpha, int Walks, int Steps, Row[] Rows,
        double Total, double TotalSe, double TotalFormula, double BaseTotal, double BaseTotalSe, double BaseTotalFormula, double Seconds);

    public static Result Run(Graph graph, bool metropolis, SrrwOptions options)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        int n = graph.Labels.Length;
        GraphChain chain;
        try
        {
            chain = metropolis ? GraphChain.MetropolisHastings(n, graph.Edges) : GraphChain.SimpleRandomWalk(n, graph.Edges);
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{graph.Name}: {e.Message.Split(" (Parameter", 2)[0]}");
        }
        var degree = new int[n];
        foreach (var (a, b) in graph.Edges) { degree[a]++; degree[b]++; }
        var srrw = SelfRepellentWalk.Run(chain, options);
        var baseline = SelfRepellentWalk.Run(chain, options with { Alpha = 0 });
        var (variance, varianceSe, frequency, frequencySe, total, totalSe) = Measure(srrw, n);
        var (baseVariance, baseVarianceSe, _, _, baseTotal, baseTotalSe) = Measure(baseline, n);
        double[] formula = new double[n], baseFormula = new double[n];
        if (n <= FormulaNodes)
        {
            var indicators = Enumerable.Range(0, n).Select(i => { var e = new double[n]; e[i] = 1; return e; }).ToArray();
            formula = SelfRepellentWalk.AsymptoticVariances(chain, options.Alpha, indicators);
            baseFormula = SelfRepellentWalk.AsymptoticVariances(chain, 0, indicators);
        }
        else
        {
            Array.Fill(formula, double.NaN);
            Array.Fill(baseFormula, double.NaN);
        }
        var mu = chain.Stationary.ToArray();
        var rows = Enumerable.Range(0, n).Select(i => new Row(graph.Labels[i], degree[i], mu[i], frequency[i], frequencySe[i],
            variance[i], varianceSe[i], formula[i], baseVariance[i], baseVarianceSe[i], baseFormula[i])).ToArray();
        return new Result(graph, metropolis ? "metropolis-hastings (uniform target)" : "simple random walk (target proportional to degree)",
            options.Alpha, options.Walks, options.Steps, rows, total, totalSe, formula.Sum(), baseTotal, baseTotalSe, baseFormula.Sum(), clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Over W walks: each node's n·Var(xₙ(i)) (sample variance, divisor W − 1) with the standard error
    /// n·Var·√(2/(W − 1)) of a normal sample's variance; the mean frequency and its standard error; and the total
    /// Σᵢ n·Var = n/(W − 1) Σ_w ‖x_w − x̄‖² with the standard error from the spread of the walks' ‖x_w − x̄‖².
    /// </summary>
    private static (double[] Var, double[] VarSe, double[] Mean, double[] MeanSe, double Total, double TotalSe) Measure(SrrwResult r, int n)
    {
        int walks = r.Walks;
        var x = Enumerable.Range(0, walks).Select(r.Frequencies).ToArray();
        double[] mean = new double[n], variance = new double[n], varianceSe = new double[n], meanSe = new double[n];
        for (int i = 0; i < n; i++)
        {
            mean[i] = x.Average(v => v[i]);
            double s = x.Sum(v => (v[i] - mean[i]) * (v[i] - mean[i])) / Math.Max(1, walks - 1);
            variance[i] = r.Steps * s;
            varianceSe[i] = walks > 1 ? variance[i] * Math.Sqrt(2.0 / (walks - 1)) : double.NaN;
            meanSe[i] = walks > 1 ? Math.Sqrt(s / walks) : double.NaN;
        }
        var distance = x.Select(v => { double d = 0; for (int i = 0; i < n; i++) d += (v[i] - mean[i]) * (v[i] - mean[i]); return d; }).ToArray();
        double average = distance.Average();
        double total = r.Steps * distance.Sum() / Math.Max(1, walks - 1);
        double sd = walks > 1 ? Math.Sqrt(distance.Sum(d => (d - average) * (d - average)) / (walks - 1)) : double.NaN;
        double totalSe = r.Steps * sd * walks / Math.Max(1, walks - 1) / Math.Sqrt(walks);
        return (variance, varianceSe, mean, meanSe, total, totalSe);
    }

    public static void WriteTable(TextWriter w, Result r, ulong seed)
    {
        int n = r.Rows.Length;
        w.WriteLine($"{r.Graph.Name}: SRRW alpha {F(r.Alpha)} on the {r.BaseWalk}, {n} nodes, {r.Graph.Edges.Length} edges, {r.Walks} walks x {r.Steps} steps (and as many of the base walk, alpha 0), seed {seed}, {F(r.Seconds, "F2")} s");
        if (r.Graph.Repeated > 0) w.WriteLine($"({r.Graph.Repeated} repeated edges counted once)");
        int width = Math.Max(6, r.Rows.Max(x => x.Label.Length) + 1);
        w.WriteLine($"{"node".PadRight(width)}{"degree",7}{"target",11}{"frequency",11}{"freq_se",11}{"nvar_srrw",11}{"formula",11}{"nvar_base",11}{"formula",11}");
        foreach (var x in r.Rows.Take(TableRows))
            w.WriteLine($"{x.Label.PadRight(width)}{x.Degree,7}{F(x.Target),11}{F(x.Frequency),11}{F(x.FrequencySe, "G3"),11}{F(x.Variance),11}{F(x.Formula),11}{F(x.BaseVariance),11}{F(x.BaseFormula),11}");
        if (n > TableRows) w.WriteLine($"... {n - TableRows} more nodes in --json");
        w.WriteLine($"sum over nodes of n*Var(x_n(i)): SRRW {F(r.Total)} +- {F(r.TotalSe, "G2")} (formula {F(r.TotalFormula)}), base walk {F(r.BaseTotal)} +- {F(r.BaseTotalSe, "G2")} (formula {F(r.BaseTotalFormula)})");
        w.WriteLine($"variance reduction: measured {F(r.BaseTotal / r.Total, "F2")}x, formula {F(r.BaseTotalFormula / r.TotalFormula, "F2")}x");
        w.WriteLine("frequency: mean over walks of x_n(i) = (mu_i + visits_i)/(n + 1), against the target mu_i; nvar: n x the variance over walks, +- about sqrt(2/(walks - 1)) of itself; formula: Doshi, Hu & Eun 2023 (docs/sampling.md)");
    }

    public static void WriteJson(TextWriter stdout, Result r, ulong seed)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("target", r.Graph.Name);
            w.WriteString("sampler", "srrw");
            w.WriteString("base_walk", r.BaseWalk);
            Number(w, "alpha", r.Alpha);
            w.WriteNumber("nodes", r.Rows.Length);
            w.WriteNumber("edges", r.Graph.Edges.Length);
            w.WriteNumber("walks", r.Walks);
            w.WriteNumber("steps", r.Steps);
            w.WriteNumber("seed", seed);
            w.WriteNumber("seconds", r.Seconds);
            Number(w, "nvar_total", r.Total); Number(w, "nvar_total_se", r.TotalSe); Number(w, "formula_total", r.TotalFormula);
            Number(w, "base_nvar_total", r.BaseTotal); Number(w, "base_nvar_total_se", r.BaseTotalSe); Number(w, "base_formula_total", r.BaseTotalFormula);
            w.WriteStartArray("nodes_detail");
            foreach (var x in r.Rows)
            {
                w.WriteStartObject();
                w.WriteString("node", x.Label);
                w.WriteNumber("degree", x.Degree);
                Number(w, "target", x.Target); Number(w, "frequency", x.Frequency); Number(w, "frequency_se", x.FrequencySe);
                Number(w, "nvar", x.Variance); Number(w, "nvar_se", x.VarianceSe); Number(w, "formula", x.Formula);
                Number(w, "base_nvar", x.BaseVariance); Number(w, "base_nvar_se", x.BaseVarianceSe); Number(w, "base_formula", x.BaseFormula);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        stdout.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
