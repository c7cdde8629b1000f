using Drift.Ensembles;
using Drift.Sampling;
using Parquet;
using Parquet.Schema;

namespace Drift.Cli.Output;

/// <summary>
/// Apache Parquet files (Parquet.Net) with the same columns as <see cref="CsvReport"/>: statistics as
/// time, component, count, mean, std, stderr, min, q05, median, q95, max (one row group), and paths as
/// time, path, &lt;components&gt; in long format (one row group per saved time; NaN after divergence).
/// </summary>
public static class ParquetReport
{
    /// <summary>Whether <paramref name="path"/> names a Parquet file (extension <c>.parquet</c>).</summary>
    public static bool IsParquet(string? path) => path is not null && path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase);

    /// <summary>Writes the statistics table.</summary>
    public static void WriteStatistics(Stream stream, string[] components, EnsembleSolution solution)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(components);
        ArgumentNullException.ThrowIfNull(solution);
        int rows = solution.Times.Length * components.Length;
        var time = new double[rows];
        var names = new string[rows];
        var count = new long[rows];
        string[] statNames = ["mean", "std", "stderr", "min", "q05", "median", "q95", "max"];
        var stats = statNames.Select(_ => new double[rows]).ToArray();
        int r = 0;
        for (int s = 0; s < solution.Times.Length; s++)
            for (int i = 0; i < components.Length; i++, r++)
            {
                var m = solution.Moments(s, i);
                time[r] = solution.Times[s];
                names[r] = components[i];
                count[r] = m.Count;
                double[] values = [m.Mean, m.StandardDeviation, m.StandardError, m.Min, solution.Quantile(s, i, 0.05), solution.Quantile(s, i, 0.5), solution.Quantile(s, i, 0.95), m.Max];
                for (int k = 0; k < values.Length; k++) stats[k][r] = values[k];
            }
        var timeField = new DataField<double>("time");
        var nameField = new DataField<string>("component");
        var countField = new DataField<long>("count");
        var statFields = statNames.Select(n => new DataField<double>(n)).ToArray();
        var schema = new ParquetSchema([timeField, nameField, countField, .. statFields]);
        Run(async () =>
        {
            var writer = await ParquetWriter.CreateAsync(schema, stream).ConfigureAwait(false);
            await using var _ = writer.ConfigureAwait(false);
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<double>(timeField, time).ConfigureAwait(false);
            await group.WriteAsync(nameField, names).ConfigureAwait(false);
            await group.WriteAsync<long>(countField, count).ConfigureAwait(false);
            for (int k = 0; k < statFields.Length; k++) await group.WriteAsync<double>(statFields[k], stats[k]).ConfigureAwait(false);
        });
    }

    /// <summary>
    /// Writes MCMC draws (one row group): chain, draw (1-based, int64), each parameter by name (double), then
    /// accept_stat, stepsize (double), treedepth, n_leapfrog, divergent (int64; divergent is 0 or 1), energy, lp (double).
    /// </summary>
    public static void WriteDraws(Stream stream, McmcResult result)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(result);
        int rows = result.Chains * result.DrawsPerChain, d = result.Dimension;
        var chain = new long[rows];
        var draw = new long[rows];
        var parameters = Enumerable.Range(0, d).Select(_ => new double[rows]).ToArray();
        double[] accept = new double[rows], step = new double[rows], energy = new double[rows], lp = new double[rows];
        long[] depth = new long[rows], leapfrog = new long[rows], divergent = new long[rows];
        for (int c = 0, r = 0; c < result.Chains; c++)
            for (int t = 0; t < result.DrawsPerChain; t++, r++)
            {
                chain[r] = c + 1;
                draw[r] = t + 1;
                var point = result.Point(c, t);
                for (int i = 0; i < d; i++) parameters[i][r] = point[i];
                accept[r] = result.AcceptStat(c, t);
                step[r] = result.StepSize(c, t);
                depth[r] = result.TreeDepth(c, t);
                leapfrog[r] = result.Steps(c, t);
                divergent[r] = result.IsDivergent(c, t) ? 1 : 0;
                energy[r] = result.Energy(c, t);
                lp[r] = result.LogDensity(c, t);
            }
        var chainField = new DataField<long>("chain");
        var drawField = new DataField<long>("draw");
        var parameterFields = result.Names.Select(n => new DataField<double>(n)).ToArray();
        var acceptField = new DataField<double>("accept_stat");
        var stepField = new DataField<double>("stepsize");
        var depthField = new DataField<long>("treedepth");
        var leapfrogField = new DataField<long>("n_leapfrog");
        var divergentField = new DataField<long>("divergent");
        var energyField = new DataField<double>("energy");
        var lpField = new DataField<double>("lp");
        var schema = new ParquetSchema([chainField, drawField, .. parameterFields, acceptField, stepField, depthField, leapfrogField, divergentField, energyField, lpField]);
        Run(async () =>
        {
            var writer = await ParquetWriter.CreateAsync(schema, stream).ConfigureAwait(false);
            await using var _ = writer.ConfigureAwait(false);
            using var group = writer.CreateRowGroup();
            await group.WriteAsync<long>(chainField, chain).ConfigureAwait(false);
            await group.WriteAsync<long>(drawField, draw).ConfigureAwait(false);
            for (int i = 0; i < d; i++) await group.WriteAsync<double>(parameterFields[i], parameters[i]).ConfigureAwait(false);
            await group.WriteAsync<double>(acceptField, accept).ConfigureAwait(false);
            await group.WriteAsync<double>(stepField, step).ConfigureAwait(false);
            await group.WriteAsync<long>(depthField, depth).ConfigureAwait(false);
            await group.WriteAsync<long>(leapfrogField, leapfrog).ConfigureAwait(false);
            await group.WriteAsync<long>(divergentField, divergent).ConfigureAwait(false);
            await group.WriteAsync<double>(energyField, energy).ConfigureAwait(false);
            await group.WriteAsync<double>(lpField, lp).ConfigureAwait(false);
        });
    }

    /// <summary>Writes every kept path at every saved time.</summary>
    public static void WritePaths(Stream stream, string[] components, EnsembleSolution solution)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(components);
        ArgumentNullException.ThrowIfNull(solution);
        var timeField = new DataField<double>("time");
        var pathField = new DataField<long>("path");
        var componentFields = components.Select(c => new DataField<double>(c)).ToArray();
        var schema = new ParquetSchema([timeField, pathField, .. componentFields]);
        int n = checked((int)solution.PathCount);
        var paths = new long[n];
        for (int p = 0; p < n; p++) paths[p] = solution.FirstPath + p;
        Run(async () =>
        {
            var writer = await ParquetWriter.CreateAsync(schema, stream).ConfigureAwait(false);
            await using var _ = writer.ConfigureAwait(false);
            for (int s = 0; s < solution.Times.Length; s++)
            {
                using var group = writer.CreateRowGroup();
                await group.WriteAsync<double>(timeField, Enumerable.Repeat(solution.Times[s], n).ToArray()).ConfigureAwait(false);
                await group.WriteAsync<long>(pathField, paths).ConfigureAwait(false);
                for (int i = 0; i < components.Length; i++)
                    await group.WriteAsync<double>(componentFields[i], solution.PathsAt(s, i).ToArray()).ConfigureAwait(false);
            }
        });
    }

    // The CLI is synchronous; Parquet.Net's API is asynchronous. Run on the thread pool and wait (no sync context to deadlock on).
    private static void Run(Func<Task> write) => Task.Run(write).GetAwaiter().GetResult();
}
