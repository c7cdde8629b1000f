using System.Globalization;
using Drift.Jumps.Simulation;
using ScottPlot;

namespace Drift.Cli.Output;

/// <summary>
/// The PNG of <c>drift ssa --plot</c> (ScottPlot 5, the bundled DejaVu Sans): for each species (the first four), on top
/// its mean ± one standard deviation over time as a band with the mean line and a few sample runs drawn as the
/// piecewise-constant (right-continuous) paths they are, sampled on the save grid; below, the law of its count at the
/// chosen times — the exact integer histograms of the exact and tau-leap methods, binned path values for the CLE.
/// </summary>
public static class JumpPlot
{
    /// <summary>Sample runs drawn over each band.</summary>
    public const int RunsShown = 5;

    /// <summary>Species shown (one column each).</summary>
    public const int SpeciesShown = 4;

    /// <summary>Renders the figure and writes it as PNG.</summary>
    /// <param name="stream">Receives the PNG.</param>
    /// <param name="title">Title prefix (the model file).</param>
    /// <param name="result">The ensemble; it must have kept per-run states.</param>
    /// <param name="histogramSaves">Save indices at which to draw the count law (at most six are drawn).</param>
    /// <exception cref="InvalidOperationException">The solution kept no per-run states.</exception>
    public static void Write(Stream stream, string title, JumpSolution result, IReadOnlyList<int> histogramSaves)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(histogramSaves);
        var solution = result.Statistics;
        if (!solution.HasPaths) throw new InvalidOperationException("a plot needs per-run states: set JumpOptions.KeepPaths.");
        string font = PlotReport.LoadFont();
        int columns = Math.Min(SpeciesShown, result.Species.Count);
        bool histograms = solution.PathCount > 1 && histogramSaves.Count > 0;
        var multiplot = new Multiplot();
        multiplot.RemovePlot(multiplot.GetPlot(0));
        var plots = new List<Plot>();
        for (int i = 0; i < columns; i++) plots.Add(BandPanel(title, result, i));
        if (histograms)
            for (int i = 0; i < columns; i++) plots.Add(HistogramPanel(result, i, histogramSaves));
        foreach (var plot in plots)
        {
            plot.Font.Set(font);
            multiplot.AddPlot(plot);
        }
        int rows = histograms ? 2 : 1;
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Grid(rows, columns);
        var image = multiplot.Render(Math.Max(2, columns) * 560, rows * 430);
        stream.Write(image.GetImageBytes(ImageFormat.Png, 100));
    }

    private static Plot BandPanel(string title, JumpSolution result, int species)
    {
        var solution = result.Statistics;
        var plot = new Plot();
        var times = solution.Times;
        int n = times.Length;
        double[] mean = new double[n], lower = new double[n], upper = new double[n];
        for (int s = 0; s < n; s++)
        {
            var m = solution.Moments(s, species);
            double sd = m.Count > 1 ? m.StandardDeviation : 0;
            mean[s] = m.Mean;
            lower[s] = m.Mean - sd;
            upper[s] = m.Mean + sd;
        }
        var color = plot.Add.Palette.GetColor(species);
        var band = plot.Add.FillY(times, lower, upper);
        band.FillColor = color.WithAlpha(0.22);
        band.LineColor = Colors.Transparent;
        band.LegendText = "mean ± SD";
        int shown = (int)Math.Min(RunsShown, solution.PathCount);
        for (int p = 0; p < shown; p++)
        {
            var ys = new double[n];
            for (int s = 0; s < n; s++) ys[s] = solution.Path(s, species, solution.FirstPath + p);
            var line = plot.Add.ScatterLine(times, ys, Colors.Gray.WithAlpha(0.75));
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.LineWidth = 1;
            if (p == 0) line.LegendText = shown == 1 ? "one run" : $"{shown} sample runs";
        }
        var meanLine = plot.Add.ScatterLine(times, mean, color);
        meanLine.LineWidth = 2.5f;
        meanLine.LegendText = "mean";
        string runs = solution.PathCount == 1 ? "1 run" : $"{solution.PathCount:N0} runs".Replace(',', ' ');
        plot.Title($"{title}: {result.Species[species]} ({runs})", size: 14);
        plot.XLabel("time");
        plot.YLabel($"{result.Species[species]} (count)");
        plot.ShowLegend(Edge.Bottom); // outside the data area: a decaying species starts in the upper left
        return plot;
    }

    private static Plot HistogramPanel(JumpSolution result, int species, IReadOnlyList<int> saves)
    {
        var solution = result.Statistics;
        var plot = new Plot();
        var chosen = saves.Distinct().Take(6).ToArray();
        double top = 0;
        for (int c = 0; c < chosen.Length; c++)
        {
            int save = chosen[c];
            double[] xs, ps;
            if (result.HasHistograms)
            {
                var h = result.Histogram(save, species);
                if (h.Total == 0) continue;
                long lo = 0;
                while (lo < h.Length && h[lo] == 0) lo++;
                xs = new double[h.Length - lo + 2];
                ps = new double[xs.Length];
                // a step outline of the probability mass function: bar k spans [k − ½, k + ½)
                for (int k = 0; k < xs.Length; k++)
                {
                    xs[k] = lo + k - 0.5;
                    ps[k] = k < xs.Length - 1 ? h.Probability(lo + k) : 0;
                }
                xs = [xs[0], .. xs]; // close the outline's left edge at 0
                ps = [0, .. ps];
            }
            else
            {
                var values = solution.PathsAt(save, species).ToArray().Where(double.IsFinite).ToArray();
                if (values.Length == 0) continue;
                double min = values.Min(), max = values.Max();
                if (max <= min) max = min + 1;
                var histogram = ScottPlot.Statistics.Histogram.WithBinCount(40, min, max);
                histogram.AddRange(values);
                xs = histogram.Bins;
                ps = histogram.GetProbability(1.0);
            }
            foreach (double p in ps) top = Math.Max(top, p);
            var line = plot.Add.ScatterLine(xs, ps, plot.Add.Palette.GetColor(c));
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.LineWidth = 1.8f;
            line.LegendText = string.Create(CultureInfo.InvariantCulture, $"t = {solution.Times[save]:G4}");
        }
        plot.Title($"law of {result.Species[species]}" + (result.HasHistograms ? " (exact counts)" : " (binned)"), size: 14);
        plot.XLabel($"{result.Species[species]} (count)");
        plot.YLabel("probability");
        if (top > 0) plot.Axes.SetLimitsY(0, 1.08 * top); // the tallest bar in view, and 0 at the axis
        plot.ShowLegend(Edge.Bottom); // outside the data area: an early law can sit in any corner
        return plot;
    }
}
