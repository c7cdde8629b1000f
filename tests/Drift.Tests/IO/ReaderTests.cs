using System.Text;
using Drift.IO;

namespace Drift.Tests.IO;

/// <summary>The one CSV reader and the one .npy reader: what they accept, and a one-line reason for all they refuse.</summary>
public class ReaderTests
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

    private static InvalidDataException NpyFails(byte[] bytes) =>
        Assert.Throws<InvalidDataException>(() => NpyReader.Read(new MemoryStream(bytes), "x.npy"));

    private static InvalidDataException CsvFails(string text) =>
        Assert.Throws<InvalidDataException>(() => CsvReader.Read(new StringReader(text), "pts.csv"));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Npy_matrix_reads_in_C_order(int major)
    {
        var arr = NpyReader.Read(new MemoryStream(Npy("<f8", false, "(3, 2)", [1, 2, 3, 4, 5, 6], major)));
        Assert.Equal([3, 2], arr.Shape);
        Assert.Equal((3, 2), (arr.Rows, arr.Columns));
        Assert.Equal([1.0, 2, 3, 4, 5, 6], arr.Data);
        var v = NpyReader.Read(new MemoryStream(Npy("<f8", false, "(4,)", [0.1, 0.2, 0.3, 0.4])));
        Assert.Equal([4], v.Shape);
        Assert.Equal(1, v.Columns);
    }

    [Theory]
    [InlineData("<f4", false, "(2, 2)", "unsupported dtype <f4")]
    [InlineData(">f8", false, "(2, 2)", "unsupported dtype >f8")]
    [InlineData("<f8", true, "(2, 2)", "Fortran")]
    [InlineData("<f8", false, "(2, 2, 1)", "rank 3")]
    [InlineData("<f8", false, "()", "rank 0")]
    [InlineData("<f8", false, "(-1, 4)", "'-1' is not a non-negative")]
    [InlineData("<f8", false, "(99999999999,)", "'99999999999' is not a non-negative")]
    [InlineData("<f8", false, "(2000000000, 2000000000)", "more than an array can hold")]
    [InlineData("<f8", false, "(1000000, 3)", "truncated: shape (1000000, 3) needs 3000000 float64 values, the file holds 4")]
    public void Unsupported_or_absurd_npy_is_refused_with_a_one_line_reason(string descr, bool fortran, string shape, string reason)
    {
        var e = NpyFails(Npy(descr, fortran, shape, [1, 2, 3, 4]));
        Assert.StartsWith("x.npy: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Truncated_foreign_or_non_finite_npy_is_refused()
    {
        var bytes = Npy("<f8", false, "(3, 2)", [1, 2, 3, 4, 5, 6]);
        Assert.Contains("truncated", NpyFails(bytes[..^8]).Message, StringComparison.Ordinal);
        Assert.Contains("truncated in the header", NpyFails(bytes[..40]).Message, StringComparison.Ordinal);
        Assert.Contains("truncated in the preamble", NpyFails(bytes[..5]).Message, StringComparison.Ordinal);
        Assert.Contains("not an .npy file", NpyFails(Encoding.ASCII.GetBytes("x,y\n1,2\n")).Message, StringComparison.Ordinal);
        // A stream that cannot seek is caught when the data runs out.
        var e = Assert.Throws<InvalidDataException>(() => NpyReader.Read(new ForwardOnly(bytes[..^8]), "pipe"));
        Assert.Contains("pipe: the .npy file is truncated in the data (6 float64 values)", e.Message, StringComparison.Ordinal);
        foreach (double bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            e = NpyFails(Npy("<f8", false, "(3, 2)", [1, 2, 3, bad, 5, 6]));
            Assert.Contains("row 1, column 1 is", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Csv_reads_with_header_comments_and_blank_lines()
    {
        var arr = CsvReader.Read(new StringReader("x,y\n# a comment\n1.5, -2\n\n3e-1,4\n"));
        Assert.Equal([2, 2], arr.Shape);
        Assert.Equal([1.5, -2, 0.3, 4], arr.Data);
    }

    [Theory]
    [InlineData("1,2\n3\n", "pts.csv:2: 1 columns, expected 2.")]
    [InlineData("1,2\n3,abc\n", "pts.csv:2: column 2 'abc' is not a number.")]
    [InlineData("a,b\n1,2\n\n3,NaN\n", "pts.csv:4: column 2 is NaN; values must be finite.")]
    [InlineData("1,2\n-Infinity,2\n", "pts.csv:2: column 1 is -Infinity; values must be finite.")]
    [InlineData("1,2,\n", "pts.csv:1: column 3 '' is not a number.")]
    [InlineData("# only a comment\n", "pts.csv: no data rows.")]
    [InlineData("", "pts.csv: no data rows.")]
    [InlineData("x,y\n", "pts.csv: no data rows.")]
    public void Bad_csv_is_refused_naming_file_line_and_column(string text, string message) =>
        Assert.Equal(message, CsvFails(text).Message);

    [Fact]
    public void Files_are_read_by_path_and_named_in_messages()
    {
        string dir = Directory.CreateTempSubdirectory("drift-io").FullName;
        try
        {
            string csv = Path.Combine(dir, "a.csv"), npy = Path.Combine(dir, "a.npy");
            File.WriteAllText(csv, "1,2\n3,4\n");
            File.WriteAllBytes(npy, Npy("<f8", false, "(2, 2)", [1, 2, 3, 4]));
            Assert.Equal(CsvReader.Read(csv).Data, NpyReader.Read(npy).Data);
            File.WriteAllText(csv, "1,2\n3,x\n");
            Assert.StartsWith(csv + ":2: ", Assert.Throws<InvalidDataException>(() => CsvReader.Read(csv)).Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    private sealed class ForwardOnly(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    }
}
