using Drift.IO;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;
using Drift.Learning.Autodiff;

namespace Drift.Learning.Checkpoints;

/// <summary>
/// Collects named tensors and metadata strings and writes them as one safetensors file (the Hugging Face
/// format; see <see cref="SafeTensorsFile"/>), laid out as the reference library lays it out.
/// </summary>
/// <remarks>
/// <para>Float tensors are stored as F32, double tensors as F64, integer arrays as I64, bit for bit
/// (NaN payloads, −0 and subnormals kept), little-endian and row-major.</para>
/// <para>Layout, byte for byte the reference writer's: tensors sorted by dtype, widest alignment first
/// (I64, then F64, then F32), then by name (ordinal over UTF-8 bytes), packed with no gaps from data
/// offset 0; the header is compact JSON, <c>__metadata__</c> first when there is any (its keys sorted
/// the same way), padded with spaces to a multiple of 8 bytes, so every tensor starts 8-byte aligned
/// in the file.</para>
/// <para>A tensor's elements are read when <see cref="Write(string)"/> or <see cref="Write(Stream)"/>
/// runs, not when it is added.</para>
/// </remarks>
public sealed class SafeTensorsWriter
{
    const string MetadataKey = "__metadata__";
    static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    readonly List<Entry> entries = [];
    readonly HashSet<string> names = new(StringComparer.Ordinal);
    readonly Dictionary<string, string> metadata = new(StringComparer.Ordinal);

    /// <summary>The number of tensors added.</summary>
    public int Count => entries.Count;

