using System.Buffers.Binary;
using System.Text;
using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

/// <summary>Issue 18, "stack traces": every malformed point cloud given to <c>drift ot</c> is a one-line reason and exit 2.</summary>
public sealed class NewUserReaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("drift-readers").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    /// <summary>An .npy file: magic, version 1.0, the header padded to 64 bytes, then <paramref name="data"/>.</summary>
    private static byte[] Npy(string descr, string shape, byte[] data)
    {
        string header = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        int pad = (64 - (10 + header.Length + 1) % 64) % 64;
        header += new string(' ', pad) + "\n";
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange("NUMPY"u8.ToArray());
        bytes.AddRange([1, 0]);
        var length = new byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)header.Length);
        bytes.AddRange(length);
        bytes.AddRange(Encoding.ASCII.GetBytes(header));
        bytes.AddRange(data);
        return [.. bytes];
    }

    private static byte[] Doubles(int count) => [.. Enumerable.Range(0, count).SelectMany(i => BitConverter.GetBytes((double)i))];

    public static TheoryData<string, string> Files => new()
    {
        { "empty.csv", "" },
        { "header.csv", "x,y\n" },
        { "ragged.csv", "1,2\n3\n" },
        { "semicolon.csv", "1;2\n3;4\n" },
        { "letters.csv", "1,a\n3,4\n" },
        { "nan.csv", "1,NaN\n3,4\n" },
        { "garbage.npy", "garbage" },
        { "truncated.npy", "truncated" },
        { "float32.npy", "float32" },
        { "absurd.npy", "absurd" },
        { "negative.npy", "negative" },
        { "rank3.npy", "rank3" },
        { "short-header.npy", "short-header" },
    };

    private byte[] Content(string name, string text) => name switch
    {
        "truncated.npy" => Npy("<f8", "(3, 2)", Doubles(6)[..^10]),
        "float32.npy" => Npy("<f4", "(3, 2)", new byte[24]),
        "absurd.npy" => Npy("<f8", "(4000000000, 4000000000)", Doubles(6)),
        "negative.npy" => Npy("<f8", "(-3, 2)", Doubles(6)),
        "rank3.npy" => Npy("<f8", "(1, 3, 2)", Doubles(6)),
        "short-header.npy" => [0x93, .. "NUMPY"u8.ToArray(), 1, 0, 0xff, 0, (byte)'{'],
        _ => Encoding.UTF8.GetBytes(text),
    };

    [Theory]
    [MemberData(nameof(Files))]
    public void A_malformed_cloud_is_one_line_naming_the_file_and_exit_2(string name, string text)
    {
        string bad = Write(name, Content(name, text));
        string good = Write("good.csv", "1,2\n3,4\n"u8.ToArray());
        var (code, _, error) = Run("ot", bad, good);
        Assert.True(code == 2, $"{name}: exit {code}: {error}");
        string line = error.TrimEnd();
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith("drift: ", line);
        Assert.Contains(name, line);
    }

    [Fact]
    public void A_semicolon_separated_file_is_told_that_fields_are_comma_separated()
    {
        string bad = Write("semi.csv", "1;2\n3;4\n"u8.ToArray());
        var (code, _, error) = Run("ot", bad, bad);
        Assert.Equal(2, code);
        Assert.Contains("separated by ','", error);
    }

    [Fact]
    public void A_directory_given_as_a_cloud_or_a_model_is_called_a_directory()
    {
        string dir = Directory.CreateDirectory(Path.Combine(_dir, "clouds.csv")).FullName;
        var (code, _, error) = Run("ot", dir, dir);
        Assert.Equal(2, code);
        Assert.Contains("is a directory", error);
        string modelDir = Directory.CreateDirectory(Path.Combine(_dir, "m.drift")).FullName;
        (code, _, error) = Run("simulate", modelDir, "--paths", "1");
        Assert.Equal(2, code);
        Assert.Contains("is a directory", error);
        (code, _, error) = Run("simulate", _dir, "--paths", "1");
        Assert.Equal(2, code);
        Assert.Contains("is a directory", error);
    }
}
