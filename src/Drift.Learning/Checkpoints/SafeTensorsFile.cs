using System.Buffers.Binary;
using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;
using Drift.Learning.Autodiff;

namespace Drift.Learning.Checkpoints;

/// <summary>
/// A safetensors file (the Hugging Face format) read into memory and checked: named tensors and
/// string metadata.
/// </summary>
/// <remarks>
/// <para>Layout: an unsigned 64-bit little-endian header length N, N bytes of UTF-8 JSON, then the data
/// section. The JSON object maps each tensor name to
/// <c>{"dtype": "F32", "shape": [2, 3], "data_offsets": [begin, end]}</c> (byte offsets into the data
/// section) and may hold <c>"__metadata__": {string: string}</c>. Data are little-endian, row-major.</para>
/// <para><see cref="Read"/> checks everything the reference library checks, and a little more: the header
/// fits in the file and is at most <see cref="MaxHeaderLength"/> bytes of valid UTF-8 holding a JSON object;
/// no name appears twice; every entry has a known dtype, a shape of non-negative integers and two
/// data_offsets with begin ≤ end; end − begin = Π shape × element size; sorted by offset, the tensors
/// tile the data section exactly, with no overlap, no hole and nothing after the last one. Any failure is an
/// <see cref="InvalidDataException"/> that names the file and, where one is to blame, the tensor.</para>
/// <para>The whole file is read at once and no handle stays open. Each getter returns new storage owned by
/// the caller. Sub-byte dtypes (F4, F6_*) are not supported, and one tensor may hold at most
/// <see cref="Array.MaxLength"/> bytes.</para>
/// </remarks>
public sealed class SafeTensorsFile
{
    /// <summary>The largest header accepted, in bytes (the reference library's limit, 100 MB).</summary>
    public const long MaxHeaderLength = 100_000_000;

    const string MetadataKey = "__metadata__";

    readonly Dictionary<string, (SafeTensorInfo Info, byte[] Data)> tensors;
    readonly ReadOnlyCollection<string> names;

    SafeTensorsFile(string filePath, Dictionary<string, string> metadata, List<(SafeTensorInfo Info, byte[] Data)> ordered)
    {
        FilePath = filePath;
        Metadata = new ReadOnlyDictionary<string, string>(metadata);
        tensors = new Dictionary<string, (SafeTensorInfo, byte[])>(ordered.Count, StringComparer.Ordinal);
        foreach (var entry in ordered) tensors.Add(entry.Info.Name, entry);
        names = ordered.Select(e => e.Info.Name).ToList().AsReadOnly();
    }

    /// <summary>The path the file was read from, as given to <see cref="Read"/>.</summary>
    public string FilePath { get; }

    /// <summary>The header's <c>__metadata__</c> strings; empty when the file has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The tensor names in file order (ascending data offset; ties by ordinal name).</summary>
    public IReadOnlyList<string> Names => names;

    /// <summary>The number of tensors.</summary>
    public int Count => names.Count;

    /// <summary>Whether the file holds a tensor called <paramref name="name"/> (ordinal, case-sensitive).</summary>
    public bool Contains(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return tensors.ContainsKey(name);
    }

    /// <summary>The dtype, shape and data offsets of tensor <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">When the file has no such tensor.</exception>
    public SafeTensorInfo Info(string name) => Find(name).Info;

    /// <summary>
    /// Tensor <paramref name="name"/> as a new <see cref="Tensor{T}"/> of its shape, bit for bit (NaN payloads,
    /// −0 and subnormals kept), with <see cref="Tensor{T}.Name"/> set to <paramref name="name"/>.
    /// </summary>
    /// <remarks>The stored dtype must be exactly the one for <typeparamref name="T"/> (F32 for float, F64 for
    /// double): no silent conversion. Use <see cref="GetAs{T}"/> to convert.</remarks>
    /// <exception cref="KeyNotFoundException">When the file has no such tensor.</exception>
    /// <exception cref="InvalidDataException">When the tensor's dtype is not the one for <typeparamref name="T"/>.</exception>
    public Tensor<T> Get<T>(string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (info, data) = Find(name);
        RequireDType(info, SafeTensorsDTypes.Of<T>(), $"Tensor<{typeof(T).Name}>", $" Use GetAs<{typeof(T).Name}> to convert it.");
        var values = new T[info.Length];
        DecodeLittleEndian(data, values.AsSpan());
        return Wrap(values, info);
    }