    /// <summary>Adds <paramref name="tensor"/> under <paramref name="name"/>: F32 for float, F64 for double.</summary>
    /// <returns>This writer, for chaining.</returns>
    /// <exception cref="ArgumentException">When the name is empty, "__metadata__", not valid Unicode, or already added.</exception>
    public SafeTensorsWriter Add<T>(string name, Tensor<T> tensor) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tensor);
        CheckName(name, nameof(name));
        entries.Add(new TensorEntry<T>(name, tensor));
        names.Add(name);
        return this;
    }

    /// <summary>Adds every tensor of <paramref name="tensors"/> under its <see cref="Tensor{T}.Name"/>, all or none.</summary>
    /// <remarks>The sequence is enumerated once, before anything is added: if enumeration throws, or any
    /// tensor fails a check, the writer is left as it was.</remarks>
    /// <returns>This writer, for chaining.</returns>
    /// <exception cref="ArgumentException">When a tensor has no name, or a name is invalid, repeated, or already added.</exception>
    public SafeTensorsWriter AddRange<T>(IEnumerable<Tensor<T>> tensors) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(tensors);
        var staged = new List<TensorEntry<T>>();
        var stagedNames = new HashSet<string>(StringComparer.Ordinal);
        int index = 0;
        foreach (var tensor in tensors)
        {
            if (tensor is null)
                throw new ArgumentException($"Tensor {index} of the sequence is null.", nameof(tensors));
            if (tensor.Name is null)
                throw new ArgumentException($"Tensor {index} of the sequence ({tensor}) has no Name to store it under.", nameof(tensors));
            CheckName(tensor.Name, nameof(tensors));
            if (!stagedNames.Add(tensor.Name))
                throw new ArgumentException($"The sequence holds two tensors named '{tensor.Name}'.", nameof(tensors));
            staged.Add(new TensorEntry<T>(tensor.Name, tensor));
            index++;
        }
        foreach (var entry in staged)
        {
            entries.Add(entry);
            names.Add(entry.Name);
        }
        return this;
    }

    /// <summary>Adds a copy of <paramref name="values"/> under <paramref name="name"/> as an I64 tensor of shape <paramref name="shape"/> (row-major).</summary>
    /// <returns>This writer, for chaining.</returns>
    /// <exception cref="ArgumentException">When the name is invalid or already added, an extent is negative, or the number of values is not Π shape.</exception>
    public SafeTensorsWriter Add(string name, ReadOnlySpan<long> values, ReadOnlySpan<int> shape)
    {
        CheckName(name, nameof(name));
        int n = ShapeRules.Count(shape, nameof(shape));
        if (n != values.Length)
            throw new ArgumentException($"{values.Length} values cannot fill shape {ShapeRules.Format(shape)} ({n} elements).", nameof(values));
        entries.Add(new Int64Entry(name, values.ToArray(), shape.ToArray()));
        names.Add(name);
        return this;
    }

    /// <summary>Adds a copy of <paramref name="values"/> under <paramref name="name"/> as a rank-1 I64 tensor.</summary>
    /// <returns>This writer, for chaining.</returns>
    /// <exception cref="ArgumentException">When the name is invalid or already added.</exception>
    public SafeTensorsWriter Add(string name, ReadOnlySpan<long> values) => Add(name, values, [values.Length]);

    /// <summary>Adds <paramref name="value"/> under <paramref name="name"/> as a rank-0 (scalar) I64 tensor, e.g. a step counter.</summary>
    /// <returns>This writer, for chaining.</returns>
    /// <exception cref="ArgumentException">When the name is invalid or already added.</exception>
    public SafeTensorsWriter Add(string name, long value) => Add(name, [value], []);

    /// <summary>Sets metadata string <paramref name="key"/> to <paramref name="value"/> (replacing an earlier value), stored in the header's <c>__metadata__</c>.</summary>
    /// <returns>This writer, for chaining.</returns>
    /// <exception cref="ArgumentException">When the key or value is not valid Unicode (a lone surrogate).</exception>
    public SafeTensorsWriter SetMetadata(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        CheckUnicode(key, nameof(key));
        CheckUnicode(value, nameof(value));
        metadata[key] = value;
        return this;
    }

    /// <summary>
    /// Writes the file to <paramref name="path"/> atomically: into a temporary file in the same directory,
    /// flushed to disk, then renamed over <paramref name="path"/>. A failure at any point leaves whatever was at
    /// <paramref name="path"/> untouched and removes the temporary file.
    /// </summary>
    /// <exception cref="ArgumentException">When <paramref name="path"/> is null, empty or ends in a directory separator.</exception>
    /// <exception cref="IOException">When the directory does not exist, <paramref name="path"/> is a directory, or the file cannot be written.</exception>
    /// <exception cref="UnauthorizedAccessException">When writing in the directory is not permitted.</exception>
    public void Write(string path) => Write(path, wrap: null);

    /// <summary>Writes the file to <paramref name="stream"/> from its current position (not atomic; the stream is left open).</summary>
    /// <exception cref="IOException">When the stream cannot be written.</exception>
    public void Write(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var ordered = entries
            .OrderByDescending(e => SafeTensorsDTypes.Rank(e.DType))
            .ThenBy(e => e.NameUtf8, Utf8Order.Instance)
            .ToList();
        byte[] header = Header(ordered);

        Span<byte> prefix = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.Length);
        stream.Write(prefix);
        stream.Write(header);
        foreach (var entry in ordered)
            entry.WriteData(stream);
        stream.Flush();
    }

    /// <summary><see cref="Write(string)"/>, with a test hook that wraps the file stream (to make writing fail midway).</summary>
    internal void Write(string path, Func<Stream, Stream>? wrap)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        AtomicFile.WriteBinary(path, file => Write(wrap is null ? file : wrap(file)));
    }

    byte[] Header(List<Entry> ordered)
    {
        // Compact JSON exactly as serde_json writes it, so the bytes match the reference writer.
        var json = new StringBuilder("{");
        bool first = true;
        if (metadata.Count > 0)
        {
            json.Append('"').Append(MetadataKey).Append("\":{");
            bool firstItem = true;
            foreach (var key in metadata.Keys.OrderBy(k => StrictUtf8.GetBytes(k), Utf8Order.Instance))
            {
                if (!firstItem) json.Append(',');
                AppendString(json, key).Append(':');
                AppendString(json, metadata[key]);
                firstItem = false;
            }
            json.Append('}');
            first = false;
        }
        long offset = 0;
        foreach (var entry in ordered)
        {
            if (!first) json.Append(',');
            first = false;
            AppendString(json, entry.Name).Append(":{\"dtype\":\"").Append(entry.DType).Append("\",\"shape\":[")
                .AppendJoin(',', entry.Shape).Append("],\"data_offsets\":[")
                .Append(offset).Append(',').Append(offset + entry.ByteLength).Append("]}");
            offset += entry.ByteLength;
        }
        json.Append('}');
        int length = StrictUtf8.GetByteCount(json.ToString());
        json.Append(' ', (8 - length % 8) % 8);
        return StrictUtf8.GetBytes(json.ToString());
    }

    /// <summary>Appends a JSON string literal escaped as serde_json escapes it (quote, backslash, control characters only).</summary>
    static StringBuilder AppendString(StringBuilder json, string value)
    {
        json.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\b': json.Append("\\b"); break;
                case '\t': json.Append("\\t"); break;
                case '\n': json.Append("\\n"); break;
                case '\f': json.Append("\\f"); break;
                case '\r': json.Append("\\r"); break;
                default:
                    if (c < 0x20) json.Append("\\u00").Append(((int)c).ToString("x2"));
                    else json.Append(c);
                    break;
            }
        }
        return json.Append('"');
    }

    void CheckName(string name, string parameter)
    {
        ArgumentNullException.ThrowIfNull(name, parameter);
        if (name.Length == 0)
            throw new ArgumentException("A tensor name cannot be empty.", parameter);
        if (name == MetadataKey)
            throw new ArgumentException($"'{MetadataKey}' is reserved for the metadata and cannot name a tensor.", parameter);
        CheckUnicode(name, parameter);
        if (names.Contains(name))
            throw new ArgumentException($"A tensor named '{name}' was already added.", parameter);
    }

    static void CheckUnicode(string text, string parameter)
    {
        try
        {
            StrictUtf8.GetByteCount(text);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"'{text}' is not valid Unicode (it has a lone surrogate), so it cannot be written as UTF-8.", parameter, e);
        }
    }

    abstract class Entry(string name, string dtype, int[] shape, long byteLength)
    {
        public string Name { get; } = name;
        public byte[] NameUtf8 { get; } = StrictUtf8.GetBytes(name);
        public string DType { get; } = dtype;
        public int[] Shape { get; } = shape;
        public long ByteLength { get; } = byteLength;
        public abstract void WriteData(Stream stream);

        /// <summary>Writes elements as little-endian bytes, byte-swapping through a scratch buffer on a big-endian machine.</summary>
        protected static void WriteLittleEndian<TElement>(Stream stream, ReadOnlySpan<TElement> values) where TElement : unmanaged
        {
            var bytes = MemoryMarshal.AsBytes(values);
            if (BitConverter.IsLittleEndian)
            {
                stream.Write(bytes);
                return;
            }
            int size = System.Runtime.CompilerServices.Unsafe.SizeOf<TElement>();
            var scratch = new byte[Math.Min(bytes.Length, 1 << 16)];
            for (int start = 0; start < bytes.Length; start += scratch.Length)
            {
                var chunk = scratch.AsSpan(0, Math.Min(scratch.Length, bytes.Length - start));
                bytes.Slice(start, chunk.Length).CopyTo(chunk);
                LittleEndian.Swap(chunk, size);
                stream.Write(chunk);
            }
        }
    }

    sealed class TensorEntry<T>(string name, Tensor<T> tensor)
        : Entry(name, SafeTensorsDTypes.Of<T>(), tensor.Shape.ToArray(), (long)tensor.Length * System.Runtime.CompilerServices.Unsafe.SizeOf<T>())
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        public override void WriteData(Stream stream) => WriteLittleEndian<T>(stream, tensor.Span);
    }

    sealed class Int64Entry(string name, long[] values, int[] shape)
        : Entry(name, SafeTensorsDTypes.I64, shape, 8L * values.Length)
    {
        public override void WriteData(Stream stream) => WriteLittleEndian<long>(stream, values);
    }

    /// <summary>Ordinal order over UTF-8 bytes, as Rust orders strings.</summary>
    sealed class Utf8Order : IComparer<byte[]>
    {
        public static readonly Utf8Order Instance = new();
        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
