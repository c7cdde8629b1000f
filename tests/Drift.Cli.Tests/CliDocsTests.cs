using System.Text;

namespace Drift.Cli.Tests;

/// <summary>
/// docs/cli.md documents every command and option: its second half is generated from the help texts the commands print,
/// so it cannot fall out of step with them. <c>DRIFT_ACCEPT_DOCS=1 dotnet test --filter CliDocsTests</c> rewrites it.
/// </summary>
public sealed class CliDocsTests
{
    internal const string Marker = "<!-- Generated from the help texts by tests/Drift.Cli.Tests/CliDocsTests.cs: do not edit below this line. -->";

    /// <summary>Every command with options, in the order of the top-level help (<see cref="CliApp.Commands"/>).</summary>
    private static readonly string[][] Commands = [.. CliApp.Commands.Where(c => c.Options.Count > 0).Select(c => c.Words)];

    private static string Generated()
    {
        var text = new StringBuilder();
        text.Append("## drift\n\n```text\n").Append(Help("--help")).Append("```\n");
        foreach (string[] words in Commands)
            text.Append("\n## drift ").Append(string.Join(' ', words)).Append("\n\n```text\n").Append(Help([.. words, "--help"])).Append("```\n");
        return text.ToString();
    }

    private static string Help(params string[] args)
    {
        var stdout = new StringWriter();
        int code = CliApp.Run(args, stdout, new StringWriter());
        Assert.True(code == 0, $"{string.Join(' ', args)} exited {code}");
        return string.Join('\n', stdout.ToString().ReplaceLineEndings("\n").TrimEnd('\n').Split('\n').Select(l => l.TrimEnd())) + "\n";
    }

    [Fact]
    public void Docs_cli_md_lists_every_command_as_its_help_prints_it()
    {
        string path = CliHarness.RepositoryPath("docs", "cli.md");
        string current = File.ReadAllText(path).ReplaceLineEndings("\n");
        int at = current.IndexOf(Marker, StringComparison.Ordinal);
        Assert.True(at >= 0, $"docs/cli.md lost its marker line: {Marker}");
        string expected = current[..(at + Marker.Length)] + "\n\n" + Generated();
        if (Environment.GetEnvironmentVariable("DRIFT_ACCEPT_DOCS") == "1" && expected != current) File.WriteAllText(path, expected);
        else Assert.Equal(expected, current);
    }

    [Fact]
    public void Every_help_text_names_the_options_every_command_takes()
    {
        string usage = Help("--help");
        foreach (string option in new[] { "--quiet", "--verbose", "--provenance" }) Assert.Contains(option, usage);
        Assert.Contains("--shard", Help("price", "--help"));
        Assert.Contains("drift run SPEC.toml|SPEC.json", usage);
    }
}
