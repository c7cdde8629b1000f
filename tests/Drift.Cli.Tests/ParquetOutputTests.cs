using Drift.Cli;
using Parquet;

namespace Drift.Cli.Tests;

public class ParquetOutputTests
{
    [Fact]
    public async Task Parquet_paths_and_statistics_read_back_equal_to_the_CSV_output()
    {
        string dir = Directory.CreateTempSubdirectory("drift-parquet").FullName;
        try
        {
            string paths = Path.Combine(dir, "paths.parquet"), stats = Path.Combine(dir, "stats.parquet"), csv = Path.Combine(dir, "paths.csv");
            string[] common = ["simulate", "heston-qe", "--paths", "7", "--steps", "4", "--save-every", "2", "--no-progress"];
            Assert.Equal(0, CliApp.Run([.. common, "--output-paths", paths, "--output", stats], new StringWriter(), new StringWriter()));
            Assert.Equal(0, CliApp.Run([.. common, "--output-paths", csv], new StringWriter(), new StringWriter()));
            var csvRows = File.ReadAllLines(csv).Skip(1).Select(l => l.Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToArray();

            await using (var reader = await ParquetReader.CreateAsync(paths))
            {
                Assert.Equal(["time", "path", "lnS", "v"], reader.Schema.DataFields.Select(f => f.Name));
                Assert.Equal(3, reader.RowGroupCount);
                int row = 0;
                for (int g = 0; g < reader.RowGroupCount; g++)
                {
                    using var group = reader.OpenRowGroupReader(g);
                    var fields = reader.Schema.DataFields;
                    var time = new double[group.RowCount];
                    await group.ReadAsync<double>(fields[0], time);
                    var path = new long[group.RowCount];
                    await group.ReadAsync<long>(fields[1], path);
                    var lnS = new double[group.RowCount];
                    await group.ReadAsync<double>(fields[2], lnS);
                    var v = new double[group.RowCount];
                    await group.ReadAsync<double>(fields[3], v);
                    for (int k = 0; k < group.RowCount; k++, row++)
                        Assert.Equal(csvRows[row], new[] { time[k], path[k], lnS[k], v[k] });
                }
                Assert.Equal(csvRows.Length, row);
            }

            await using (var reader = await ParquetReader.CreateAsync(stats))
            {
                Assert.Equal(["time", "component", "count", "mean", "std", "stderr", "min", "q05", "median", "q95", "max"], reader.Schema.DataFields.Select(f => f.Name));
                using var group = reader.OpenRowGroupReader(0);
                Assert.Equal(6, group.RowCount);
                var names = new string[6];
                await group.ReadAsync(reader.Schema.DataFields[1], names);
                Assert.Equal(["lnS", "v", "lnS", "v", "lnS", "v"], names);
                var mean = new double[6];
                await group.ReadAsync<double>(reader.Schema.DataFields[3], mean);
                Assert.Equal(csvRows.Where(r => r[0] == 0).Average(r => r[2]), mean[0], 12);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
