using System.Runtime.InteropServices;

namespace Drift.IO;

/// <summary>
/// Writes an output file so that a crash or an exception never leaves half a file. A regular file (or a path
/// that does not exist yet) is written through a temporary sibling, flushed to disk and renamed over the target,
/// so the target holds either its old content or the complete new one. A symbolic link is followed and its final
/// target is written the same way (the link itself stays). A FIFO, a character or block device or a socket is
/// written straight through, never replaced (so <c>/dev/null</c> or a named pipe work as outputs), and the
/// path <c>-</c> means standard output, also written straight through. An existing directory is refused.
/// The one writer every assembly uses for its outputs.
/// </summary>
public static class AtomicFile
{
    /// <summary>The path that names standard output rather than a file.</summary>
    public const string StandardOutput = "-";

    /// <summary>Writes <paramref name="path"/> as text with <paramref name="write"/> (UTF-8, no BOM).</summary>
    /// <exception cref="ArgumentException">When the path is empty or names a directory.</exception>
    /// <exception cref="IOException">When the directory does not exist or the file cannot be written.</exception>
    public static void Write(string path, Action<TextWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        WriteBinary(path, stream =>
        {
            using var writer = new StreamWriter(stream, leaveOpen: true);
            write(writer);
        });
    }

    /// <summary>
    /// Checks, without writing anything, that <paramref name="path"/> can be an output: <c>-</c>, an existing
    /// non-directory (after following symbolic links), or a new name in an existing directory. Callers run it
    /// on every output path before a long computation so that a bad path fails at once.
    /// </summary>
    /// <exception cref="ArgumentException">When the path is empty.</exception>
    /// <exception cref="IOException">When the path is a directory or its directory does not exist; the message names both.</exception>
    public static void CheckTarget(string path) => Resolve(path);

    /// <summary>
    /// Writes <paramref name="path"/> as bytes with <paramref name="write"/>. For a regular or new file: into a
    /// uniquely named temporary file in the same directory, flushed to disk, then renamed over the path; on any
    /// failure the temporary file is removed, whatever was at the path is untouched, and the original exception
    /// propagates. Symbolic links are followed to their final target. FIFOs, devices, sockets and <c>-</c>
    /// (standard output) are written straight through, since they cannot be replaced atomically.
    /// </summary>
    /// <exception cref="ArgumentException">When the path is empty.</exception>
    /// <exception cref="IOException">When the path is a directory, the directory does not exist or the file cannot be written.</exception>
    public static void WriteBinary(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var (full, kind) = Resolve(path);
        if (kind == TargetKind.StandardOutput)
        {
            using var stdout = Console.OpenStandardOutput();
            write(stdout);
            stdout.Flush();
            return;
        }
        if (kind == TargetKind.Special)
        {
            using var stream = new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1 << 16);
            write(stream);
            stream.Flush();
            return;
        }
        string directory = Path.GetDirectoryName(full)!;
        string temporary = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(file);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(temporary); }
            catch (IOException) { /* the original failure is the one worth reporting */ }
            catch (UnauthorizedAccessException) { /* likewise */ }
            throw;
        }
    }

    private enum TargetKind { StandardOutput, RegularOrNew, Special }

    /// <summary>The full path to write (symbolic links followed) and how to write it; throws for a bad target.</summary>
    private static (string Full, TargetKind Kind) Resolve(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path == StandardOutput) return (path, TargetKind.StandardOutput);
        string full = Path.GetFullPath(path);
        if (Path.GetFileName(full).Length == 0 || Directory.Exists(full))
            throw new IOException($"cannot write '{path}': it is a directory; give a file name.");
        string parent = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(parent)) throw new IOException($"cannot write '{path}': directory '{parent}' does not exist.");
        int? mode = StatMode(full);
        // An existing non-regular file (links followed: /dev/stdout -> /proc/self/fd/1 -> a pipe) is opened by its own
        // path, since the final link target of a pipe or socket need not be a path at all.
        if (mode is { } m && (m & 0xF000) != 0x8000) return (full, TargetKind.Special);
        // A regular file or a new name: a link (also a dangling one) is replaced at its final target, so the link stays.
        if (new FileInfo(full).LinkTarget is not null && File.ResolveLinkTarget(full, returnFinalTarget: true) is { } target)
        {
            full = target.FullName;
            string targetParent = Path.GetDirectoryName(full) ?? ".";
            if (!Directory.Exists(targetParent)) throw new IOException($"cannot write '{path}': it links to '{full}', whose directory does not exist.");
        }
        return (full, TargetKind.RegularOrNew);
    }

    /// <summary>
    /// The POSIX mode of an existing path, links followed, or null when it does not exist (or on Windows, or if the
    /// shim cannot be called: every file then counts as regular, the old behaviour). .NET exposes no file type, so
    /// on Unix this asks the runtime's own native shim (<c>SystemNative_Stat</c> in libSystem.Native, shipped with
    /// every .NET runtime), whose status record starts with two 32-bit fields, flags and the mode; the type is
    /// <c>mode &amp; S_IFMT (0xF000)</c>, regular files being <c>S_IFREG = 0x8000</c>.
    /// </summary>
    private static int? StatMode(string full)
    {
        if (OperatingSystem.IsWindows()) return null;
        try
        {
            Span<byte> status = stackalloc byte[512];
            if (SystemNativeStat(full, ref MemoryMarshal.GetReference(status)) != 0) return null;
            return BitConverter.ToInt32(status[4..8]);
        }
        catch (DllNotFoundException) { return null; }
        catch (EntryPointNotFoundException) { return null; }
    }

    [DllImport("libSystem.Native", EntryPoint = "SystemNative_Stat", CharSet = CharSet.Ansi, SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int SystemNativeStat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, ref byte status);
}
