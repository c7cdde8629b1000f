using Drift.Cli.Arguments;
using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

/// <summary>
/// Issue 18, the tool: each command's options are declared once (<see cref="CommandSpec"/>) and the parser
/// (System.CommandLine), the help text, shell completion and the provenance defaults come from that declaration. These
/// tests hold the model to the parser and the help, and pin the POSIX conventions, response files and completion.
/// </summary>
public sealed class CommandModelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("drift-model-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Commands() => [.. CliApp.Commands.Where(c => c.Options.Count > 0).Select(c => c.Name)];

    private static CommandSpec Spec(string name) => CliApp.Commands.Single(c => c.Name == name);

    [Theory]
    [MemberData(nameof(Commands))]
    public void Every_declared_option_is_parsed_and_listed_in_the_help_the_command_prints(string name)
    {
        var spec = Spec(name);
        Assert.Equal(spec.Options.Count, spec.Options.Select(o => o.Name).Distinct().Count());
        string help = Run([.. spec.Words, "--help"]).Out;
        Assert.Equal(spec.Help().TrimEnd(), help.TrimEnd());
        foreach (var option in spec.Options)
        {
            Assert.Matches("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", option.Name);
            Assert.Contains($"  --{option.Name}", help);
            // A choice the parser checks takes two of its choices; any other option two arbitrary words.
            var (v1, v2) = option.ParserChecksChoices ? (option.Choices[0], option.Choices[^1]) : ("v1", "v2");
            var reader = option.IsFlag ? spec.Parse(["--" + option.Name]) : spec.Parse(["--" + option.Name, v1, $"--{option.Name}={v2}"]);
            if (option.IsFlag) Assert.True(reader.Flag(option.Name));
            else Assert.Equal(option.Repeatable ? [v1, v2] : [v2], option.Repeatable ? reader.All(option.Name) : [reader.String(option.Name)!]);
        }
    }

    public static TheoryData<string, string> ChoiceOptions()
    {
        var data = new TheoryData<string, string>();
        foreach (var command in CliApp.Commands)
            foreach (var option in command.Options.Where(o => o.Kind == ValueKind.Choice)) data.Add(command.Name, option.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(ChoiceOptions))]
    public void A_choice_outside_the_declared_list_is_refused_by_the_parser_unless_the_declaration_says_why_the_command_checks_it(string command, string name)
    {
        var spec = Spec(command);
        var option = spec.Find(name)!;
        Assert.NotEmpty(option.Choices);
        Assert.Equal(option.Choices.Count, option.Choices.Distinct().Count());
        if (option.Default is { } d && !d.Contains(' ', StringComparison.Ordinal) && !d.Contains('\'', StringComparison.Ordinal)) Assert.Contains(d, option.Choices);
        foreach (string choice in option.Choices) Assert.Equal(choice, spec.Parse(["--" + name, choice]).String(name));
        if (option.CheckedByCommand is { } why)
        {
            // The command checks the value with its own message (aliases, any case, model-dependent names).
            Assert.False(string.IsNullOrWhiteSpace(why));
            Assert.False(option.ParserChecksChoices);
            Assert.Equal("NoSuchValue", spec.Parse(["--" + name, "NoSuchValue"]).String(name));
            return;
        }
        Assert.True(option.ParserChecksChoices);
        var e = Assert.Throws<UsageException>(() => spec.Parse(["--" + name, "NoSuchValue"]));
        Assert.StartsWith($"unknown --{name} 'NoSuchValue'; choose ", e.Message, StringComparison.Ordinal);
        Assert.All(option.Choices, c => Assert.Contains(c, e.Message, StringComparison.Ordinal));
        Assert.Throws<UsageException>(() => spec.Parse([$"--{name}={option.Choices[0].ToUpperInvariant()}x"]));
        // The last value wins, as for every option: an earlier, overridden value is not the one checked.
        Assert.Equal(option.Choices[0], spec.Parse(["--" + name, "NoSuchValue", "--" + name, option.Choices[0]]).String(name));
        Assert.Throws<UsageException>(() => spec.Parse(["--" + name, option.Choices[0], "--" + name, "NoSuchValue"]));
    }

    [Theory]
    [InlineData("unknown --payoff 'digital'; choose european, asian or geometric-asian.", "price", "--payoff", "digital")]
    [InlineData("unknown --solver 'lsoda'; choose tsit5, ", "solve", "lorenz63", "--solver", "lsoda")]
    [InlineData("unknown --grid 'cubic'; choose logsnr, uniform, quadratic or karras.", "diffuse", "sample", "--grid=cubic", "--target", "ring8")]
    [InlineData("unknown --method 'magic'; choose direct, nrm,", "ssa", "--method", "magic", "no-such-model.rn")]
    public void A_bad_choice_exits_2_before_the_command_runs_with_the_option_the_value_and_the_choices(string message, params string[] args)
    {
        var (code, output, err) = Run(args);
        Assert.Equal(CliApp.BadInput, code);
        Assert.Equal("", output);
        Assert.StartsWith("drift: " + message, err, StringComparison.Ordinal);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void The_top_level_help_is_generated_from_the_command_tree_and_lists_every_command()
    {
        var (code, help, _) = Run("--help");
        Assert.Equal(CliApp.Ok, code);
        Assert.Equal(CliApp.TopHelp(), help);
        foreach (var command in CliApp.Commands)
        {
            // A word that only groups subcommands (diffuse) has no usage and no summary; every command has both.
            if (command.Usage.Length == 0) { Assert.Null(command.Summary); continue; }
            Assert.False(string.IsNullOrWhiteSpace(command.Summary), $"drift {command.Name} has no one-line summary");
            Assert.DoesNotContain('\n', command.Summary);
            Assert.StartsWith(command.Name, command.Synopsis, StringComparison.Ordinal);
            Assert.Contains($"  drift {command.Synopsis}", help, StringComparison.Ordinal);
            Assert.Contains(command.Summary, help, StringComparison.Ordinal);
        }
        // Listed in the declared order, each once.
        var listed = help.Split('\n').Where(l => l.StartsWith("  drift ", StringComparison.Ordinal) && !l.StartsWith("  drift --", StringComparison.Ordinal)).ToList();
        Assert.Equal(CliApp.Commands.Where(c => c.Summary is not null).Select(c => "drift " + c.Synopsis),
            listed.Select(l => l.Trim()).Select(l => CliApp.Commands.Select(c => "drift " + c.Synopsis).Where(s => l.StartsWith(s, StringComparison.Ordinal)).MaxBy(s => s.Length)));
        Assert.Equal(help, Run("-h").Out);
        Assert.Equal(help, Run("help").Out);
    }

    [Fact]
    public void A_command_that_reads_an_undeclared_option_fails_loudly_and_the_declared_defaults_reach_the_reader()
    {
        var reader = Spec("simulate").Parse(["ou"]);
        Assert.Throws<InvalidOperationException>(() => reader.String("no-such-option"));
        Assert.Throws<InvalidOperationException>(() => reader.Flag("paths"));
        Assert.Null(reader.String("paths"));
        Assert.Equal("100000", reader.DefaultOf("paths"));
        Assert.Equal(["ou"], reader.Positional);
    }

    [Theory]
    [InlineData("unknown option --pathz.", "simulate", "--pathz", "3")]
    [InlineData("unknown option -x.", "simulate", "-x")]
    [InlineData("option --json takes no value.", "simulate", "--json=yes")]
    [InlineData("option --paths needs a value.", "simulate", "--paths")]
    [InlineData("option --sigma does not apply to this run of 'drift price'", "price", "heston", "--sigma", "0.3")]
    [InlineData("response file '/nonexistent/drift.rsp'", "@/nonexistent/drift.rsp")]
    public void Usage_errors_are_one_line_and_exit_2(string message, params string[] args)
    {
        var (code, _, err) = Run(args);
        Assert.Equal(CliApp.BadInput, code);
        Assert.Contains(message, err);
        Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void Response_files_equals_signs_and_double_dash_give_the_run_typed_out()
    {
        string rsp = Path.Combine(_dir, "ou.rsp");
        File.WriteAllText(rsp, "# a response file\nsimulate ou\n--paths 40 --steps=5\n--seed 3 --json\n");
        var typed = Run("simulate", "ou", "--paths", "40", "--steps", "5", "--seed", "3", "--json");
        Assert.Equal(0, typed.Code);
        var viaFile = Run("@" + rsp);
        Assert.Equal(0, viaFile.Code);
        Assert.Equal(Strip(typed.Out), Strip(viaFile.Out));
        var dashed = Run("simulate", "--paths=40", "--steps", "5", "--seed=3", "--json", "--", "ou");
        Assert.Equal(Strip(typed.Out), Strip(dashed.Out));
        // After '--' an option-like word is a positional word (here a model name that does not exist), not an option.
        var (code, _, err) = Run("simulate", "--paths", "4", "--", "--json");
        Assert.Equal(CliApp.BadInput, code);
        Assert.DoesNotContain("unknown option", err);

        static string Strip(string json) => string.Join('\n', json.Split('\n').Where(l => !l.Contains("econds", StringComparison.Ordinal) && !l.Contains("PerSecond", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("simulate", "sim")]
    [InlineData("--solver", "simulate", "--sol")]
    [InlineData("euler", "simulate", "--solver", "")]
    [InlineData("sra1", "simulate", "--solver", "s")]
    [InlineData("skencarp", "simulate", "--solver", "s")]
    [InlineData("implicit-euler", "simulate", "--solver", "impl")]
    [InlineData("radau", "solve", "--solver", "r")]
    [InlineData("duffing", "solve", "du")]
    [InlineData("--solver=euler", "simulate", "--solver=e")]
    [InlineData("rossler", "lyapunov", "ross")]
    [InlineData("lorenz", "simulate", "lor")]
    [InlineData("sample", "diffuse", "s")]
    [InlineData("ddim", "diffuse", "sample", "--sampler", "dd")]
    [InlineData("vp-cosine", "diffuse", "sample", "--schedule", "")]
    [InlineData("fit", "ssa", "f")]
    [InlineData("tau-leap", "ssa", "--method", "t")]
    [InlineData("nuts", "mcmc", "--sampler", "")]
    [InlineData("--provenance", "price", "--prov")]
    [InlineData("heston", "price", "")]
    [InlineData("zsh", "completion", "")]
    public void Completion_offers_commands_options_and_their_values(string expected, params string[] words)
    {
        var (code, output, _) = Run(["__complete", .. words]);
        Assert.Equal(0, code);
        var candidates = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(expected, candidates);
        Assert.All(candidates, c => Assert.StartsWith(words[^1], c, StringComparison.Ordinal));
    }

    [Fact]
    public void Completion_prints_a_script_per_shell_that_calls_back_into_drift()
    {
        Assert.Equal(["simulate"], Run("__complete", "sim").Out.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("", Run("__complete", "simulate", "--output", "").Out);
        foreach (string shell in new[] { "bash", "zsh", "pwsh" })
        {
            var (code, script, _) = Run("completion", shell);
            Assert.Equal(0, code);
            Assert.Contains("drift __complete", script);
        }
        Assert.Equal(CliApp.BadInput, Run("completion", "fish").Code);
        Assert.Contains("drift completion bash|zsh|pwsh", Run("--help").Out);
    }
}
