using System.Buffers.Binary;
using System.Globalization;
using Drift.Cli.Runs;
using Drift.IO;

namespace Drift.Cli.Output;

/// <summary>
/// The one way the tool writes an output file: atomically (<see cref="AtomicFile"/>), refused once an interrupt has
/// arrived (the write stops, its temporary file is deleted and nothing partial is left), recorded for the provenance
/// record, and named on stderr as <c>drift: wrote FILE (12.3 kB)</c> or, for a PNG, <c>(1500×500)</c>.
/// </summary>
internal static class OutputFile
{
    /// <summary>Writes <paramref name="path"/> as UTF-8 text (no BOM).</summary>
    public static void Write(string path, Action<TextWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        WriteBinary(path, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            write(writer);
        });
    }

    /// <summary>Writes <paramref name="path"/> as bytes.</summary>
    /// <exception cref="OperationCanceledException">The run was interrupted (before or during the write; nothing is left behind).</exception>
    public static void WriteBinary(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var token = RunContext.Current?.CancellationToken ?? CancellationToken.None;
        token.ThrowIfCancellationRequested();
        AtomicFile.WriteBinary(path, stream =>
        {
            if (!token.CanBeCanceled)
            {
                write(stream);
                return;
            }
            using var guarded = new InterruptibleStream(stream, token);
            write(guarded);
        });
        Announce(path);
    }

    /// <summary>
    /// Records a file the command wrote by other means (a library writer such as a state file or checkpoint) and, unless
    /// <paramref name="quietly"/> (the command names it itself), prints <c>drift: wrote FILE (size)</c>.
    /// </summary>
    public static void Announce(string path, bool quietly = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path == AtomicFile.StandardOutput || RunContext.Current is not { } context) return;
        context.AddOutput(path);
        if (!quietly) context.Messages.WriteLine(Describe(path) is { } what ? $"drift: wrote {path} ({what})" : $"drift: wrote {path}");
    }

    /// <summary>"1500×500" for a PNG (its IHDR width and height), the size for another regular file, null otherwise.</summary>
    internal static string? Describe(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) return null;
        if (info.Length >= 24 && path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
        {
            Span<byte> header = stackalloc byte[24];
            using (var s = info.OpenRead()) s.ReadExactly(header);
            if (header[1] == 'P' && header[2] == 'N' && header[3] == 'G')
                return string.Create(CultureInfo.InvariantCulture,
                    $"{BinaryPrimitives.ReadUInt32BigEndian(header[16..])}×{BinaryPrimitives.ReadUInt32BigEndian(header[20..])}");
        }
        return Size(info.Length);
    }

    /// <summary>A byte count in decimal units: "812 B", "12.3 kB", "4.5 MB", "1.2 GB".</summary>
    internal static string Size(long bytes) => bytes switch
    {
        < 1000 => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
        < 1_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e3:0.#} kB"),
        < 1_000_000_000 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e6:0.#} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1e9:0.#} GB"),
    };

    /// <summary>A write-only pass-through that throws <see cref="OperationCanceledException"/> on the first write after an interrupt.</summary>
    private sealed class InterruptibleStream(Stream inner, CancellationToken token) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            token.ThrowIfCancellationRequested();
            inner.Write(buffer, offset, count);
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            token.ThrowIfCancellationRequested();
            inner.Write(buffer);
        }
    }
}
