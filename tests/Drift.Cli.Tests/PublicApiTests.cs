using System.Reflection;
using PublicApiGenerator;

namespace Drift.Cli.Tests;

/// <summary>
/// Tracks the public API of every shipped assembly (issue 18, "Packages"): the API text PublicApiGenerator writes for
/// each assembly must equal the approved copy committed under <c>api/</c>, so an accidental addition, removal or
/// signature change fails the build's tests. An intended change is approved by re-running these tests with
/// <c>DRIFT_ACCEPT_API=1</c>, which rewrites the files, and committing the diff (reviewers see the API change).
/// </summary>
public class PublicApiTests
{
    public static TheoryData<string> Assemblies() =>
        ["Drift", "Drift.Cli", "Drift.Generative", "Drift.Generative.Training", "Drift.Jumps", "Drift.Learning", "Drift.Learning.Onnx", "Drift.Sampling", "Drift.Transport"];

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void Public_api_equals_the_approved_file(string assemblyName)
    {
        var assembly = Assembly.Load(new AssemblyName(assemblyName));
        var actual = Normalise(assembly.GeneratePublicApi(new ApiGeneratorOptions { IncludeAssemblyAttributes = false }));
        var path = Path.Combine(RepositoryRoot(), "api", assemblyName + ".txt");
        if (Environment.GetEnvironmentVariable("DRIFT_ACCEPT_API") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }

        Assert.True(File.Exists(path), $"no approved API file {path}; run the tests with DRIFT_ACCEPT_API=1 and commit it");
        var approved = Normalise(File.ReadAllText(path));
        if (approved == actual)
            return;
        var a = approved.Split('\n');
        var b = actual.Split('\n');
        int line = 0;
        while (line < a.Length && line < b.Length && a[line] == b[line])
            line++;
        Assert.Fail($"the public API of {assemblyName} differs from {path} at line {line + 1}:\n" +
                    $"  approved: {(line < a.Length ? a[line].Trim() : "<end>")}\n  actual:   {(line < b.Length ? b[line].Trim() : "<end>")}\n" +
                    "If the change is intended, run the tests with DRIFT_ACCEPT_API=1 and commit the api/ diff.");
    }

    private static string Normalise(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd() + "\n";

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Drift.slnx")))
                return dir.FullName;
        throw new InvalidOperationException("Drift.slnx not found above " + AppContext.BaseDirectory);
    }
}
