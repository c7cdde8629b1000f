using Drift.Cli.Arguments;

namespace Drift.Cli.Completion;

/// <summary>
/// Shell completion: <c>drift completion bash|zsh|pwsh</c> prints a script that the shell sources; on each TAB the script
/// runs <c>drift __complete WORD...</c> with the words after <c>drift</c> up to the cursor (the last one, possibly empty,
/// is the word being completed), and drift prints the candidates, one a line, from the commands' option models
/// (<see cref="CommandSpec"/>): command and subcommand names, option names, the values of an option with choices
/// (solvers, samplers, schedules...) and the positional candidates a command declares (built-in model names).
/// Where nothing is offered (a file option), the scripts fall back to the shell's file names.
/// </summary>
internal static class ShellCompletion
{
    /// <summary>The shells a script is printed for.</summary>
    public static readonly string[] Shells = ["bash", "zsh", "pwsh"];

    /// <summary>The script for <paramref name="shell"/>.</summary>
    /// <exception cref="UsageException">An unknown shell.</exception>
    public static string Script(string shell) => shell switch
    {
        "bash" => """
            # drift completion for bash: source <(drift completion bash), or save it under ~/.local/share/bash-completion/completions/drift
            _drift_complete() {
                local IFS=$'\n'
                COMPREPLY=($(drift __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
            }
            complete -o default -F _drift_complete drift
            """,
        "zsh" => """
            #compdef drift
            # drift completion for zsh: source <(drift completion zsh), or save it as _drift in a directory on $fpath
            _drift() {
                local -a candidates
                candidates=("${(@f)$(drift __complete "${(@)words[2,CURRENT]}" 2>/dev/null)}")
                if (( ${#candidates} )) && [[ -n "${candidates[1]}" ]]; then
                    compadd -Q -a candidates
                else
                    _files
                fi
            }
            compdef _drift drift
            """,
        "pwsh" => """
            # drift completion for PowerShell: drift completion pwsh | Out-String | Invoke-Expression (e.g. in $PROFILE)
            Register-ArgumentCompleter -Native -CommandName drift -ScriptBlock {
                param($wordToComplete, $commandAst, $cursorPosition)
                $words = @($commandAst.CommandElements | Select-Object -Skip 1 | Where-Object { $_.Extent.EndOffset -le $cursorPosition } | ForEach-Object { $_.ToString() })
                if ($wordToComplete -eq '') { $words += '' }
                drift __complete @words 2>$null | ForEach-Object {
                    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
                }
            }
            """,
        _ => throw new UsageException($"completion takes one shell: bash, zsh or pwsh; got '{IO.Echo.Cut(shell)}'."),
    };

    /// <summary>
    /// The candidates for the last of <paramref name="words"/> (the words after <c>drift</c>; the last is the prefix being
    /// completed, possibly empty), among <paramref name="commands"/>; <paramref name="global"/> are the options every command takes.
    /// </summary>
    public static IEnumerable<string> Candidates(IReadOnlyList<CommandSpec> commands, IReadOnlyList<OptionSpec> global, IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(commands);
        ArgumentNullException.ThrowIfNull(global);
        ArgumentNullException.ThrowIfNull(words);
        string prefix = words.Count == 0 ? "" : words[^1];
        var before = words.Take(Math.Max(0, words.Count - 1)).ToArray();
        // The command: the declaration with the most words that start the line (diffuse sample before diffuse).
        var spec = commands.Where(c => c.Words.Length <= before.Length && c.Words.SequenceEqual(before.Take(c.Words.Length)))
            .MaxBy(c => c.Words.Length);
        IEnumerable<string> found;
        if (spec is null)
            found = before.Length == 0 ? commands.Select(c => c.Words[0]).Concat(["--help", "--version"]) : [];
        else if (before.Length > spec.Words.Length && Option(spec, global, before[^1]) is { IsFlag: false } option)
            found = option.Choices;
        else if (prefix.StartsWith("--", StringComparison.Ordinal) && prefix.IndexOf('=', StringComparison.Ordinal) is > 2 and var eq
            && Option(spec, global, prefix[..eq]) is { IsFlag: false } inline)
            found = inline.Choices.Select(c => prefix[..(eq + 1)] + c); // --solver=e: the values in the same word
        else if (prefix.StartsWith('-'))
            found = spec.Options.Concat(global).Select(o => "--" + o.Name).Append("--help");
        else
        {
            // Subcommands directly below the words typed so far (only right after them), then the declared positional words.
            var sub = before.Length == spec.Words.Length
                ? commands.Where(c => c.Words.Length == spec.Words.Length + 1 && c.Words.Take(spec.Words.Length).SequenceEqual(spec.Words)).Select(c => c.Words[^1])
                : [];
            found = sub.Concat(spec.Positional?.Invoke() ?? []);
        }
        return found.Where(c => c.StartsWith(prefix, StringComparison.Ordinal)).Distinct();
    }

    private static OptionSpec? Option(CommandSpec spec, IReadOnlyList<OptionSpec> global, string word) =>
        word.StartsWith("--", StringComparison.Ordinal) && !word.Contains('=', StringComparison.Ordinal)
            ? spec.Find(word[2..]) ?? global.FirstOrDefault(o => o.Name == word[2..])
            : null;
}
