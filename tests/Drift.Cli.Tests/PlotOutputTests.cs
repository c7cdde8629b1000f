using Drift.Cli;
using SkiaSharp;

namespace Drift.Cli.Tests;

public class PlotOutputTests
{
    [Fact]
    public void Log_log_chart_has_one_panel_per_entry_and_refuses_mismatched_series()
    {
        double[] n = [128, 256, 512, 1024];
        var series = new List<Drift.Cli.Output.PlotReport.Series>
        {
            new("measured", n, n.Select(x => 3 / Math.Sqrt(x)).ToArray()),
            new("N^-1", n, n.Select(x => 10 / x).ToArray(), Reference: true),
        };
        using var stream = new MemoryStream();
        Drift.Cli.Output.PlotReport.WriteLogLog(stream, [("a", "N", "RMSE", series), ("b", "N", "RMSE", series)], 400, 300);
        using var bitmap = SKBitmap.Decode(stream.ToArray());
        Assert.Equal(800, bitmap.Width);
        Assert.Equal(300, bitmap.Height);
        var bad = new List<Drift.Cli.Output.PlotReport.Series> { new("short", n, [1.0]) };
        var e = Assert.Throws<ArgumentException>(() => Drift.Cli.Output.PlotReport.WriteLogLog(new MemoryStream(), [("c", "x", "y", bad)]));
        Assert.Contains("'short' has 4 x values and 1 y values", e.Message);
        Assert.Throws<ArgumentException>(() => Drift.Cli.Output.PlotReport.WriteLogLog(new MemoryStream(), []));
    }

    /// <summary>
    /// Heston's ln S (≈ 4.6) and v (≈ 0.04) get a path panel each, so v is not a flat line at 0 on ln S's axis: three
    /// panels (ln S, v, the density; 500 px each), where one shared path panel made two (1000 px); a 2-component model has
    /// no phase portrait.
    /// </summary>
    [Fact]
    public void Components_of_different_scales_get_a_path_panel_each()
    {
        string dir = Directory.CreateTempSubdirectory("drift-plot").FullName;
        try
        {
            string png = Path.Combine(dir, "heston.png");
            var stderr = new StringWriter();
            Assert.True(CliApp.Run(["simulate", "heston", "--paths", "50", "--steps", "100", "--plot", png, "--no-progress"], new StringWriter(), stderr) == 0, stderr.ToString());
            using var bitmap = SKBitmap.Decode(png);
            Assert.Equal(1500, bitmap.Width);
            Assert.Contains("(1500×500)", stderr.ToString());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("x,y,z", 0, 2)]
    [InlineData("a,b,c", 0, 2)]
    [InlineData("u,x,w,z", 1, 3)]
    [InlineData("x1,x2,y1,y2,theta1,theta2", 0, 2)]
    [InlineData("lnS,v", -1, -1)]
    [InlineData("a,b,c,d", -1, -1)]
    public void The_phase_portrait_shows_a_pair_that_means_something_or_none(string names, int x, int y)
    {
        var pair = Drift.Cli.Output.PlotReport.PhasePair(names.Split(','));
        if (x < 0) Assert.Null(pair);
        else Assert.Equal((x, y), pair);
    }

    [Theory]
    [InlineData(1, 8)]
    [InlineData(200, 12)]
    [InlineData(10_000, 44)]
    [InlineData(100_000_000, 60)]
    public void Histograms_use_Rice_bins_within_8_and_60(long n, int bins) => Assert.Equal(bins, Drift.Cli.Output.PlotReport.BinCount(n));

    [Fact]
    public void Plot_writes_a_non_trivial_PNG_with_paths_histograms_and_a_phase_portrait()
    {
        string dir = Directory.CreateTempSubdirectory("drift-plot").FullName;
        try
        {
            string png = Path.Combine(dir, "lorenz.png");
            var stderr = new StringWriter();
            Assert.True(CliApp.Run(["simulate", "lorenz", "--paths", "200", "--t1", "5", "--dt", "0.01", "--plot", png, "--no-progress"], new StringWriter(), stderr) == 0, stderr.ToString());
            byte[] bytes = File.ReadAllBytes(png);
            Assert.True(bytes.Length > 20_000, $"PNG of {bytes.Length} bytes");
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
            using var bitmap = SKBitmap.Decode(png);
            Assert.Equal(1500, bitmap.Width);   // three panels for a 3-D flow
            Assert.Equal(500, bitmap.Height);
            var colours = new HashSet<uint>();
            for (int y = 0; y < bitmap.Height; y += 3)
                for (int x = 0; x < bitmap.Width; x += 3)
                    colours.Add((uint)bitmap.GetPixel(x, y));
            Assert.True(colours.Count > 50, $"{colours.Count} distinct colours");
            // Dark (text/axis) pixels exist in the title band of every panel: labels rendered.
            for (int panel = 0; panel < 3; panel++)
            {
                bool dark = false;
                for (int y = 0; y < 40 && !dark; y++)
                    for (int x = panel * 500; x < (panel + 1) * 500 && !dark; x++)
                        dark = bitmap.GetPixel(x, y).Red < 100;
                Assert.True(dark, $"panel {panel} has a rendered title");
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Plot_rejects_non_PNG_names_and_adaptive_solves()
    {
        var stderr = new StringWriter();
        Assert.NotEqual(0, CliApp.Run(["simulate", "gbm", "--plot", "out.jpg"], new StringWriter(), stderr));
        Assert.Contains("PNG", stderr.ToString(), StringComparison.Ordinal);
        stderr = new StringWriter();
        Assert.NotEqual(0, CliApp.Run(["simulate", "gbm", "--rtol", "1e-3", "--plot", "out.png"], new StringWriter(), stderr));
        Assert.Contains("fixed steps", stderr.ToString(), StringComparison.Ordinal);
    }
}
