// Two tools for issue #5:
//   table [N]                      samplers × NFE 5/10/20/50 on the standard mixtures (VP linear, logSNR grid), markdown
//   bench TARGET N REPEATS DIR     DPM-Solver++(2M), 10 steps, VP linear, logSNR grid on the exact GMM; writes
//                                  DIR/mixture.json and DIR/drift_samples.csv, prints best-of-REPEATS timing as JSON
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Drift.Generative.Grids;
using Drift.Generative.Metrics;
using Drift.Generative.Oracles;
using Drift.Generative.Samplers;
using Drift.Generative.Schedules;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (args.Length >= 1 && args[0] == "table") return Table(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000);
if (args.Length == 5 && args[0] == "bench") return Bench(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture), args[4]);
Console.Error.WriteLine("usage: drift-diffusion table [N] | bench TARGET N REPEATS DIR");
return 2;

static int Table(int n)
{
    var sch = new VpLinearSchedule();
    string[] mixtures = ["ring8", "skewed2d", "mix16"];
    int[] budgets = [5, 10, 20, 50];
    var samplers = SamplerCatalog.Names.Where(s => s is not ("ode-tsit5" or "ode-dopri5")).ToArray();
    Console.WriteLine($"n = {n} per cell; cell = sliced W2 − noise floor / max |mode mass − weight|; '—' = budget below one step");
    foreach (string name in mixtures)
    {
        var m = StandardMixtures.Get(name);
        int d = m.Dimension;
        Console.WriteLine();
        Console.WriteLine($"### {name}");
        Console.WriteLine();
        Console.WriteLine("| sampler | " + string.Join(" | ", budgets.Select(b => $"NFE {b}")) + " |");
        Console.WriteLine("|---|" + string.Concat(budgets.Select(_ => "---|")));
        foreach (string s in samplers)
        {
            var sampler = SamplerCatalog.Create(s);
            var cells = new List<string>();
            foreach (int budget in budgets)
            {
                int steps = 0;
                for (int k = 1; k <= budget; k++)
                    if (sampler.Evaluations(SamplingGrid.Create(sch, k, GridSpacing.LogSnr)) <= budget) steps = k;
                if (steps == 0) { cells.Add("—"); continue; }
                var grid = SamplingGrid.Create(sch, steps, GridSpacing.LogSnr);
                var x = new double[n * d];
                m.Sample(grid.Alpha(0), grid.Sigma(0), 11, 0, x, n);
                int nfe = sampler.Sample(m.AsModel(sch), grid, x, n, seed: 7);
                double a = grid.Alpha(steps), sg = grid.Sigma(steps);
                var e1 = new double[n * d];
                var e2 = new double[n * d];
                m.Sample(a, sg, 101, 0, e1, n);
                m.Sample(a, sg, 202, 0, e2, n);
                double floor = SampleMetrics.SlicedWasserstein2(e1, e2, n, d, 128);
                double sw = SampleMetrics.SlicedWasserstein2(x, e1, n, d, 128);
                var masses = SampleMetrics.ModeMasses(m, a, sg, x, n);
                double massErr = masses.Select((v, k) => Math.Abs(v - m.Weights[k])).Max();
                bool finite = x.All(double.IsFinite);
                cells.Add(!finite ? "diverged" : (nfe == budget ? "" : $"({nfe}) ") + $"{sw - floor:F3} / {massErr:F3}");
            }
            Console.WriteLine($"| {s} | " + string.Join(" | ", cells) + " |");
        }
    }
    return 0;
}

static int Bench(string target, int n, int repeats, string dir)
{
    var m = StandardMixtures.Get(target);
    var sch = new VpLinearSchedule();
    int d = m.Dimension;
    var grid = SamplingGrid.Create(sch, 10, GridSpacing.LogSnr);
    var sampler = new DpmSolverPlusPlusMultistepSampler(2);
    var model = m.AsModel(sch);
    var start = new double[n * d];
    m.Sample(grid.Alpha(0), grid.Sigma(0), 11, 0, start, n);
    var x = new double[n * d];
    double best = double.PositiveInfinity;
    int nfe = 0;
    for (int r = 0; r < repeats; r++)
    {
        start.CopyTo(x, 0);
        var clock = Stopwatch.StartNew();
        nfe = sampler.Sample(model, grid, x, n);
        best = Math.Min(best, clock.Elapsed.TotalSeconds);
    }
    Directory.CreateDirectory(dir);
    var json = new StringBuilder();
    json.Append("{\"weights\": [").Append(string.Join(", ", m.Weights.Select(v => v.ToString("R")))).Append("],\n\"means\": [");
    json.Append(string.Join(",\n", Enumerable.Range(0, m.ComponentCount).Select(k => "[" + string.Join(", ", m.ComponentMean(k).ToArray().Select(v => v.ToString("R"))) + "]")));
    json.Append("],\n\"covariances\": [");
    json.Append(string.Join(",\n", Enumerable.Range(0, m.ComponentCount).Select(k => "[" + string.Join(", ", m.ComponentCovariance(k).ToArray().Select(v => v.ToString("R"))) + "]")));
    json.Append("],\n\"alpha_end\": ").Append(grid.Alpha(10).ToString("R")).Append(", \"sigma_end\": ").Append(grid.Sigma(10).ToString("R")).Append("}\n");
    File.WriteAllText(Path.Combine(dir, "mixture.json"), json.ToString());
    using (var w = new StreamWriter(Path.Combine(dir, "drift_samples.csv")))
        for (int s = 0; s < n; s++) w.WriteLine(string.Join(",", Enumerable.Range(0, d).Select(j => x[s * d + j].ToString("R"))));
    Console.WriteLine($"{{\"target\": \"{target}\", \"samples\": {n}, \"dimension\": {d}, \"nfe\": {nfe}, \"seconds\": {best:R}, \"sample_nfe_per_second\": {n * (double)nfe / best:R}}}");
    return 0;
}
