using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Drift.IO;

/// <summary>
/// The one container of Drift's shard state files (ensembles, jump ensembles, MCMC chains, diffusion samples): a
/// signature naming the kind, a format version, a UTF-8 JSON header, a binary payload and a SHA-256 checksum, so every
/// kind is versioned, checksummed and refused for the same reasons with the same messages.
/// </summary>
/// <remarks>
/// Layout (little-endian): 8 ASCII signature bytes; uint32 format version; uint32 header length H; H header bytes;
/// uint64 payload length L; L payload bytes; the SHA-256 of every preceding byte (32 bytes). <see cref="Unpack"/>
/// checks the signature, the version, that the lengths fit the file exactly and the checksum, in that order.
/// </remarks>
public static class StateFile
{
    /// <summary>The bytes of a state file.</summary>
    /// <exception cref="ArgumentException">The signature is not 8 bytes.</exception>
    public static byte[] Pack(ReadOnlySpan<byte> signature, int version, ReadOnlySpan<byte> header, ReadOnlySpan<byte> payload)
    {
        if (signature.Length != 8) throw new ArgumentException($"a state file signature has 8 bytes, got {signature.Length}.", nameof(signature));
        var bytes = new byte[16 + header.Length + 8 + payload.Length + 32];
        signature.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(8), (uint)version);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(12), (uint)header.Length);
        header.CopyTo(bytes.AsSpan(16));
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(16 + header.Length), (ulong)payload.Length);
        payload.CopyTo(bytes.AsSpan(24 + header.Length));
        int body = bytes.Length - 32;
        SHA256.HashData(bytes.AsSpan(0, body), bytes.AsSpan(body));
        return bytes;
    }

    /// <summary>Whether <paramref name="bytes"/> start with <paramref name="signature"/>.</summary>
    public static bool HasSignature(ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> signature) =>
        bytes.Length >= signature.Length && bytes[..signature.Length].SequenceEqual(signature);

    /// <summary>Whether the file at <paramref name="path"/> starts with <paramref name="signature"/> (false when it cannot be read).</summary>
    public static bool FileHasSignature(string path, ReadOnlySpan<byte> signature)
    {
        try
        {
            using var s = File.OpenRead(path);
            Span<byte> head = stackalloc byte[8];
            return s.ReadAtLeast(head, 8, throwOnEndOfStream: false) == 8 && head.SequenceEqual(signature);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return false;
        }
    }

    /// <summary>The header and payload of a state file's bytes, after every check of the layout and the checksum.</summary>
    /// <param name="bytes">The file's bytes.</param>
    /// <param name="source">The file's name, for messages.</param>
    /// <param name="signature">The kind's 8-byte signature.</param>
    /// <param name="version">The format version this Drift reads.</param>
    /// <param name="kind">The kind in words ("Drift state file"), for messages.</param>
    /// <exception cref="InvalidDataException">Wrong signature or version, truncated, extended or corrupted bytes; the message names the file and the reason.</exception>
    public static (byte[] Header, byte[] Payload) Unpack(ReadOnlySpan<byte> bytes, string source, ReadOnlySpan<byte> signature, int version, string kind)
    {
        ArgumentNullException.ThrowIfNull(source);
        InvalidDataException Bad(string why) => new($"'{source}' {why}");
        string sig = System.Text.Encoding.ASCII.GetString(signature);
        if (!HasSignature(bytes, signature))
            throw Bad(bytes.Length < signature.Length && signature[..bytes.Length].SequenceEqual(bytes)
                ? $"is truncated: {bytes.Length} bytes, not even the 8-byte signature." : $"is not a {kind} (no {sig} signature).");
        if (bytes.Length < 16) throw Bad($"is truncated: {bytes.Length} bytes, shorter than the 16-byte preamble.");
        uint found = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
        if (found != version) throw Bad($"has {kind} format version {found}; this Drift reads version {version}.");
        ulong headerLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes[12..]);
        ulong expected = 16 + headerLength + 8;
        if ((ulong)bytes.Length < expected) throw Bad($"is truncated: {bytes.Length} bytes, but its header alone needs {expected}.");
        ulong payloadLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes[(int)(16 + headerLength)..]);
        if (payloadLength > (ulong)bytes.Length) throw Bad($"is truncated or corrupted: it claims a payload of {payloadLength} bytes but has {bytes.Length} in all.");
        expected += payloadLength + 32;
        if ((ulong)bytes.Length < expected) throw Bad($"is truncated: {bytes.Length} bytes, but its lengths promise {expected}.");
        if ((ulong)bytes.Length > expected) throw Bad($"has {(ulong)bytes.Length - expected} unexpected bytes after its checksum.");
        int body = bytes.Length - 32;
        if (!SHA256.HashData(bytes[..body]).AsSpan().SequenceEqual(bytes[body..]))
            throw Bad("is corrupted: its SHA-256 checksum does not match its contents.");
        return (bytes.Slice(16, (int)headerLength).ToArray(), bytes.Slice((int)(16 + headerLength + 8), (int)payloadLength).ToArray());
    }

    /// <summary>Reads a state file's bytes, refusing a directory or a missing file with a message naming it.</summary>
    /// <exception cref="InvalidDataException">The path is a directory.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public static byte[] ReadBytes(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path)) throw new InvalidDataException($"'{path}' is a directory, not a Drift state file.");
        return File.ReadAllBytes(path);
    }
}
