using System.Text;
using Drift.Transport.IO;

namespace Drift.Transport.Tests;

/// <summary>Point clouds and weights through the core readers (whose own rules are tested in Drift.Tests.IO).</summary>
public class IOTests
{
    private static byte[] Npy(string descr, bool fortran, string shape, double[] data, int major = 1)
    {
        string header = $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {shape}, }}";
        int prefix = major == 1 ? 10 : 12;
        int total = (prefix + header.Length + 1 + 63) / 64 * 64;
        header = header.PadRight(total - prefix - 1) + "\n";
        using var ms = new MemoryStream();
        ms.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0]);
        if (major == 1) ms.Write(BitConverter.GetBytes((ushort)header.Length));
        else ms.Write(BitConverter.GetBytes((uint)header.Length));
        ms.Write(Encoding.ASCII.GetBytes(header));
        foreach (double d in data) ms.Write(BitConverter.GetBytes(d));
        return ms.ToArray();
    }

    [Fact]
    public void Npy_file_reads_as_a_point_cloud_and_a_vector_as_1D_points()
    {
        string dir = Directory.CreateTempSubdirectory("drift-io").FullName;
        try
        {
            string p = Path.Combine(dir, "x.npy");
            File.WriteAllBytes(p, Npy("<f8", false, "(2, 3)", [1, 2, 3, 4, 5, 6]));
            var cloud = PointCloudReader.Read(p);
            Assert.Equal(2, cloud.Count);
            Assert.Equal(3, cloud.Dimension);
            Assert.Equal(new double[] { 4, 5, 6 }, cloud.Point(1).ToArray());
            Assert.Equal(new[] { 0.5, 0.5 }, cloud.Weights);
            File.WriteAllBytes(p, Npy("<f8", false, "(4,)", [0.1, 0.2, 0.3, 0.4]));
            Assert.Equal(1, PointCloudReader.Read(p).Dimension);
            Assert.Equal(new[] { 0.1, 0.2, 0.3, 0.4 }, PointCloudReader.ReadWeights(p));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Csv_reads_with_header_comments_and_blank_lines()
    {
        var text = "x,y\n# a comment\n1.5, -2\n\n3e-1,4\n";
        var cloud = PointCloudReader.ReadCsv(new StringReader(text));
        Assert.Equal(2, cloud.Count);
        Assert.Equal(new[] { 1.5, -2, 0.3, 4 }, cloud.Coordinates);
    }

    [Fact]
    public void Csv_errors_name_the_line_and_column()
    {
        var e = Assert.Throws<InvalidDataException>(() => PointCloudReader.ReadCsv(new StringReader("1,2\n3\n"), "pts.csv"));
        Assert.Contains("pts.csv:2", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<InvalidDataException>(() => PointCloudReader.ReadCsv(new StringReader("1,2\n3,abc\n"), "pts.csv"));
        Assert.Contains("pts.csv:2: column 2 'abc'", e.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => PointCloudReader.ReadCsv(new StringReader("# only a comment\n")));
        Assert.Throws<InvalidDataException>(() => PointCloudReader.ReadCsv(new StringReader("1,NaN\n")));
    }
}
