using System.Diagnostics;
using Drift.IO;

namespace Drift.Tests.IO;

/// <summary>
/// The one output writer: atomic replacement for regular files only, symbolic links followed, FIFOs and devices
/// written straight through (never replaced), and directories refused up front (issue 18).
/// </summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("drift-atomic-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static bool Test(string flag, string path)
    {
        using var p = Process.Start(new ProcessStartInfo("test", [flag, path]))!;
        p.WaitForExit();
        return p.ExitCode == 0;
    }

    [Fact]
    public void RegularFileIsReplacedAndNoTemporaryFileIsLeft()
    {
        string file = Path.Combine(_dir, "out.csv");
        File.WriteAllText(file, "old");
        AtomicFile.Write(file, w => w.Write("new"));
        Assert.Equal("new", File.ReadAllText(file));
        Assert.Equal([file], Directory.GetFiles(_dir));
    }

    [Fact]
    public void SymbolicLinkIsFollowedNotReplaced()
    {
        string target = Path.Combine(_dir, "target.csv"), link = Path.Combine(_dir, "link.csv");
        File.WriteAllText(target, "old");
        File.CreateSymbolicLink(link, target);
        AtomicFile.Write(link, w => w.Write("new"));
        Assert.Equal(target, new FileInfo(link).LinkTarget);
        Assert.Equal("new", File.ReadAllText(target));
        Assert.Equal(2, Directory.GetFileSystemEntries(_dir).Length);
    }

    [Fact]
    public void DanglingSymbolicLinkCreatesItsTarget()
    {
        string target = Path.Combine(_dir, "new.csv"), link = Path.Combine(_dir, "link.csv");
        File.CreateSymbolicLink(link, target);
        AtomicFile.Write(link, w => w.Write("x"));
        Assert.Equal(target, new FileInfo(link).LinkTarget);
        Assert.Equal("x", File.ReadAllText(target));
    }

    [Fact]
    public async Task FifoIsWrittenStraightThroughAndStaysAFifo()
    {
        string fifo = Path.Combine(_dir, "pipe");
        using (var p = Process.Start(new ProcessStartInfo("mkfifo", [fifo]))!) p.WaitForExit();
        Assert.True(Test("-p", fifo));
        var reader = Task.Run(() => File.ReadAllText(fifo));
        AtomicFile.Write(fifo, w => w.Write("through the pipe"));
        Assert.Equal("through the pipe", await reader.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(Test("-p", fifo));
        Assert.Single(Directory.GetFileSystemEntries(_dir));

        // Through a symbolic link (as /dev/stdout links to a pipe): the FIFO is written, link and FIFO stay.
        string link = Path.Combine(_dir, "link");
        File.CreateSymbolicLink(link, fifo);
        var second = Task.Run(() => File.ReadAllText(fifo));
        AtomicFile.Write(link, w => w.Write("via the link"));
        Assert.Equal("via the link", await second.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(Test("-p", fifo));
        Assert.True(Test("-L", link));
        Assert.Equal(2, Directory.GetFileSystemEntries(_dir).Length);
    }

    [Fact]
    public void CharacterDeviceIsWrittenNotReplaced()
    {
        AtomicFile.Write("/dev/null", w => w.Write("discarded"));
        Assert.True(Test("-c", "/dev/null"));
        // /dev/full accepts the open and fails the write: the failure surfaces, the device stays.
        Assert.Throws<IOException>(() => AtomicFile.WriteBinary("/dev/full", s => s.Write(new byte[1 << 17])));
        Assert.True(Test("-c", "/dev/full"));
    }

    [Fact]
    public void DirectoryIsRefusedUpFrontWithItsName()
    {
        var e = Assert.Throws<IOException>(() => AtomicFile.CheckTarget(_dir));
        Assert.Contains("is a directory", e.Message);
        Assert.Contains(_dir, e.Message);
        Assert.Throws<IOException>(() => AtomicFile.Write(_dir, w => w.Write("x")));
        string link = Path.Combine(_dir, "dirlink");
        Directory.CreateSymbolicLink(link, Path.GetTempPath());
        Assert.Contains("is a directory", Assert.Throws<IOException>(() => AtomicFile.CheckTarget(link)).Message);
        var missing = Assert.Throws<IOException>(() => AtomicFile.CheckTarget(Path.Combine(_dir, "no", "such.csv")));
        Assert.Contains("does not exist", missing.Message);
        AtomicFile.CheckTarget(Path.Combine(_dir, "fresh.csv"));
        AtomicFile.CheckTarget("-");
        Assert.Single(Directory.GetFileSystemEntries(_dir));
    }
}
