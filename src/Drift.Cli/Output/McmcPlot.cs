using Drift.Sampling;
using Drift.Sampling.Diagnostics;
using ScottPlot;

namespace Drift.Cli.Output;

/// <summary>
/// The PNG of <c>drift mcmc --plot</c>: for each of the first four parameters a trace panel (every chain's draws against
/// the draw index, divergent draws in red) beside its rank histograms (<see cref="RankHistogram"/>: one step line per
/// chain, the uniform level N/B dashed — Vehtari et al. 2021's rank plot), then pair plots of the first three
/// parameters (every draw, divergent draws in red).
/// </summary>
public static class McmcPlot
{
    /// <summary>Rank-histogram bins (at most; fewer when a chain has fewer than 4 draws per bin).</summary>
    public const int Bins = 20;

    private static readonly ScottPlot.Palettes.Category10 Palette = new();

    /// <summary>Renders the figure and writes it as PNG to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, string title, McmcResult result, int width = 1500, int heightPerRow = 260)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(result);
        string font = PlotReport.LoadFont();
        int panels = Math.Min(4, result.Dimension);
        var plots = new List<Plot>();
        double[] xs = Enumerable.Range(1, result.DrawsPerChain).Select(t => (double)t).ToArray();
        for (int i = 0; i < panels; i++)
        {
            var chains = result.Parameter(i);
            plots.Add(TracePanel(result, chains, xs, i, i == 0 ? title : null, i == panels - 1));
            plots.Add(RankPanel(result, chains, i, i == 0));
        }
        int[][] pairs = result.Dimension >= 3 ? [[0, 1], [0, 2], [1, 2]] : result.Dimension == 2 ? [[0, 1]] : [];
        foreach (var pair in pairs) plots.Add(PairPanel(result, pair[0], pair[1]));
        if (plots.Count % 2 == 1)
        {
            var blank = new Plot();
            blank.Axes.Frameless();
            blank.HideGrid();
            plots.Add(blank);
        }
        var multiplot = new Multiplot();
        multiplot.RemovePlot(multiplot.GetPlot(0)); // a new Multiplot starts with one empty plot
        foreach (var plot in plots)
        {
            plot.Font.Set(font);
            multiplot.AddPlot(plot);
        }
        int rows = plots.Count / 2;
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, 2);
        var image = multiplot.Render(width, heightPerRow * rows + (pairs.Length > 0 ? 140 : 0));
        stream.Write(image.GetImageBytes(ImageFormat.Png, 100));
    }

    private static Plot TracePanel(McmcResult result, double[][] chains, double[] xs, int i, string? title, bool last)
    {
        var plot = new Plot();
        for (int c = 0; c < result.Chains; c++)
        {
            var line = plot.Add.ScatterLine(xs, chains[c]);
            line.LineWidth = 1;
            line.Color = Palette.GetColor(c);
            line.LegendText = i == 0 && result.Chains <= 8 ? $"chain {c + 1}" : "";
        }
        var (divX, divY) = Divergent(result, (c, t) => t + 1, (c, t) => chains[c][t]);
        if (divX.Length > 0)
        {
            var marks = plot.Add.ScatterPoints(divX, divY);
            marks.Color = Colors.Red;
            marks.MarkerSize = 5;
        }
        plot.YLabel(result.Names[i]);
        if (title is not null) plot.Title(title);
        if (last) plot.XLabel("draw");
        return plot;
    }

    private static Plot RankPanel(McmcResult result, double[][] chains, int i, bool first)
    {
        var plot = new Plot();
        int bins = Math.Max(1, Math.Min(Bins, result.DrawsPerChain / 4));
        var counts = RankHistogram.Counts(chains, bins);
        // Each chain's histogram as a step line over bin edges 0..B (the rank scale divided into B bins).
        for (int c = 0; c < counts.Length; c++)
        {
            var x = new double[2 * bins];
            var y = new double[2 * bins];
            for (int b = 0; b < bins; b++)
            {
                x[2 * b] = b; x[2 * b + 1] = b + 1;
                y[2 * b] = y[2 * b + 1] = counts[c][b];
            }
            var line = plot.Add.ScatterLine(x, y);
            line.LineWidth = 1.5f;
            line.Color = Palette.GetColor(c);
        }
        var uniform = plot.Add.HorizontalLine((double)result.DrawsPerChain / bins);
        uniform.LinePattern = LinePattern.Dashed;
        uniform.Color = Colors.Black;
        plot.YLabel($"{result.Names[i]} rank count");
        if (first)
        {
            var (chi2, df) = RankHistogram.ChiSquare(counts.Length > 1 ? counts : [counts[0], counts[0]]);
            plot.Title(counts.Length > 1 ? $"rank histograms, {bins} bins (chi2 {chi2:F0} on {df} df; autocorrelation inflates it)" : $"rank histogram, {bins} bins");
        }
        plot.Axes.SetLimitsY(0, counts.Max(r => r.Max()) * 1.1 + 1);
        return plot;
    }

    private static Plot PairPanel(McmcResult result, int i, int j)
    {
        var plot = new Plot();
        var xi = result.Parameter(i);
        var xj = result.Parameter(j);
        var all = plot.Add.ScatterPoints(xi.SelectMany(c => c).ToArray(), xj.SelectMany(c => c).ToArray());
        all.MarkerSize = 2;
        all.Color = Colors.SteelBlue.WithAlpha(0.35);
        var (divX, divY) = Divergent(result, (c, t) => xi[c][t], (c, t) => xj[c][t]);
        if (divX.Length > 0)
        {
            var marks = plot.Add.ScatterPoints(divX, divY);
            marks.Color = Colors.Red;
            marks.MarkerSize = 5;
        }
        plot.XLabel(result.Names[i]);
        plot.YLabel(result.Names[j]);
        return plot;
    }

    private static (double[] X, double[] Y) Divergent(McmcResult result, Func<int, int, double> x, Func<int, int, double> y)
    {
        var dx = new List<double>();
        var dy = new List<double>();
        for (int c = 0; c < result.Chains; c++)
            for (int t = 0; t < result.DrawsPerChain; t++)
                if (result.IsDivergent(c, t)) { dx.Add(x(c, t)); dy.Add(y(c, t)); }
        return (dx.ToArray(), dy.ToArray());
    }
}
