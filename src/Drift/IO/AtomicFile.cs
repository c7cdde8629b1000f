namespace Drift.IO;

/// <summary>
/// Writes a file through a temporary sibling, flushed to disk and then renamed over the target, so a
/// crash or an exception never leaves half a file: the target holds either its old content or the
/// complete new one. The one writer every assembly uses for its outputs.
/// </summary>
public static class AtomicFile
{
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
    /// Writes <paramref name="path"/> as bytes with <paramref name="write"/>: into a uniquely named temporary
    /// file in the same directory, flushed to disk, then renamed over the path. On any failure the temporary
    /// file is removed, whatever was at the path is untouched, and the original exception propagates.
    /// </summary>
    /// <exception cref="ArgumentException">When the path is empty or names a directory.</exception>
    /// <exception cref="IOException">When the directory does not exist or the file cannot be written.</exception>
    public static void WriteBinary(string path, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string fileName = Path.GetFileName(full);
        if (fileName.Length == 0) throw new ArgumentException($"'{path}' names a directory, not a file.", nameof(path));
        string directory = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(directory)) throw new IOException($"cannot write '{path}': directory '{directory}' does not exist.");
        string temporary = Path.Combine(directory, $".{fileName}.{Guid.NewGuid():N}.tmp");
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
}
