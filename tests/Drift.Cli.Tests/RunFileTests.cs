using System.Text.Json.Nodes;
using static Drift.Cli.Tests.CliHarness;

namespace Drift.Cli.Tests;

/// <summary>Issue 18: <c>drift run SPEC.toml|SPEC.json</c> runs the command the file describes, and errors name the file, key and line.</summary>
public sealed class RunFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("drift-runfile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static string WithoutTiming(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node.Remove("seconds");
        node.Remove("pathStepsPerSecond");
        return node.ToJsonString();
    }

    [Fact]
    public void A_toml_and_a_json_run_file_print_what_the_typed_command_prints()
    {
        var (code, typed, err) = Run("simulate", "ou", "--paths", "300", "--steps", "10", "--seed", "7", "--x0", "0.5", "--param", "theta=2", "--param", "sigma=0.3", "--json");
        Assert.True(code == 0, err);
        string toml = Write("spec.toml", """
            # an OU ensemble
            command = "simulate"
            positional = ["ou"]

            [options]
            paths = 300
            steps = 10
            seed = 7
            x0 = 0.5
            param = ["theta=2", "sigma=0.3"]
            json = true
            no-progress = false
            """);
        var (tomlCode, fromToml, tomlErr) = Run("run", toml);
        Assert.True(tomlCode == 0, tomlErr);
        Assert.Equal(WithoutTiming(typed), WithoutTiming(fromToml));

        string json = Write("spec.json", """
            { "command": "simulate", "positional": ["ou"],
              "options": { "paths": 300, "steps": 10, "seed": 7, "x0": 0.5, "param": ["theta=2", "sigma=0.3"], "json": true } }
            """);
        var (jsonCode, fromJson, jsonErr) = Run("run", json);
        Assert.True(jsonCode == 0, jsonErr);
        Assert.Equal(WithoutTiming(typed), WithoutTiming(fromJson));
    }

    [Fact]
    public void Unknown_and_bad_options_are_refused_with_the_file_key_and_line()
    {
        string toml = Write("bad.toml", "command = \"simulate\"\n\n[options]\npaths = 10\npathz = 3\n");
        var (code, _, err) = Run("run", toml);
        Assert.Equal(2, code);
        Assert.Contains($"unknown option --pathz ({toml} line 5, key 'pathz')", err);

        string value = Write("value.toml", "command = \"simulate\"\n[options]\nsteps = 10\npaths = \"many\"\n");
        (code, _, err) = Run("run", value);
        Assert.Equal(2, code);
        Assert.Contains("--paths expects an integer", err);
        Assert.Contains($"({value} line 4, key 'paths')", err);

        string json = Write("bad.json", "{\n  \"command\": \"price\",\n  \"options\": {\n    \"paths\": 1000,\n    \"strik\": 90\n  }\n}\n");
        (code, _, err) = Run("run", json);
        Assert.Equal(2, code);
        Assert.Contains($"unknown option --strik ({json} line 5, key 'strik')", err);
    }

    [Fact]
    public void Malformed_run_files_are_refused_with_a_one_line_reason()
    {
        string topLevel = Write("top.toml", "command = \"simulate\"\npaths = 10\n");
        var (code, _, err) = Run("run", topLevel);
        Assert.Equal(2, code);
        Assert.Contains($"run file '{topLevel}' line 2: unknown key 'paths'", err);

        string syntax = Write("syntax.toml", "command = \"simulate\"\n[options]\npaths = = 3\n");
        (code, _, err) = Run("run", syntax);
        Assert.Equal(2, code);
        Assert.Contains($"run file '{syntax}' line 3: not valid TOML", err);

        string json = Write("syntax.json", "{ \"command\": \"simulate\",\n  \"options\": { \"paths\": } }");
        (code, _, err) = Run("run", json);
        Assert.Equal(2, code);
        Assert.Contains($"run file '{json}' line 2: not valid JSON", err);

        Assert.Contains("names no command", Run("run", Write("empty.json", "{}")).Err);
        Assert.Contains("cannot run another run file", Run("run", Write("loop.toml", "command = \"run\"\npositional = [\"x.toml\"]\n")).Err);
        Assert.Contains("does not exist", Run("run", Path.Combine(_dir, "missing.toml")).Err);
        Assert.Contains("must end in .toml or .json", Run("run", Write("spec.yaml", "command: simulate")).Err);
        Assert.Equal(2, Run("run").Code);
        Assert.Single(Run("run", topLevel).Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