    /// <summary>
    /// Like <see cref="Get{T}"/>, but returns false instead of throwing when the file has no tensor called
    /// <paramref name="name"/>. A tensor of the wrong dtype still throws.
    /// </summary>
    /// <exception cref="InvalidDataException">When the tensor exists but its dtype is not the one for <typeparamref name="T"/>.</exception>
    public bool TryGet<T>(string name, [NotNullWhen(true)] out Tensor<T>? tensor) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(name);
        tensor = tensors.ContainsKey(name) ? Get<T>(name) : null;
        return tensor is not null;
    }

    /// <summary>
    /// Tensor <paramref name="name"/>, stored as F16, BF16, F32 or F64, converted to <typeparamref name="T"/>.
    /// </summary>
    /// <remarks>Widening (F16, BF16 or F32 to double; F16, BF16 to float) is exact. F64 to float rounds to
    /// nearest, even on ties; magnitudes beyond float's range become ±∞. A stored dtype equal to the one for
    /// <typeparamref name="T"/> is copied bit for bit as <see cref="Get{T}"/> does. NaN stays NaN.</remarks>
    /// <exception cref="KeyNotFoundException">When the file has no such tensor.</exception>
    /// <exception cref="InvalidDataException">When the tensor's dtype is not a floating-point one of these four.</exception>
    public Tensor<T> GetAs<T>(string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (info, data) = Find(name);
        var values = new T[info.Length];
        switch (info.DType)
        {
            case SafeTensorsDTypes.F32 when typeof(T) == typeof(float):
            case SafeTensorsDTypes.F64 when typeof(T) == typeof(double):
                DecodeLittleEndian(data, values.AsSpan());
                break;
            case SafeTensorsDTypes.F32:
                for (int i = 0; i < values.Length; i++)
                    values[i] = T.CreateTruncating(BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan(4 * i)));
                break;
            case SafeTensorsDTypes.F64:
                for (int i = 0; i < values.Length; i++)
                    values[i] = T.CreateTruncating(BinaryPrimitives.ReadDoubleLittleEndian(data.AsSpan(8 * i)));
                break;
            case SafeTensorsDTypes.F16:
                for (int i = 0; i < values.Length; i++)
                    values[i] = T.CreateTruncating(BinaryPrimitives.ReadHalfLittleEndian(data.AsSpan(2 * i)));
                break;
            case SafeTensorsDTypes.BF16:
                for (int i = 0; i < values.Length; i++)
                {
                    // bfloat16 is the high half of a float: widening is a shift, exact for every value and NaN payload.
                    uint bits = (uint)BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(2 * i)) << 16;
                    values[i] = T.CreateTruncating(BitConverter.UInt32BitsToSingle(bits));
                }
                break;
            default:
                throw new InvalidDataException(
                    $"safetensors file '{FilePath}': tensor '{info.Name}' is {info.DType}, which GetAs<{typeof(T).Name}> cannot convert (it converts F16, BF16, F32 and F64).");
        }
        return Wrap(values, info);
    }

    /// <summary>
    /// Copies tensor <paramref name="name"/> bit for bit into <paramref name="destination"/>, which must have
    /// the same shape, and the dtype must be the one for <typeparamref name="T"/> (F32 for float, F64 for double).
    /// </summary>
    /// <remarks>This is how a checkpoint is loaded into existing parameters; it writes through
    /// <see cref="Tensor{T}.Span"/>, so every view of the destination sees the new values. Nothing is
    /// written when a check fails.</remarks>
    /// <exception cref="KeyNotFoundException">When the file has no such tensor.</exception>
    /// <exception cref="InvalidDataException">When the dtype or the shape differ; the message names both shapes.</exception>
    public void CopyTo<T>(string name, Tensor<T> destination) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(destination);
        var (info, data) = Find(name);
        RequireDType(info, SafeTensorsDTypes.Of<T>(), $"a Tensor<{typeof(T).Name}> destination", "");
        if (!info.Shape.SequenceEqual(destination.Shape))
        {
            string target = destination.Name is null ? "the destination" : $"the destination '{destination.Name}'";
            throw new InvalidDataException(
                $"safetensors file '{FilePath}': tensor '{info.Name}' has shape {ShapeRules.Format(info.Shape)}, but {target} has shape {ShapeRules.Format(destination.Shape)}.");
        }
        DecodeLittleEndian(data, destination.Span);
    }

    /// <summary>Tensor <paramref name="name"/>, stored as I64, as its elements in row-major order (see <see cref="Info"/> for the shape).</summary>
    /// <exception cref="KeyNotFoundException">When the file has no such tensor.</exception>
    /// <exception cref="InvalidDataException">When the tensor is not I64.</exception>
    public long[] GetInt64(string name)
    {
        var (info, data) = Find(name);
        RequireDType(info, SafeTensorsDTypes.I64, "GetInt64", "");
        var values = new long[info.Length];
        DecodeLittleEndian(data, values.AsSpan());
        return values;
    }

    /// <summary>Tensor <paramref name="name"/>, stored as I32, as its elements in row-major order (see <see cref="Info"/> for the shape).</summary>
    /// <exception cref="KeyNotFoundException">When the file has no such tensor.</exception>
    /// <exception cref="InvalidDataException">When the tensor is not I32.</exception>
    public int[] GetInt32(string name)
    {
        var (info, data) = Find(name);
        RequireDType(info, SafeTensorsDTypes.I32, "GetInt32", "");
        var values = new int[info.Length];
        DecodeLittleEndian(data, values.AsSpan());
        return values;
    }

    /// <summary>Reads and checks the safetensors file at <paramref name="path"/> (see the remarks on <see cref="SafeTensorsFile"/>).</summary>
    /// <exception cref="ArgumentException">When <paramref name="path"/> is null or empty.</exception>
    /// <exception cref="InvalidDataException">When the file is not a well-formed safetensors file; the message says what is wrong and where.</exception>
    /// <exception cref="IOException">When the file cannot be opened or read (missing, locked, …).</exception>
    /// <exception cref="UnauthorizedAccessException">When the path is a directory or reading it is not permitted.</exception>
    public static SafeTensorsFile Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        long fileLength = stream.Length;
        if (fileLength < 8)
            throw Bad(path, $"it is {fileLength} bytes long, shorter than the 8-byte header length every safetensors file starts with.");

        Span<byte> prefix = stackalloc byte[8];
        ReadExactly(stream, path, prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderLength)
            throw Bad(path, $"its header length field says {headerLength} bytes, more than the {MaxHeaderLength}-byte limit: it is not a safetensors file, or its first 8 bytes are damaged.");
        if ((long)headerLength > fileLength - 8)
            throw Bad(path, $"its header length field says {headerLength} bytes, but only {fileLength - 8} bytes follow it: the header is cut short.");

        var header = new byte[headerLength];
        ReadExactly(stream, path, header);
        var (metadata, layout) = ParseHeader(path, header);

        long dataLength = fileLength - 8 - (long)headerLength;
        long covered = layout.Count == 0 ? 0 : layout[^1].DataEnd;
        if (covered > dataLength)
            throw Bad(path, $"tensor '{layout[^1].Name}' ends at data offset {covered}, but the data section after the {headerLength}-byte header holds only {dataLength} bytes: the data are cut short.");
        if (covered < dataLength)
            throw Bad(path, layout.Count == 0
                ? $"the header lists no tensors, but {dataLength} bytes of data follow it."
                : $"{dataLength - covered} bytes follow the end of the last tensor ('{layout[^1].Name}', data offset {covered}); the tensors must cover the data section exactly.");

        var ordered = new List<(SafeTensorInfo, byte[])>(layout.Count);
        foreach (var info in layout)
        {
            var data = new byte[info.DataEnd - info.DataBegin];
            ReadExactly(stream, path, data);
            ordered.Add((info, data));
        }
        return new SafeTensorsFile(path, metadata, ordered);
    }

    static (Dictionary<string, string> Metadata, List<SafeTensorInfo> Layout) ParseHeader(string path, byte[] header)
    {
        if (!Utf8.IsValid(header))
            throw Bad(path, "its header is not valid UTF-8.");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw Bad(path, $"its header is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Bad(path, $"its header is a JSON {Kind(root)}, not an object.");

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var layout = new List<SafeTensorInfo>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in root.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw Bad(path, $"its header names '{property.Name}' more than once.");
                if (property.Name == MetadataKey)
                    ParseMetadata(path, property.Value, metadata);
                else
                    layout.Add(ParseEntry(path, property.Name, property.Value));
            }

            layout.Sort((a, b) =>
            {
                int c = a.DataBegin.CompareTo(b.DataBegin);
                if (c == 0) c = a.DataEnd.CompareTo(b.DataEnd);
                return c != 0 ? c : string.CompareOrdinal(a.Name, b.Name);
            });
            long expected = 0;
            SafeTensorInfo? previous = null;
            foreach (var info in layout)
            {
                if (info.DataBegin < expected)
                    throw Bad(path, $"tensors '{previous!.Name}' (data_offsets [{previous.DataBegin}, {previous.DataEnd}]) and '{info.Name}' (data_offsets [{info.DataBegin}, {info.DataEnd}]) overlap.");
                if (info.DataBegin > expected)
                    throw Bad(path, previous is null
                        ? $"the first {info.DataBegin} bytes of the data section belong to no tensor (the first tensor, '{info.Name}', begins at data offset {info.DataBegin}, not 0)."
                        : $"the {info.DataBegin - expected} bytes between tensor '{previous.Name}' (ends at data offset {expected}) and tensor '{info.Name}' (begins at {info.DataBegin}) belong to no tensor.");
                expected = info.DataEnd;
                previous = info;
            }
            return (metadata, layout);
        }
    }

    static void ParseMetadata(string path, JsonElement value, Dictionary<string, string> metadata)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Bad(path, $"its \"{MetadataKey}\" is a JSON {Kind(value)}, not an object of strings.");
        foreach (var item in value.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw Bad(path, $"metadata entry '{item.Name}' is a JSON {Kind(item.Value)}, not a string.");
            if (!metadata.TryAdd(item.Name, item.Value.GetString()!))
                throw Bad(path, $"metadata entry '{item.Name}' appears more than once.");
        }
    }

    static SafeTensorInfo ParseEntry(string path, string name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw Bad(path, $"tensor '{name}' is described by a JSON {Kind(value)}, not an object with dtype, shape and data_offsets.");

        if (!value.TryGetProperty("dtype", out var dtypeElement))
            throw Bad(path, $"tensor '{name}' has no \"dtype\".");
        if (dtypeElement.ValueKind != JsonValueKind.String)
            throw Bad(path, $"tensor '{name}' has dtype {Excerpt(dtypeElement)}, not a string.");
        string dtype = dtypeElement.GetString()!;
        int elementSize = SafeTensorsDTypes.Size(dtype);
        if (elementSize == 0)
            throw Bad(path, $"tensor '{name}' has dtype '{dtype}', which is not one this reader knows ({SafeTensorsDTypes.List()}).");

        if (!value.TryGetProperty("shape", out var shapeElement))
            throw Bad(path, $"tensor '{name}' has no \"shape\".");
        var extents = NonNegativeIntegers(shapeElement)
            ?? throw Bad(path, $"tensor '{name}' has shape {Excerpt(shapeElement)}, not an array of non-negative integers.");

        if (!value.TryGetProperty("data_offsets", out var offsetsElement))
            throw Bad(path, $"tensor '{name}' has no \"data_offsets\".");
        var offsets = NonNegativeIntegers(offsetsElement);
        if (offsets is null || offsets.Count != 2)
            throw Bad(path, $"tensor '{name}' has data_offsets {Excerpt(offsetsElement)}, not two non-negative integers [begin, end].");
        long begin = offsets[0], end = offsets[1];
        if (end < begin)
            throw Bad(path, $"tensor '{name}' has data_offsets [{begin}, {end}], which end before they begin.");

        string shapeText = "[" + string.Join(", ", extents) + "]";
        long count = 1;
        foreach (long extent in extents)
        {
            if (extent != 0 && count > long.MaxValue / extent)
                throw Bad(path, $"tensor '{name}' has shape {shapeText}, whose element count overflows 64 bits.");
            count *= extent;
        }
        if (count > long.MaxValue / elementSize)
            throw Bad(path, $"tensor '{name}' has shape {shapeText}, whose byte size overflows 64 bits.");
        long bytes = count * elementSize;
        if (end - begin != bytes)
            throw Bad(path, $"tensor '{name}' has data_offsets [{begin}, {end}], {end - begin} bytes, but {dtype} of shape {shapeText} needs {count} × {elementSize} = {bytes} bytes.");
        if (bytes > Array.MaxLength || extents.Any(e => e > int.MaxValue))
            throw Bad(path, $"tensor '{name}' ({dtype} of shape {shapeText}, {bytes} bytes) is larger than one .NET array holds; this reader cannot load it.");

        return new SafeTensorInfo(name, dtype, elementSize, extents.Select(e => (int)e).ToArray(), (int)count, begin, end);
    }

    /// <summary>The elements of a JSON array of non-negative integers, or null when it is anything else.</summary>
    static List<long>? NonNegativeIntegers(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Array) return null;
        var result = new List<long>(element.GetArrayLength());
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long v) || v < 0) return null;
            result.Add(v);
        }
        return result;
    }

    static string Kind(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => "null",
    };

    static string Excerpt(JsonElement element)
    {
        string text = element.GetRawText();
        return text.Length <= 60 ? text : text[..57] + "...";
    }

    (SafeTensorInfo Info, byte[] Data) Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (tensors.TryGetValue(name, out var entry)) return entry;
        string known = names.Count == 0 ? "it holds no tensors"
            : names.Count <= 8 ? "it holds " + string.Join(", ", names.Select(n => $"'{n}'"))
            : $"it holds {names.Count} tensors, starting " + string.Join(", ", names.Take(8).Select(n => $"'{n}'"));
        throw new KeyNotFoundException($"safetensors file '{FilePath}' has no tensor '{name}' ({known}).");
    }

    void RequireDType(SafeTensorInfo info, string wanted, string reader, string hint)
    {
        if (info.DType != wanted)
            throw new InvalidDataException(
                $"safetensors file '{FilePath}': tensor '{info.Name}' is {info.DType}, but {reader} needs {wanted}.{hint}");
    }

    static Tensor<T> Wrap<T>(T[] values, SafeTensorInfo info) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var tensor = Tensor<T>.Wrap(values, info.Shape);
        tensor.Name = info.Name;
        return tensor;
    }

    /// <summary>Copies little-endian bytes into <paramref name="destination"/>, swapping bytes on a big-endian machine.</summary>
    static void DecodeLittleEndian<T>(ReadOnlySpan<byte> source, Span<T> destination) where T : unmanaged
    {
        var target = MemoryMarshal.AsBytes(destination);
        source.CopyTo(target);
        if (!BitConverter.IsLittleEndian) LittleEndian.Swap(target, Unsafe.SizeOf<T>());
    }

    static void ReadExactly(Stream stream, string path, Span<byte> buffer)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException e)
        {
            throw Bad(path, "it ended while being read (did it change on disk?).", e);
        }
    }

    static InvalidDataException Bad(string path, string problem, Exception? inner = null) =>
        new($"safetensors file '{path}': {problem}", inner);
}
