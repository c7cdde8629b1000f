using Drift.Cli.Arguments;

namespace Drift.Cli.Simulate;

/// <summary>The model options shared by commands: <c>--param NAME=VALUE</c> (repeatable) and <c>--x0 A,B,...</c>.</summary>
public static class ModelArguments
{
    /// <summary>The declarations of <c>--param</c> and <c>--x0</c>, for the commands that take a model.</summary>
    internal static IReadOnlyList<OptionSpec> Options { get; } =
    [
        OptionSpec.Text("param", "NAME=VALUE", "override a model parameter (repeatable)") with { Repeatable = true },
        OptionSpec.Text("x0", "A,B,...", "override the initial state"),
    ];

    /// <summary>The model's parameters with every <c>--param</c> override applied.</summary>
    /// <exception cref="UsageException">Malformed assignment, unknown name or bad value.</exception>
    public static Dictionary<string, double> Parameters(BuiltInModel model, ArgumentReader a)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(a);
        var parameters = model.Parameters.ToDictionary(p => p.Name, p => p.Value);
        foreach (string assignment in a.All("param"))
        {
            int eq = assignment.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new UsageException($"--param expects NAME=VALUE, got '{assignment}'.");
            string name = assignment[..eq];
            if (!parameters.ContainsKey(name))
                throw new UsageException($"model {model.Name} has no parameter '{name}'; its parameters are {string.Join(", ", parameters.Keys)}.");
            parameters[name] = ArgumentReader.ParseReal(assignment[(eq + 1)..], $"--param {name}");
        }
        return parameters;
    }

    /// <summary>The model's initial state, or the <c>--x0</c> override.</summary>
    /// <exception cref="UsageException">Wrong count or a bad number.</exception>
    public static double[] InitialState(BuiltInModel model, ArgumentReader a)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(a);
        if (a.String("x0") is not { } text) return model.InitialState;
        double[] x0 = [.. text.Split(',').Select(s => ArgumentReader.ParseReal(s.Trim(), "--x0"))];
        if (x0.Length != model.Components.Length)
            throw new UsageException($"--x0 needs {model.Components.Length} values for model {model.Name}, got {x0.Length}.");
        foreach (int i in model.NonNegative)
            if (x0[i] < 0)
                throw new UsageException(FormattableString.Invariant($"--x0: {model.Components[i]} of model {model.Name} must be non-negative (it is a rate or a variance), got {x0[i]:G6}."));
        return x0;
    }
}
