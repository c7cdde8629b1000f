using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Drift.Learning.Autodiff;
using Drift.Learning.Checkpoints;

namespace Drift.Learning.Tests.Checkpoints;

public sealed class SafeTensorsTests : IDisposable
{
    readonly string directory = Path.Combine(Path.GetTempPath(), "drift-safetensors-" + Guid.NewGuid().ToString("N"));

    public SafeTensorsTests() => Directory.CreateDirectory(directory);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    string PathOf(string name) => Path.Combine(directory, name);

    // ---- helpers that build files by hand, independently of the writer ----

    /// <summary>8-byte little-endian length, the header bytes, then the data bytes.</summary>
    static byte[] Build(string header, ReadOnlySpan<byte> data, ulong? declaredLength = null)
    {
        byte[] h = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + h.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, declaredLength ?? (ulong)h.Length);
        h.CopyTo(bytes, 8);
        data.CopyTo(bytes.AsSpan(8 + h.Length));
        return bytes;
    }

    static byte[] F32Bytes(params float[] values)
    {
        var bytes = new byte[4 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(4 * i), values[i]);
        return bytes;
    }

    static byte[] U16Bytes(params ushort[] values)
    {
        var bytes = new byte[2 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), values[i]);
        return bytes;
    }

    string WriteRaw(string name, byte[] bytes)
    {
        string path = PathOf(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    static float F(uint bits) => BitConverter.UInt32BitsToSingle(bits);
    static double D(ulong bits) => BitConverter.UInt64BitsToDouble(bits);

    static void AssertBitsEqual<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual) where T : unmanaged =>
        Assert.Equal(MemoryMarshal.AsBytes(expected).ToArray(), MemoryMarshal.AsBytes(actual).ToArray());

    /// <summary>Special values first (NaN payloads, −0, subnormals, extremes), then a deterministic pseudo-random fill.</summary>
    static float[] FloatValues(int n)
    {
        float[] special = [F(0x7FC12345), F(0xFFA00001), F(0x7F800001), -0f, 0f, float.Epsilon, F(0x807FFFFF), F(0x00400000),
                           float.MaxValue, float.MinValue, float.PositiveInfinity, float.NegativeInfinity, 1f, -1.5f];
        var values = new float[n];
        uint state = 12345;
        for (int i = 0; i < n; i++)
        {
            state = state * 1664525 + 1013904223;
            values[i] = i < special.Length ? special[i] : F(state);
        }
        return values;
    }

    static double[] DoubleValues(int n)
    {
        double[] special = [D(0x7FF8_0000_DEAD_BEEF), D(0xFFF0_0000_0000_0001), -0.0, 0.0, double.Epsilon, D(0x800F_FFFF_FFFF_FFFF),
                            double.MaxValue, double.MinValue, double.PositiveInfinity, double.NegativeInfinity, 0.1, -1e-300];
        var values = new double[n];
        ulong state = 987654321;
        for (int i = 0; i < n; i++)
        {
            state = state * 6364136223846793005UL + 1442695040888963407UL;
            values[i] = i < special.Length ? special[i] : D(state);
        }
        return values;
    }

    public static TheoryData<int[]> Shapes => new()
    {
        Array.Empty<int>(), new[] { 7 }, new[] { 3, 5 }, new[] { 2, 1, 4 }, new[] { 2, 3, 1, 4 }, new[] { 0 }, new[] { 3, 0, 2 },
    };

    static int Count(int[] shape) => shape.Aggregate(1, (a, b) => a * b);

    // ---- round trips ----

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float_tensors_of_every_rank_round_trip_bit_for_bit(int[] shape)
    {
        var values = FloatValues(Count(shape));
        string path = PathOf("f32.safetensors");
        new SafeTensorsWriter().Add("t", Tensor<float>.Wrap(values, shape)).Write(path);

        var file = SafeTensorsFile.Read(path);
        var info = file.Info("t");
        Assert.Equal("F32", info.DType);
        Assert.Equal(shape, info.Shape.ToArray());
        var back = file.Get<float>("t");
        Assert.Equal(shape, back.Shape.ToArray());
        Assert.Equal("t", back.Name);
        AssertBitsEqual<float>(values, back.Span);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Double_tensors_of_every_rank_round_trip_bit_for_bit(int[] shape)
    {
        var values = DoubleValues(Count(shape));
        string path = PathOf("f64.safetensors");
        new SafeTensorsWriter().Add("t", Tensor<double>.Wrap(values, shape)).Write(path);

        var file = SafeTensorsFile.Read(path);
        Assert.Equal("F64", file.Info("t").DType);
        var back = file.Get<double>("t");
        Assert.Equal(shape, back.Shape.ToArray());
        AssertBitsEqual<double>(values, back.Span);
    }

    [Fact]
    public void Mixed_float_double_and_int64_entries_round_trip_together()
    {
        string path = PathOf("mixed.safetensors");
        var w = Tensor<float>.Wrap(FloatValues(6), 2, 3);
        var v = Tensor<double>.Wrap(DoubleValues(4), 4);
        new SafeTensorsWriter()
            .Add("layer.weight", w)
            .Add("velocity", v)
            .Add("step", 1234567890123L)
            .Add("labels", [3L, -1L, long.MaxValue, long.MinValue], [2, 2])
            .Write(path);

        var file = SafeTensorsFile.Read(path);
        Assert.Equal(4, file.Count);
        AssertBitsEqual<float>(w.Span, file.Get<float>("layer.weight").Span);
        AssertBitsEqual<double>(v.Span, file.Get<double>("velocity").Span);
        Assert.Equal([1234567890123L], file.GetInt64("step"));
        Assert.Empty(file.Info("step").Shape.ToArray());
        Assert.Equal([3L, -1L, long.MaxValue, long.MinValue], file.GetInt64("labels"));
        Assert.Equal([2, 2], file.Info("labels").Shape.ToArray());
    }

    [Fact]
    public void Metadata_and_names_with_escapes_and_non_ascii_round_trip()
    {
        string path = PathOf("meta.safetensors");
        string odd = "quote\" backslash\\ newline\n tab\t bell\u0007 del\u007f é ✓ 😀 </script>";
        new SafeTensorsWriter()
            .SetMetadata("format", "pt")
            .SetMetadata("note", odd)
            .SetMetadata(odd, "")
            .SetMetadata("format", "drift") // replaces
            .Add(odd, Tensor<float>.Wrap([1f], 1))
            .Write(path);

        var file = SafeTensorsFile.Read(path);
        Assert.Equal(3, file.Metadata.Count);
        Assert.Equal("drift", file.Metadata["format"]);
        Assert.Equal(odd, file.Metadata["note"]);
        Assert.Equal("", file.Metadata[odd]);
        Assert.Equal([odd], file.Names);
        Assert.Equal(1f, file.Get<float>(odd)[0]);
    }

    [Fact]
    public void A_file_without_metadata_has_an_empty_metadata_dictionary_and_no_metadata_key()
    {
        string path = PathOf("nometa.safetensors");
        new SafeTensorsWriter().Add("a", Tensor<float>.Wrap([1f], 1)).Write(path);
        Assert.Empty(SafeTensorsFile.Read(path).Metadata);
        Assert.DoesNotContain("__metadata__", Encoding.UTF8.GetString(File.ReadAllBytes(path)));
    }

    [Fact]
    public void Header_is_padded_with_spaces_to_a_multiple_of_8_so_every_tensor_is_8_byte_aligned()
    {
        for (int nameLength = 1; nameLength <= 16; nameLength++)
        {
            string path = PathOf($"align{nameLength}.safetensors");
            new SafeTensorsWriter()
                .Add(new string('n', nameLength), Tensor<float>.Wrap([1f, 2f, 3f], 3))
                .Add(new string('m', nameLength), Tensor<double>.Wrap([4.0], 1))
                .Add("s", 9L)
                .Write(path);
            var bytes = File.ReadAllBytes(path);
            ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            Assert.Equal(0UL, n % 8);
            string header = Encoding.UTF8.GetString(bytes, 8, (int)n);
            string trimmed = header.TrimEnd(' ');
            Assert.EndsWith("}", trimmed);
            Assert.True(header.Length - trimmed.Length < 8);

            var file = SafeTensorsFile.Read(path);
            foreach (string name in file.Names)
            {
                var info = file.Info(name);
                Assert.Equal(0, (8 + (long)n + info.DataBegin) % info.ElementSize);
            }
        }
    }

    // ---- golden bytes ----

    [Fact]
    public void Golden_one_f32_tensor_file_is_read_and_written_byte_for_byte()
    {
        // {"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}} is 54 bytes; 2 spaces pad it to 56.
        const string header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}  ";
        Assert.Equal(56, header.Length);
        byte[] expected =
        [
            56, 0, 0, 0, 0, 0, 0, 0,
            .. Encoding.ASCII.GetBytes(header),
            0x00, 0x00, 0x80, 0x3F, // 1.0f
            0x00, 0x00, 0x00, 0x40, // 2.0f
        ];

        var file = SafeTensorsFile.Read(WriteRaw("golden.safetensors", expected));
        Assert.Equal(["a"], file.Names);
        Assert.Equal([1f, 2f], file.Get<float>("a").ToArray());

        string path = PathOf("written.safetensors");
        new SafeTensorsWriter().Add("a", Tensor<float>.Wrap([1f, 2f], 2)).Write(path);
        Assert.Equal(expected, File.ReadAllBytes(path));
    }

    [Fact]
    public void Writer_matches_the_reference_libraries_own_test_vectors()
    {
        // The reference library's serialization tests: F32 [0..5] named "attn.0" with shape [1,2,3] (64-byte header,
        // no padding), named "attn0" with shape [1,1,2,3] (65 bytes, padded to 72), no tensors (padded "{}"), and
        // no tensors with metadata {"framework": "pt"} (35 bytes padded to 40).
        byte[] data = F32Bytes(0, 1, 2, 3, 4, 5);
        var vectors = new[]
        {
            Serialize(new SafeTensorsWriter().Add("attn.0", Tensor<float>.Wrap([0f, 1, 2, 3, 4, 5], 1, 2, 3))),
            Serialize(new SafeTensorsWriter().Add("attn0", Tensor<float>.Wrap([0f, 1, 2, 3, 4, 5], 1, 1, 2, 3))),
            Serialize(new SafeTensorsWriter()),
            Serialize(new SafeTensorsWriter().SetMetadata("framework", "pt")),
        };
        Assert.Equal([64, 72, 8, 40], vectors.Select(v => (int)v[0]));
        Assert.Equal(
            Build("{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}", data),
            Serialize(new SafeTensorsWriter().Add("attn.0", Tensor<float>.Wrap([0f, 1, 2, 3, 4, 5], 1, 2, 3))));
        Assert.Equal(
            Build("{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}       ", data),
            Serialize(new SafeTensorsWriter().Add("attn0", Tensor<float>.Wrap([0f, 1, 2, 3, 4, 5], 1, 1, 2, 3))));
        Assert.Equal(Build("{}      ", []), Serialize(new SafeTensorsWriter()));
        Assert.Equal(
            Build("{\"__metadata__\":{\"framework\":\"pt\"}}     ", []),
            Serialize(new SafeTensorsWriter().SetMetadata("framework", "pt")));
    }

    [Fact]
    public void Writer_orders_by_dtype_alignment_then_name_with_metadata_first()
    {
        // Reference order: I64 before F64 before F32 (descending dtype), names ascending within a dtype; metadata keys sorted.
        var bytes = Serialize(new SafeTensorsWriter()
            .Add("c", Tensor<float>.Wrap([3f], 1))
            .Add("a", Tensor<float>.Wrap([1f], 1))
            .Add("b", Tensor<double>.Wrap([2.0], 1))
            .Add("step", 7L)
            .SetMetadata("z", "1")
            .SetMetadata("y", "2"));
        string json = "{\"__metadata__\":{\"y\":\"2\",\"z\":\"1\"},"
            + "\"step\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]},"
            + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[16,20]},"
            + "\"c\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[20,24]}}";
        json += new string(' ', (8 - json.Length % 8) % 8);
        var data = new byte[24];
        BinaryPrimitives.WriteInt64LittleEndian(data, 7);
        BinaryPrimitives.WriteDoubleLittleEndian(data.AsSpan(8), 2.0);
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(16), 1f);
        BinaryPrimitives.WriteSingleLittleEndian(data.AsSpan(20), 3f);
        Assert.Equal(Build(json, data), bytes);
    }

    static byte[] Serialize(SafeTensorsWriter writer)
    {
        using var stream = new MemoryStream();
        writer.Write(stream);
        return stream.ToArray();
    }

    [Fact]
    public void Reader_accepts_any_entry_order_in_the_header_and_lists_names_by_offset()
    {
        string header = "{\"second\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},"
            + "\"__metadata__\":{\"k\":\"v\"},"
            + "\"first\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";
        var file = SafeTensorsFile.Read(WriteRaw("order.safetensors", Build(header, F32Bytes(10, 20))));
        Assert.Equal(["first", "second"], file.Names);
        Assert.Equal(10f, file.Get<float>("first")[0]);
        Assert.Equal(20f, file.Get<float>("second")[0]);
        Assert.Equal("v", file.Metadata["k"]);
    }

    [Fact]
    public void Reads_a_file_written_by_the_torch_reference_script()
    {
        // Data/mlp_after20_f32.safetensors comes from bench/compare/mlp_torch_reference.py (a hand-written Python
        // writer); the expected numbers below were read from it with Python's struct module.
        var file = SafeTensorsFile.Read(Path.Combine(AppContext.BaseDirectory, "Data", "mlp_after20_f32.safetensors"));
        Assert.Equal(
            ["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias", "layers.2.weight", "layers.2.bias",
             "layers.3.weight", "layers.3.bias", "losses"],
            file.Names);
        Assert.Equal("20", file.Metadata["steps"]);
        Assert.Equal([128, 18], file.Info("layers.0.weight").Shape.ToArray());

        var w0 = file.Get<float>("layers.0.weight");
        Assert.Equal(0x3C99060Cu, BitConverter.SingleToUInt32Bits(w0.Span[0]));
        Assert.Equal(0x3E09EF30u, BitConverter.SingleToUInt32Bits(w0.Span[^1]));
        var b3 = file.Get<float>("layers.3.bias");
        Assert.Equal([0xBD72E5CCu, 0x3C48E3B9u], b3.ToArray().Select(BitConverter.SingleToUInt32Bits).ToArray());
        var losses = file.Get<float>("losses");
        Assert.Equal(20, losses.Length);
        Assert.Equal(0x3ED9F66Cu, BitConverter.SingleToUInt32Bits(losses.Span[0]));
        Assert.Equal(0x3DEBB8F9u, BitConverter.SingleToUInt32Bits(losses.Span[^1]));
        double sum = file.Get<float>("layers.1.weight").ToArray().Sum(x => (double)x);
        Assert.Equal(19.394629779790193, sum, 1e-9);
    }

    // ---- typed access ----

    [Fact]
    public void Get_refuses_a_dtype_mismatch_naming_the_tensor_and_both_dtypes()
    {
        string path = PathOf("f64.safetensors");
        new SafeTensorsWriter().Add("weights", Tensor<double>.Wrap([1.0], 1)).Add("n", 3L).Write(path);
        var file = SafeTensorsFile.Read(path);

        var e = Assert.Throws<InvalidDataException>(() => file.Get<float>("weights"));
        Assert.Contains("'weights'", e.Message);
        Assert.Contains("F64", e.Message);
        Assert.Contains("F32", e.Message);
        Assert.Contains(path, e.Message);

        e = Assert.Throws<InvalidDataException>(() => file.GetInt64("weights"));
        Assert.Contains("I64", e.Message);
        e = Assert.Throws<InvalidDataException>(() => file.Get<double>("n"));
        Assert.Contains("'n'", e.Message);
        Assert.Contains("I64", e.Message);
        e = Assert.Throws<InvalidDataException>(() => file.GetAs<double>("n"));
        Assert.Contains("I64", e.Message);
        e = Assert.Throws<InvalidDataException>(() => file.GetInt32("n"));
        Assert.Contains("I32", e.Message);
        Assert.Throws<InvalidDataException>(() => file.TryGet<float>("weights", out _));
    }

    [Fact]
    public void A_missing_name_throws_KeyNotFound_listing_what_the_file_holds_and_TryGet_returns_false()
    {
        string path = PathOf("a.safetensors");
        new SafeTensorsWriter().Add("alpha", Tensor<float>.Wrap([1f], 1)).Write(path);
        var file = SafeTensorsFile.Read(path);

        var e = Assert.Throws<KeyNotFoundException>(() => file.Get<float>("beta"));
        Assert.Contains("'beta'", e.Message);
        Assert.Contains("'alpha'", e.Message);
        Assert.False(file.Contains("beta"));
        Assert.False(file.TryGet<float>("beta", out var missing));
        Assert.Null(missing);
        Assert.True(file.TryGet<float>("alpha", out var found));
        Assert.Equal(1f, found[0]);
    }

    [Fact]
    public void GetAs_converts_F16_BF16_F32_and_F64_exactly_or_by_rounding_to_nearest()
    {
        // F16: 1, −2, 65504 (largest), 2^−24 (smallest subnormal), +∞, NaN. BF16: 1, −3, 2^−133 (subnormal), −0.
        byte[] half = U16Bytes(0x3C00, 0xC000, 0x7BFF, 0x0001, 0x7C00, 0x7E00);
        byte[] bf16 = U16Bytes(0x3F80, 0xC040, 0x0001, 0x8000);
        byte[] f32 = F32Bytes(0.1f, -0f);
        var f64 = new byte[16];
        BinaryPrimitives.WriteDoubleLittleEndian(f64, 0.1);
        BinaryPrimitives.WriteDoubleLittleEndian(f64.AsSpan(8), 1e300);
        string header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[6],\"data_offsets\":[0,12]},"
            + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2,2],\"data_offsets\":[12,20]},"
            + "\"s\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[20,28]},"
            + "\"d\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[28,44]}}";
        var file = SafeTensorsFile.Read(WriteRaw("conv.safetensors", Build(header, [.. half, .. bf16, .. f32, .. f64])));

        var h = file.GetAs<float>("h").ToArray();
        Assert.Equal([1f, -2f, 65504f, MathF.Pow(2, -24), float.PositiveInfinity], h[..5]);
        Assert.True(float.IsNaN(h[5]));
        Assert.Equal([1.0, -2.0, 65504.0, Math.Pow(2, -24), double.PositiveInfinity], file.GetAs<double>("h").ToArray()[..5]);

        var b = file.GetAs<float>("b");
        Assert.Equal([2, 2], b.Shape.ToArray());
        Assert.Equal([0x3F800000u, 0xC0400000u, 0x00010000u, 0x80000000u], b.ToArray().Select(BitConverter.SingleToUInt32Bits).ToArray());
        Assert.Equal(Math.Pow(2, -133), file.GetAs<double>("b")[2]);

        Assert.Equal((double)0.1f, file.GetAs<double>("s")[0]);
        Assert.Equal(0x80000000u, BitConverter.SingleToUInt32Bits(file.GetAs<float>("s")[1]));
        Assert.Equal(0.1f, file.GetAs<float>("d")[0]);
        Assert.Equal(float.PositiveInfinity, file.GetAs<float>("d")[1]);
        Assert.Equal(0.1, file.GetAs<double>("d")[0]);

        Assert.Throws<InvalidDataException>(() => file.Get<float>("h"));
    }

    [Fact]
    public void GetInt32_reads_I32_tensors()
    {
        var data = new byte[12];
        BinaryPrimitives.WriteInt32LittleEndian(data, -5);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(4), int.MaxValue);
        BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(8), 0);
        var file = SafeTensorsFile.Read(WriteRaw("i32.safetensors", Build("{\"y\":{\"dtype\":\"I32\",\"shape\":[3],\"data_offsets\":[0,12]}}", data)));
        Assert.Equal([-5, int.MaxValue, 0], file.GetInt32("y"));
    }

    [Fact]
    public void Other_known_dtypes_are_described_by_Info()
    {
        string header = "{\"mask\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[0,3]},"
            + "\"img\":{\"dtype\":\"U8\",\"shape\":[1,5],\"data_offsets\":[3,8]}}";
        var file = SafeTensorsFile.Read(WriteRaw("other.safetensors", Build(header, [1, 0, 1, 9, 8, 7, 6, 5])));
        Assert.Equal("BOOL", file.Info("mask").DType);
        Assert.Equal(1, file.Info("img").ElementSize);
        Assert.Equal(5, file.Info("img").Length);
        Assert.Equal("img: U8[1, 5]", file.Info("img").ToString());
    }

    [Fact]
    public void CopyTo_fills_an_existing_tensor_and_refuses_a_shape_mismatch_naming_both_shapes()
    {
        string path = PathOf("copy.safetensors");
        var values = FloatValues(6);
        new SafeTensorsWriter().Add("w", Tensor<float>.Wrap(values, 2, 3)).Write(path);
        var file = SafeTensorsFile.Read(path);

        var destination = Tensor<float>.Zeros(2, 3);
        var view = destination.Reshape(6);
        file.CopyTo("w", destination);
        AssertBitsEqual<float>(values, destination.Span);
        AssertBitsEqual<float>(values, view.Span);

        var wrong = Tensor<float>.Zeros(3, 2);
        wrong.Name = "layer.weight";
        var e = Assert.Throws<InvalidDataException>(() => file.CopyTo("w", wrong));
        Assert.Contains("[2, 3]", e.Message);
        Assert.Contains("[3, 2]", e.Message);
        Assert.Contains("'w'", e.Message);
        Assert.Contains("'layer.weight'", e.Message);
        Assert.All(wrong.ToArray(), x => Assert.Equal(0f, x));

        var e2 = Assert.Throws<InvalidDataException>(() => file.CopyTo("w", Tensor<double>.Zeros(2, 3)));
        Assert.Contains("F32", e2.Message);
        Assert.Contains("F64", e2.Message);
    }

    // ---- malformed files ----

    const string OneTensor = "{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    void AssertInvalid(byte[] bytes, params string[] fragments)
    {
        string path = WriteRaw("bad.safetensors", bytes);
        var e = Assert.Throws<InvalidDataException>(() => SafeTensorsFile.Read(path));
        Assert.Contains(path, e.Message);
        foreach (string fragment in fragments)
            Assert.Contains(fragment, e.Message);
    }

    [Fact]
    public void A_file_shorter_than_8_bytes_is_invalid()
    {
        AssertInvalid([], "0 bytes long");
        AssertInvalid([8, 0, 0, 0, 0, 0, 0], "7 bytes long");
    }

    [Fact]
    public void A_huge_header_length_is_invalid()
    {
        AssertInvalid(Build("{}", [], declaredLength: 100_000_001), "100000001", "limit");
        AssertInvalid(Build("{}", [], declaredLength: ulong.MaxValue), "limit");
        AssertInvalid(Encoding.ASCII.GetBytes("not a safetensors file at all"), "limit");
    }

    [Fact]
    public void A_header_cut_short_is_invalid()
    {
        var full = Build(OneTensor, F32Bytes(1, 2));
        AssertInvalid(full[..20], "header", "cut short");
        AssertInvalid(Build("{}", [], declaredLength: 3), "header", "cut short");
    }

    [Fact]
    public void Data_cut_short_or_offsets_beyond_the_data_are_invalid()
    {
        var full = Build(OneTensor, F32Bytes(1, 2));
        AssertInvalid(full[..^4], "'x'", "ends at data offset 8", "only 4 bytes", "cut short");
        AssertInvalid(Build("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", F32Bytes(1, 2)), "'x'", "first 8 bytes");
    }

    [Fact]
    public void Bytes_after_the_last_tensor_are_invalid()
    {
        AssertInvalid(Build(OneTensor, [.. F32Bytes(1, 2), 0]), "1 bytes follow", "'x'");
        AssertInvalid(Build("{}", [0, 0]), "no tensors", "2 bytes");
    }

    [Fact]
    public void A_header_that_is_not_a_json_object_is_invalid()
    {
        AssertInvalid(Build("{\"x\":{\"dtype\":", F32Bytes(1, 2)), "not valid JSON");
        AssertInvalid(Build("{\"x\":1,}", []), "not valid JSON");
        AssertInvalid(Build("[1, 2]", []), "array, not an object");
        AssertInvalid(Build("", []), "not valid JSON");
        AssertInvalid([.. Build("{\"\"}", [])[..9], 0xFF, .. Encoding.ASCII.GetBytes("\":1}")], "UTF-8");
    }

    [Fact]
    public void Entries_missing_a_field_or_of_the_wrong_kind_are_invalid()
    {
        AssertInvalid(Build("{\"x\":{\"shape\":[2],\"data_offsets\":[0,8]}}", F32Bytes(1, 2)), "'x'", "no \"dtype\"");
        AssertInvalid(Build("{\"x\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}", F32Bytes(1, 2)), "'x'", "no \"shape\"");
        AssertInvalid(Build("{\"x\":{\"dtype\":\"F32\",\"shape\":[2]}}", F32Bytes(1, 2)), "'x'", "no \"data_offsets\"");
        AssertInvalid(Build("{\"x\":[1]}", []), "'x'", "array, not an object");
        AssertInvalid(Build("{\"x\":{\"dtype\":4,\"shape\":[2],\"data_offsets\":[0,8]}}", F32Bytes(1, 2)), "'x'", "not a string");
        AssertInvalid(Build("{\"x\":{\"dtype\":\"F32\",\"shape\":[-2],\"data_offsets\":[0,8]}}", F32Bytes(1, 2)), "'x'", "[-2]", "non-negative integers");
        AssertInvalid(Build("{\"x\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,8]}}", F32Bytes(1, 2)), "'x'", "non-negative integers");
        AssertInvalid(Build("{\"x\":{\"dtype\":\"F32\",\"shape\":2,\"data_offsets\":[0,8]}}", F32Bytes(1, 2)), "'x'", "non-negative integers");
        AssertInvalid(Build("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0]}}", F32Bytes(1, 2)), "'x'", "two non-negative integers");
        AssertInvalid(Build("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8,8]}}", F32Bytes(1, 2)), "'x'", "two non-negative integers");
        AssertInvalid(Build("{\"__metadata__\":{\"k\":1}}", []), "metadata entry 'k'", "not a string");
        AssertInvalid(Build("{\"__metadata__\":[]}", []), "__metadata__", "array");
    }

    [Fact]
    public void An_unknown_dtype_is_invalid()
    {
        AssertInvalid(Build("{\"x\":{\"dtype\":\"F128\",\"shape\":[2],\"data_offsets\":[0,8]}}", F32Bytes(1, 2)), "'x'", "'F128'", "F32");
        AssertInvalid(Build("{\"x\":{\"dtype\":\"f32\",\"shape\":[2],\"data_offsets\":[0,8]}}", F32Bytes(1, 2)), "'x'", "'f32'");
    }

    [Fact]
    public void A_byte_size_that_disagrees_with_shape_and_dtype_is_invalid()
    {
        AssertInvalid(Build("{\"x\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", F32Bytes(1, 2)), "'x'", "8 bytes", "3 × 4 = 12");
        AssertInvalid(Build("{\"x\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,8]}}", F32Bytes(1, 2)), "'x'", "2 × 8 = 16");
        AssertInvalid(Build("{\"x\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}", F32Bytes(1, 2)), "'x'", "overflows");
    }

    [Fact]
    public void Overlapping_offsets_are_invalid_and_name_both_tensors()
    {
        string header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}";
        AssertInvalid(Build(header, F32Bytes(1, 2, 3)), "'a'", "'b'", "overlap");
        string same = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
        AssertInvalid(Build(same, F32Bytes(1, 2)), "'a'", "'b'", "overlap");
    }

    [Fact]
    public void A_hole_between_tensors_is_invalid_and_names_both_tensors()
    {
        string header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
            + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
        AssertInvalid(Build(header, F32Bytes(1, 2, 3)), "4 bytes between", "'a'", "'b'", "belong to no tensor");
    }

    [Fact]
    public void Offsets_that_end_before_they_begin_are_invalid()
    {
        AssertInvalid(Build("{\"x\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", F32Bytes(1, 2)), "'x'", "[8, 0]", "end before they begin");
    }

    [Fact]
    public void A_name_given_twice_is_invalid()
    {
        string header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
            + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
        AssertInvalid(Build(header, F32Bytes(1, 2)), "'a'", "more than once");
    }

    [Fact]
    public void Empty_tensors_and_an_empty_file_are_valid()
    {
        string header = "{\"e\":{\"dtype\":\"F32\",\"shape\":[0,3],\"data_offsets\":[0,0]},"
            + "\"x\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
            + "\"z\":{\"dtype\":\"F64\",\"shape\":[0],\"data_offsets\":[4,4]}}";
        var file = SafeTensorsFile.Read(WriteRaw("empty.safetensors", Build(header, F32Bytes(5))));
        Assert.Equal(["e", "x", "z"], file.Names);
        Assert.Equal([0, 3], file.Get<float>("e").Shape.ToArray());
        Assert.Equal(0, file.Get<double>("z").Length);

        Assert.Equal(0, SafeTensorsFile.Read(WriteRaw("none.safetensors", Build("{}", []))).Count);
    }

    // ---- writer checks and atomicity ----

    [Fact]
    public void Writer_refuses_duplicate_empty_and_reserved_names()
    {
        var writer = new SafeTensorsWriter().Add("a", Tensor<float>.Wrap([1f], 1));
        var e = Assert.Throws<ArgumentException>(() => writer.Add("a", Tensor<double>.Wrap([1.0], 1)));
        Assert.Contains("'a'", e.Message);
        Assert.Throws<ArgumentException>(() => writer.Add("a", 5L));
        Assert.Throws<ArgumentException>(() => writer.Add("", Tensor<float>.Wrap([1f], 1)));
        Assert.Throws<ArgumentException>(() => writer.Add("__metadata__", Tensor<float>.Wrap([1f], 1)));
        Assert.Throws<ArgumentException>(() => writer.Add("bad\uD800", Tensor<float>.Wrap([1f], 1)));
        Assert.Throws<ArgumentException>(() => writer.Add("n", [1L, 2L, 3L], [2, 2]));
        Assert.Equal(1, writer.Count);
    }

    [Fact]
    public void AddRange_stores_tensors_under_their_names_all_or_none()
    {
        var a = Tensor<float>.Wrap([1f], 1);
        a.Name = "a";
        var b = Tensor<float>.Wrap([2f], 1);
        b.Name = "b";
        var nameless = Tensor<float>.Wrap([3f], 1);
        var writer = new SafeTensorsWriter();

        Assert.Throws<ArgumentException>(() => writer.AddRange([a, nameless]));
        Assert.Throws<ArgumentException>(() => writer.AddRange([a, b, a]));
        Assert.Throws<InvalidOperationException>(() => writer.AddRange(Throwing(a, b)));
        Assert.Equal(0, writer.Count);

        writer.AddRange([a, b]);
        Assert.Throws<ArgumentException>(() => writer.AddRange([b]));
        string path = PathOf("range.safetensors");
        writer.Write(path);
        Assert.Equal(["a", "b"], SafeTensorsFile.Read(path).Names);
    }

    static IEnumerable<Tensor<float>> Throwing(params Tensor<float>[] tensors)
    {
        foreach (var t in tensors) yield return t;
        throw new InvalidOperationException("enumeration failed");
    }

    [Fact]
    public void A_write_that_fails_midway_leaves_the_old_file_untouched_and_no_temporary_file()
    {
        string path = PathOf("model.safetensors");
        byte[] old = [1, 2, 3, 4];
        File.WriteAllBytes(path, old);
        var writer = new SafeTensorsWriter().Add("w", Tensor<float>.Wrap(FloatValues(1000), 1000));

        var e = Assert.Throws<IOException>(() => writer.Write(path, file => new FailingStream(file, failAfter: 200)));
        Assert.Contains("simulated", e.Message);
        Assert.Equal(old, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(directory));

        // A failed enumeration never reaches the disk either.
        var named = Tensor<float>.Wrap([1f], 1);
        named.Name = "named";
        Assert.Throws<InvalidOperationException>(() => new SafeTensorsWriter().AddRange(Throwing(named)).Write(path));
        Assert.Equal(old, File.ReadAllBytes(path));

        // Writing over a directory fails at the rename and still cleans up.
        string dir = PathOf("taken");
        Directory.CreateDirectory(dir);
        Assert.ThrowsAny<IOException>(() => writer.Write(dir));
        Assert.Equal([path], Directory.GetFiles(directory));

        writer.Write(path);
        Assert.Equal([path], Directory.GetFiles(directory));
        AssertBitsEqual<float>(FloatValues(1000), SafeTensorsFile.Read(path).Get<float>("w").Span);
    }

    [Fact]
    public void Tensor_elements_are_read_when_the_file_is_written()
    {
        var t = Tensor<float>.Wrap([1f, 2f], 2);
        var writer = new SafeTensorsWriter().Add("t", t);
        t.Span[0] = 42f;
        string path = PathOf("late.safetensors");
        writer.Write(path);
        Assert.Equal([42f, 2f], SafeTensorsFile.Read(path).Get<float>("t").ToArray());
    }

    sealed class FailingStream(Stream inner, int failAfter) : Stream
    {
        int written;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => written; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer)
        {
            if (written + buffer.Length > failAfter)
            {
                inner.Write(buffer[..(failAfter - written)]);
                inner.Flush();
                written = failAfter;
                throw new IOException("disk full (simulated)");
            }
            inner.Write(buffer);
            written += buffer.Length;
        }
    }
}
