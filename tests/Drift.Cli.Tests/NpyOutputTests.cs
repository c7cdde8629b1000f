using System.Buffers.Binary;
using System.Text;

namespace Drift.Cli.Tests;

public class NpyOutputTests
{
    [Fact]
    public void Paths_npy_holds_a_float64_array_of_saves_by_paths_by_components()
    {
        string dir = Directory.CreateTempSubdirectory("drift-npy").FullName;
        try
        {
            string npy = Path.Combine(dir, "paths.npy");
            string csv = Path.Combine(dir, "paths.csv");
            var stdout = new StringWriter();
            Assert.Equal(0, CliApp.Run(["simulate", "rossler", "--paths", "5", "--steps", "4", "--t1", "1", "--save-every", "2", "--output-paths", npy], stdout, new StringWriter()));
            Assert.Equal(0, CliApp.Run(["simulate", "rossler", "--paths", "5", "--steps", "4", "--t1", "1", "--save-every", "2", "--output-paths", csv], new StringWriter(), new StringWriter()));
            byte[] bytes = File.ReadAllBytes(npy);
            Assert.Equal(0x93, bytes[0]);
            Assert.Equal("NUMPY", Encoding.ASCII.GetString(bytes, 1, 5));
            int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
            Assert.Equal(0, (10 + headerLength) % 64);
            string header = Encoding.ASCII.GetString(bytes, 10, headerLength);
            Assert.Contains("'descr': '<f8'", header);
            Assert.Contains("'shape': (3, 5, 3)", header);
            Assert.Equal(10 + headerLength + 8 * 3 * 5 * 3, bytes.Length);
            var rows = File.ReadAllLines(csv).Skip(1).Select(l => l.Split(',').Skip(2).Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToArray();
            for (int r = 0; r < rows.Length; r++)
                for (int i = 0; i < 3; i++)
                    Assert.Equal(rows[r][i], BinaryPrimitives.ReadDoubleLittleEndian(bytes.AsSpan(10 + headerLength + 8 * (3 * r + i))));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
