using Drift.Ensembles;
using Drift.Sampling;
using ScottPlot;

namespace Drift.Cli.Output;

/// <summary>
/// A PNG summary of an ensemble (ScottPlot 5): sample paths of every component (up to three) over time — components of
/// different scales in panels of their own (<c>ScaleGroups</c>) —, histograms of the first component's marginal
/// law at up to four save times, and a phase portrait of a few paths where one means something (<c>PhasePair</c>). Text uses DejaVu Sans shipped next to the tool (Fonts/, Bitstream Vera
/// licence), so labels render on headless machines without installed fonts.
/// </summary>
public static class PlotReport
{
    private const string FontName = "DejaVu Sans";
    private static readonly Lock FontGate = new();
    private static bool _fontLoaded;

    /// <summary>Number of paths drawn in the path and phase panels.</summary>
    public const int PathsShown = 12;

    /// <summary>Renders the figure and writes it as PNG to <paramref name="stream"/>.</summary>
    /// <exception cref="InvalidOperationException">The solution kept no per-path states.</exception>
    public static void Write(Stream stream, string title, string[] components, EnsembleSolution solution, int width = 1500, int height = 500)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(components);
        ArgumentNullException.ThrowIfNull(solution);
        if (!solution.HasPaths) throw new InvalidOperationException("a plot needs per-path states: set EnsembleOptions.KeepPaths.");
        string font = LoadFont();
        // A single trajectory (drift solve) has no marginal density to show.
        int shownComponents = Math.Min(3, components.Length);
        var plots = ScaleGroups(solution, shownComponents).Select((group, k) => PathsPanel(k == 0 ? title : $"{title}, {components[group[0]]}", components, group, solution)).ToList();
        if (solution.PathCount > 1) plots.Add(HistogramPanel(components, solution));
        if (PhasePair(components) is { } pair) plots.Add(PhasePanel(components, pair, solution));
        var multiplot = new Multiplot();
        multiplot.RemovePlot(multiplot.GetPlot(0)); // a new Multiplot starts with one empty plot
        foreach (var plot in plots)
        {
            plot.Font.Set(font);
            multiplot.AddPlot(plot);
        }
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        var image = multiplot.Render(width * Math.Max(plots.Count, 2) / 3, height);
        stream.Write(image.GetImageBytes(ImageFormat.Png, 100));
    }

    /// <summary>
    /// Renders generated samples against exact samples of the same law (n × d, row-major): a scatter of the first
    /// two coordinates (exact in grey under generated in colour, at most 4000 points each) and the densities of the
    /// first coordinate, and writes the PNG to <paramref name="stream"/>. An optional <paramref name="baseline"/> set
    /// (e.g. unsteered samples, same shape) is drawn as a third series.
    /// </summary>
    public static void WriteSamples(Stream stream, string title, double[] generated, double[] exact, int n, int d, int width = 1000, int height = 500,
        double[]? baseline = null, string generatedLabel = "generated", string exactLabel = "exact", string baselineLabel = "unsteered")
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(generated);
        ArgumentNullException.ThrowIfNull(exact);
        string font = LoadFont();
        var scatter = new Plot();
        int shown = Math.Min(n, 4000);
        double[] Column(double[] x, int j) => Enumerable.Range(0, shown).Select(s => x[(long)s * d + j]).ToArray();
        var exactX = Column(exact, 0);
        var genX = Column(generated, 0);
        var exactY = d > 1 ? Column(exact, 1) : new double[shown];
        var genY = d > 1 ? Column(generated, 1) : new double[shown];
        var e = scatter.Add.ScatterPoints(exactX, exactY, Colors.Gray.WithAlpha(0.35));
        e.MarkerSize = 3;
        e.LegendText = exactLabel;
        if (baseline is not null)
        {
            var b = scatter.Add.ScatterPoints(Column(baseline, 0), d > 1 ? Column(baseline, 1) : new double[shown], scatter.Add.Palette.GetColor(1).WithAlpha(0.4));
            b.MarkerSize = 3;
            b.LegendText = baselineLabel;
        }
        var g = scatter.Add.ScatterPoints(genX, genY, scatter.Add.Palette.GetColor(0).WithAlpha(0.5));
        g.MarkerSize = 3;
        g.LegendText = generatedLabel;
        scatter.Title($"{title}: {shown} of {n} samples");
        scatter.XLabel("x0");
        scatter.YLabel(d > 1 ? "x1" : "");
        scatter.ShowLegend();
        if (d == 1) scatter = QuantilePanel(title, generated, exact, baseline, generatedLabel, baselineLabel);
        FitTitle(scatter, $"{title}: {(d == 1 ? n : shown)} of {n} samples", width / 2);

        var density = new Plot();
        double lo = Math.Min(exactX.Min(), genX.Min()), hi = Math.Max(exactX.Max(), genX.Max());
        if (!(hi > lo)) hi = lo + 1;
        var series = new List<(double[], string, ScottPlot.Color)> { (exact, exactLabel, Colors.Gray), (generated, generatedLabel, density.Add.Palette.GetColor(0)) };
        if (baseline is not null) series.Add((baseline, baselineLabel, density.Add.Palette.GetColor(1)));
        foreach (var (values, label, color) in series)
        {
            var histogram = ScottPlot.Statistics.Histogram.WithBinCount(BinCount(n), lo, hi);
            for (long s = 0; s < n; s++) if (double.IsFinite(values[s * d])) histogram.Add(values[s * d]);
            var xs = histogram.Bins;
            var line = density.Add.ScatterLine(xs, histogram.GetProbability(1.0 / (xs[1] - xs[0])), color);
            line.LegendText = label;
        }
        density.Title("density of x0");
        density.XLabel("x0");
        density.YLabel("density");
        density.ShowLegend(Edge.Bottom); // outside the data area: it never covers a density curve

        var multiplot = new Multiplot();
        multiplot.RemovePlot(multiplot.GetPlot(0));
        foreach (var plot in new[] { scatter, density })
        {
            plot.Font.Set(font);
            multiplot.AddPlot(plot);
        }
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        stream.Write(multiplot.Render(width, height).GetImageBytes(ImageFormat.Png, 100));
    }

    /// <summary>
    /// An image grid: image k of <paramref name="images"/> (each C·H·W values, channel-major then row-major; the channels
    /// are averaged to grey) is drawn at grid row k / <paramref name="columns"/>, column k mod <paramref name="columns"/>,
    /// with one blank pixel between images; intensities are clamped to [<paramref name="low"/>, <paramref name="high"/>]
    /// and drawn dark on white (high = ink). Rows are labelled with <paramref name="rowLabels"/> when given; gaps and
    /// non-finite pixels are drawn light blue. Written as PNG.
    /// </summary>
    /// <exception cref="ArgumentException">Sizes that do not fit (fewer than rows·columns images are allowed: the rest stay blank).</exception>
    public static void WriteImageGrid(Stream stream, string title, ReadOnlySpan<double> images, int channels, int height, int width,
        int rows, int columns, IReadOnlyList<string>? rowLabels = null, double low = -1, double high = 1, int pixelsPerCell = 12)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(columns, 1);
        if (!(high > low)) throw new ArgumentException($"the intensity range [{low}, {high}] is empty.", nameof(high));
        int size = channels * height * width;
        if (images.Length % size != 0) throw new ArgumentException($"{images.Length} values are not whole images of {channels}x{height}x{width}.", nameof(images));
        if (rowLabels is not null && rowLabels.Count != rows) throw new ArgumentException($"{rowLabels.Count} row labels for {rows} rows.", nameof(rowLabels));
        string font = LoadFont();
        int count = Math.Min(images.Length / size, rows * columns);
        int gridH = rows * (height + 1) - 1, gridW = columns * (width + 1) - 1;
        var cells = new double[gridH, gridW];
        for (int i = 0; i < gridH; i++)
            for (int j = 0; j < gridW; j++) cells[i, j] = double.NaN;
        for (int k = 0; k < count; k++)
        {
            int top = k / columns * (height + 1), left = k % columns * (width + 1);
            for (int i = 0; i < height; i++)
                for (int j = 0; j < width; j++)
                {
                    double v = 0;
                    for (int c = 0; c < channels; c++) v += images[k * size + (c * height + i) * width + j];
                    v /= channels;
                    // Negated so the grey colour map draws ink (high) dark.
                    cells[top + i, left + j] = double.IsFinite(v) ? -Math.Clamp(v, low, high) : double.NaN;
                }
        }
        var plot = new Plot();
        var map = plot.Add.Heatmap(cells);
        map.Colormap = new ScottPlot.Colormaps.Grayscale();
        map.ManualRange = new ScottPlot.Range(-high, -low);
        map.NaNCellColor = Colors.LightSteelBlue; // the gaps between images
        map.Extent = new CoordinateRect(0, gridW, 0, gridH);
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int r = 0; r < rows; r++)
            ticks.AddMajor(gridH - r * (height + 1) - height / 2.0, rowLabels?[r] ?? "");
        plot.Axes.Left.TickGenerator = ticks;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual();
        plot.Axes.SetLimits(0, gridW, 0, gridH);
        plot.Title(title);
        plot.Font.Set(font);
        stream.Write(plot.GetImage(gridW * pixelsPerCell + 120, gridH * pixelsPerCell + 90).GetImageBytes(ImageFormat.Png, 100));
    }

    /// <summary>A loss curve: the per-step loss (faint) and its smoothed value against the step, log-scaled loss axis.</summary>
    public static void WriteLoss(Stream stream, string title, double[] steps, double[] loss, double[] smoothed, int width = 900, int height = 500)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(steps);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(smoothed);
        string font = LoadFont();
        var plot = new Plot();
        static double[] Log(double[] v) => v.Select(x => x > 0 && double.IsFinite(x) ? Math.Log10(x) : double.NaN).ToArray();
        var raw = plot.Add.ScatterLine(steps, Log(loss), plot.Add.Palette.GetColor(0).WithAlpha(0.3));
        raw.LegendText = "loss";
        var smooth = plot.Add.ScatterLine(steps, Log(smoothed), plot.Add.Palette.GetColor(1));
        smooth.LineWidth = 2;
        smooth.LegendText = "smoothed (EMA 0.98)";
        plot.Title(title);
        plot.XLabel("step");
        plot.YLabel("log10 loss");
        plot.ShowLegend();
        plot.Font.Set(font);
        stream.Write(plot.GetImage(width, height).GetImageBytes(ImageFormat.Png, 100));
    }

    /// <summary>One curve of <see cref="WriteLogLog"/>: its legend text, x and y values (positive), and whether it is a
    /// reference line (drawn dashed, without markers).</summary>
    public sealed record Series(string Label, double[] X, double[] Y, bool Reference = false);

    /// <summary>
    /// A log-log chart (both axes log10) of measured curves with markers and dashed reference slopes, as used for
    /// convergence plots (error against paths, cost against accuracy): one panel per element of
    /// <paramref name="panels"/>, side by side; written as PNG. Non-positive or non-finite points are left out.
    /// </summary>
    /// <exception cref="ArgumentException">A series whose X and Y lengths differ, or no panels.</exception>
    public static void WriteLogLog(Stream stream, IReadOnlyList<(string Title, string XLabel, string YLabel, IReadOnlyList<Series> Series)> panels, int widthPerPanel = 700, int height = 520)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(panels);
        if (panels.Count == 0) throw new ArgumentException("a plot needs at least one panel.", nameof(panels));
        string font = LoadFont();
        var multiplot = new Multiplot();
        multiplot.RemovePlot(multiplot.GetPlot(0));
        foreach (var (title, xLabel, yLabel, series) in panels)
        {
            var plot = new Plot();
            int color = 0;
            foreach (var curve in series)
            {
                if (curve.X.Length != curve.Y.Length)
                    throw new ArgumentException($"series '{curve.Label}' has {curve.X.Length} x values and {curve.Y.Length} y values.", nameof(panels));
                var keep = Enumerable.Range(0, curve.X.Length).Where(i => curve.X[i] > 0 && curve.Y[i] > 0 && double.IsFinite(curve.X[i]) && double.IsFinite(curve.Y[i])).ToArray();
                var line = plot.Add.Scatter(keep.Select(i => Math.Log10(curve.X[i])).ToArray(), keep.Select(i => Math.Log10(curve.Y[i])).ToArray());
                line.LegendText = curve.Label;
                if (curve.Reference)
                {
                    line.Color = Colors.Gray;
                    line.LinePattern = LinePattern.Dashed;
                    line.MarkerSize = 0;
                    line.LineWidth = 1;
                }
                else
                {
                    line.Color = plot.Add.Palette.GetColor(color++);
                    line.LineWidth = 2;
                    line.MarkerSize = 7;
                }
            }
            plot.Axes.Bottom.TickGenerator = LogTicks(series.Select(c => c.X));
            plot.Axes.Left.TickGenerator = LogTicks(series.Select(c => c.Y));
            plot.Title(title);
            plot.XLabel(xLabel);
            plot.YLabel(yLabel);
            plot.ShowLegend(Alignment.LowerLeft); // convergence curves fall from the upper left: that corner stays empty
            plot.Font.Set(font);
            multiplot.AddPlot(plot);
        }
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        stream.Write(multiplot.Render(widthPerPanel * panels.Count, height).GetImageBytes(ImageFormat.Png, 100));
    }

    /// <summary>
    /// Ticks for an axis holding log10 values: labelled at 1, 2 and 5 × 10^k (only at the decades when the data span more
    /// than three of them), with minor ticks at the other integers × 10^k.
    /// </summary>
    private static ScottPlot.TickGenerators.NumericManual LogTicks(IEnumerable<double[]> values)
    {
        var positive = values.SelectMany(v => v).Where(v => v > 0 && double.IsFinite(v)).ToArray();
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        if (positive.Length == 0) return ticks;
        int lo = (int)Math.Floor(Math.Log10(positive.Min())), hi = (int)Math.Ceiling(Math.Log10(positive.Max()));
        bool decadesOnly = hi - lo > 3;
        for (int k = lo; k <= hi; k++)
            for (int m = 1; m <= 9; m++)
            {
                double value = m * Math.Pow(10, k), position = Math.Log10(value);
                if (m == 1 || (!decadesOnly && m is 2 or 5)) ticks.AddMajor(position, value.ToString(value is >= 1e-3 and < 1e5 ? "0.#####" : "0e0", System.Globalization.CultureInfo.InvariantCulture));
                else ticks.AddMinor(position);
            }
        return ticks;
    }

    /// <summary>
    /// One-dimensional samples have no second coordinate to scatter against: a quantile–quantile panel instead, the
    /// generated (and baseline) quantiles at levels (k − ½)/200 against the exact samples' quantiles, with the diagonal
    /// y = x on which they lie when the laws agree.
    /// </summary>
    private static Plot QuantilePanel(string title, double[] generated, double[] exact, double[]? baseline, string generatedLabel, string baselineLabel)
    {
        const int levels = 200;
        static double[] Quantiles(double[] values)
        {
            var finite = values.Where(double.IsFinite).Order().ToArray();
            var q = new double[levels];
            if (finite.Length == 0) return q;
            for (int k = 0; k < levels; k++) q[k] = finite[(int)Math.Min(finite.Length - 1, Math.Floor((k + 0.5) / levels * finite.Length))];
            return q;
        }
        var plot = new Plot();
        var reference = Quantiles(exact);
        var diagonal = plot.Add.ScatterLine(new[] { reference[0], reference[^1] }, new[] { reference[0], reference[^1] }, Colors.Gray);
        diagonal.LegendText = "y = x";
        if (baseline is not null)
        {
            var b = plot.Add.ScatterPoints(reference, Quantiles(baseline), plot.Add.Palette.GetColor(1));
            b.MarkerSize = 4;
            b.LegendText = baselineLabel;
        }
        var g = plot.Add.ScatterPoints(reference, Quantiles(generated), plot.Add.Palette.GetColor(0));
        g.MarkerSize = 4;
        g.LegendText = generatedLabel;
        plot.Title(title);
        plot.XLabel("exact quantile of x0");
        plot.YLabel("sample quantile");
        plot.ShowLegend(Alignment.UpperLeft); // the points run from lower left to upper right: that corner stays empty
        return plot;
    }

    /// <summary>Sets a panel's title in a font small enough for it to fit the panel's width (about 0.6 em per character).</summary>
    private static void FitTitle(Plot plot, string title, int panelWidth)
    {
        plot.Title(title);
        float size = plot.Axes.Title.Label.FontSize;
        float fits = (float)(0.9 * panelWidth / (0.6 * Math.Max(title.Length, 1)));
        if (fits < size) plot.Axes.Title.Label.FontSize = Math.Max(9, fits);
    }

    /// <summary>
    /// Histogram bins for <paramref name="n"/> values: Rice's rule 2·n^(1/3) (12 for 200 values, 43 for 10⁴) within [8, 60],
    /// enough to show the shape without the noise of 60 bins over a few hundred values.
    /// </summary>
    internal static int BinCount(long n) => Math.Clamp((int)Math.Ceiling(2 * Math.Cbrt(n)), 8, 60);

    /// <summary>
    /// The first <paramref name="count"/> components split into groups that share a y axis: a component joins a group when,
    /// on the union of their ranges over the shown paths, every member still spans at least a fifth of the axis — so ln S
    /// (≈ 4.6 ± 0.5) and the variance v (≈ 0.04) of Heston get a panel each instead of v drawn as a flat line at 0, while
    /// Lorenz's x, y and z share one.
    /// </summary>
    internal static List<int[]> ScaleGroups(EnsembleSolution solution, int count)
    {
        int shown = (int)Math.Min(PathsShown, solution.PathCount);
        var lo = new double[count];
        var hi = new double[count];
        for (int i = 0; i < count; i++)
        {
            lo[i] = double.PositiveInfinity;
            hi[i] = double.NegativeInfinity;
            for (int p = 0; p < shown; p++)
                for (int s = 0; s < solution.Times.Length; s++)
                {
                    double v = solution.Path(s, i, solution.FirstPath + p);
                    if (!double.IsFinite(v)) continue;
                    lo[i] = Math.Min(lo[i], v);
                    hi[i] = Math.Max(hi[i], v);
                }
        }
        var groups = new List<List<int>>();
        for (int i = 0; i < count; i++)
        {
            var home = groups.FirstOrDefault(g =>
            {
                double a = Math.Min(lo[i], g.Min(j => lo[j])), b = Math.Max(hi[i], g.Max(j => hi[j]));
                if (!(b > a)) return true; // all constant (or no finite value): nothing to lose by sharing
                return g.Append(i).All(j => hi[j] - lo[j] >= 0.2 * (b - a));
            });
            if (home is null) groups.Add([i]);
            else home.Add(i);
        }
        return [.. groups.Select(g => g.ToArray())];
    }

    /// <summary>
    /// The pair of components a phase portrait shows, or null when none means something: (x, z) when the model has
    /// components named x and z (the Lorenz-type attractors), (x1, y1) for particle models with positions x1…, y1…
    /// (particle 1's path in the plane), else the first and third of exactly three components.
    /// </summary>
    internal static (int X, int Y)? PhasePair(string[] components)
    {
        int x = Array.IndexOf(components, "x"), z = Array.IndexOf(components, "z");
        if (x >= 0 && z >= 0) return (x, z);
        int x1 = Array.IndexOf(components, "x1"), y1 = Array.IndexOf(components, "y1");
        if (x1 >= 0 && y1 >= 0) return (x1, y1);
        return components.Length == 3 ? (0, 2) : null;
    }

    private static Plot PathsPanel(string title, string[] components, int[] group, EnsembleSolution solution)
    {
        var plot = new Plot();
        int shown = (int)Math.Min(PathsShown, solution.PathCount);
        foreach (int i in group)
        {
            var color = plot.Add.Palette.GetColor(i);
            for (int p = 0; p < shown; p++)
            {
                var ys = new double[solution.Times.Length];
                for (int s = 0; s < ys.Length; s++) ys[s] = solution.Path(s, i, solution.FirstPath + p);
                var line = plot.Add.ScatterLine(solution.Times, ys, color.WithAlpha(0.7));
                if (p == 0) line.LegendText = components[i];
            }
        }
        plot.Title($"{title}: {shown} sample paths");
        plot.XLabel("time");
        plot.YLabel(group.Length == 1 ? components[group[0]] : "state");
        if (group.Length > 1) plot.ShowLegend(Edge.Bottom); // outside the data area: it never covers a path
        else plot.HideLegend(); // the y label names the one component
        return plot;
    }

    private static Plot HistogramPanel(string[] components, EnsembleSolution solution)
    {
        var plot = new Plot();
        int saves = solution.Times.Length;
        var chosen = Enumerable.Range(1, 4).Select(k => Math.Max(saves - 1 - (4 - k) * (saves - 1) / 4, 0)).Distinct().ToArray();
        for (int c = 0; c < chosen.Length; c++)
        {
            var values = solution.PathsAt(chosen[c], 0).ToArray().Where(double.IsFinite).ToArray();
            if (values.Length == 0) continue;
            double lo = values.Min(), hi = values.Max();
            if (hi <= lo) hi = lo + 1;
            var histogram = ScottPlot.Statistics.Histogram.WithBinCount(BinCount(values.Length), lo, hi);
            histogram.AddRange(values);
            var xs = histogram.Bins;
            var density = histogram.GetProbability(1.0 / (xs[1] - xs[0]));
            var line = plot.Add.ScatterLine(xs, density, plot.Add.Palette.GetColor(c));
            line.LegendText = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"t = {solution.Times[chosen[c]]:G4}");
        }
        plot.Title($"marginal density of {components[0]}");
        plot.XLabel(components[0]);
        plot.YLabel("density");
        plot.ShowLegend(Edge.Bottom); // outside the data area: it never covers a density curve
        return plot;
    }

    private static Plot PhasePanel(string[] components, (int X, int Y) pair, EnsembleSolution solution)
    {
        var plot = new Plot();
        int shown = (int)Math.Min(4, solution.PathCount);
        for (int p = 0; p < shown; p++)
        {
            var xs = new double[solution.Times.Length];
            var zs = new double[solution.Times.Length];
            for (int s = 0; s < xs.Length; s++)
            {
                xs[s] = solution.Path(s, pair.X, solution.FirstPath + p);
                zs[s] = solution.Path(s, pair.Y, solution.FirstPath + p);
            }
            var line = plot.Add.ScatterLine(xs, zs, plot.Add.Palette.GetColor(p).WithAlpha(0.6));
            line.LineWidth = 0.8f;
        }
        plot.Title($"phase portrait ({components[pair.X]}, {components[pair.Y]})");
        plot.XLabel(components[pair.X]);
        plot.YLabel(components[pair.Y]);
        return plot;
    }

    /// <summary>Registers the bundled DejaVu Sans once; falls back to an installed DejaVu Sans, else ScottPlot's default.</summary>
    internal static string LoadFont()
    {
        lock (FontGate)
        {
            if (_fontLoaded) return FontName;
            string[] candidates =
            [
                Path.Combine(AppContext.BaseDirectory, "Fonts", "DejaVuSans.ttf"),
                "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
            ];
            string? file = candidates.FirstOrDefault(File.Exists);
            if (file is null) return Fonts.Default;
            Fonts.AddFontFile(FontName, file);
            Fonts.Default = FontName;
            _fontLoaded = true;
            return FontName;
        }
    }
}
