using Drift.Cli.Arguments;
using Drift.Models.Text;
using Drift.Solve;

namespace Drift.Cli.Simulate;

/// <summary>Models read from <c>.drift</c> files (the text model language of <see cref="TextModel"/>).</summary>
public static class FileModels
{
    /// <summary>Whether a model argument names a model file rather than a built-in model.</summary>
    public static bool IsFile(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.EndsWith(".drift", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Reads a model file and parses its text with <paramref name="parse"/> (the SDE or the density form).</summary>
    /// <exception cref="UsageException">The file is missing or a directory, or its text is malformed: the message is <c>FILE:LINE:COL: reason</c>.</exception>
    public static T Parse<T>(string path, Func<string, T> parse)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(parse);
        string text;
        if (Directory.Exists(path)) throw new UsageException($"cannot read model file '{path}': it is a directory.");
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new UsageException($"cannot read model file '{path}': no such file.");
        }
        try
        {
            return parse(text);
        }
        catch (ModelParseException e)
        {
            throw Located(path, e);
        }
    }

    /// <summary>A model error as the one-line usage error <c>FILE:LINE:COL: reason</c>.</summary>
    public static UsageException Located(string path, ModelParseException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new UsageException($"{path}:{error.Line}:{error.Column}: {error.Reason}");
    }

    /// <summary>Reads, parses and wraps a model file so that every command treats it like a built-in model.</summary>
    /// <exception cref="UsageException">The file is missing, or its text is malformed: the message is <c>FILE:LINE:COL: reason</c>.</exception>
    public static BuiltInModel Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var model = Parse(path, TextModel.Parse);
        var parameters = model.ParameterNames.Zip(model.DefaultParameters, (n, v) => (n, v)).ToArray();
        string solver = model.Noise == NoiseKind.Additive ? "sra1" : "euler";
        return new BuiltInModel(Path.GetFileName(path), string.Join("; ", model.Equations), path,
            [.. model.Components], [.. model.InitialState], parameters, solver, 1.0,
            (p, x0, t1, request) =>
            {
                var sde = model.Compile(p);
                return SolverDispatch.Solve(new SdeProblem<TextSde, TextSde>(sde, sde, x0, 0, t1), request);
            })
        {
            Family = "file",
            Details = string.Join(Environment.NewLine,
                $"{Path.GetFileName(path)} — text model from {path}",
                $"  equations   {string.Join(Environment.NewLine + "              ", model.Equations)}",
                $"  noise       {model.Noise.ToString().ToLowerInvariant()}, {model.NoiseDimension} Brownian motion{(model.NoiseDimension == 1 ? "" : "s")}",
                $"  parameters  {string.Join(", ", parameters.Select(p => FormattableString.Invariant($"{p.n} = {p.v:G6}")))}",
                $"  x0          ({string.Join(", ", model.InitialState.Select(v => FormattableString.Invariant($"{v:G6}")))})",
                $"  default     solver {solver}, t1 = 1"),
            Lyapunov = (p, x0, options) => Analysis.Lyapunov.Spectrum(model.Compile(p), x0, options),
            Ode = (p, x0, t1, request) =>
            {
                if (model.HasNoise && !request.IgnoreNoise)
                    throw new UsageException($"{Path.GetFileName(path)} has dW terms; give --ignore-noise to solve its drift as an ODE.");
                return OdeDispatch.Solve(new OdeProblem<TextSde>(model.Compile(p), x0, 0, t1), request);
            },
        };
    }
}
