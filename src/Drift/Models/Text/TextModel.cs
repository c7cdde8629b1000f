using System.Globalization;
using Drift.Solve;

namespace Drift.Models.Text;

/// <summary>
/// A user model written in Drift's text model language (grammar in docs/models.md): parameters with
/// defaults, states with initial values, and one Itô equation per state,
/// <c>dx = f(t, x) dt + g_1(t, x) dW1 + … + g_m(t, x) dWm</c>. Parse once, then <see cref="Compile()"/> for
/// given parameter values into a <see cref="TextSde"/> that solvers consume.
/// </summary>
/// <example>
/// <code>
/// var model = TextModel.Parse("""
///     param theta = 1.0
///     param sigma = 0.5
///     state x = 1.0
///     dx = -theta*x*dt + sigma*dW1
///     """);
/// var sde = model.Compile(new Dictionary&lt;string, double&gt; { ["sigma"] = 0.2 });
/// var solution = Ensemble.Solve(new SdeProblem&lt;TextSde, TextSde&gt;(sde, sde, [.. model.InitialState], 0, 1), new EulerMaruyama(), options);
/// </code>
/// </example>
public sealed class TextModel
{
    private readonly Node[] _drift;
    private readonly Node?[,] _diffusion;

    internal TextModel(string[] parameterNames, double[] defaults, string[] components, double[] initialState, Node[] drift, Node?[,] diffusion, NoiseKind noise)
    {
        ParameterNames = parameterNames;
        DefaultParameters = defaults;
        Components = components;
        InitialState = initialState;
        _drift = drift;
        _diffusion = diffusion;
        Noise = noise;
    }

    /// <summary>Parses and checks model text.</summary>
    /// <param name="text">The model source.</param>
    /// <returns>The model, ready to compile.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="ModelParseException">The text is malformed; the exception names the line, column and reason of the first problem.</exception>
    public static TextModel Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ModelBinder.Bind(Parser.Parse(text));
    }

    /// <summary>Parameter names in declaration order.</summary>
    public IReadOnlyList<string> ParameterNames { get; }

    /// <summary>Parameter defaults (the declared values, evaluated in order), aligned with <see cref="ParameterNames"/>.</summary>
    public IReadOnlyList<double> DefaultParameters { get; }

    /// <summary>State component names in declaration order: component i of the batch layout is <c>Components[i]</c>.</summary>
    public IReadOnlyList<string> Components { get; }

    /// <summary>Declared initial values X_0, evaluated with the parameter defaults.</summary>
    public IReadOnlyList<double> InitialState { get; }

    /// <summary>State dimension d.</summary>
    public int Dimension => Components.Count;

    /// <summary>Brownian dimension m = the largest j of the dW_j used (at least 1; a model without dW terms has g = 0).</summary>
    public int NoiseDimension => _diffusion.GetLength(1);

    /// <summary>
    /// The structure of g: as declared by <c>noise KIND</c>, else inferred — additive when no dW coefficient
    /// depends on the state, scalar when only dW1 is used, diagonal when dW_i appears only in dx_i with a
    /// coefficient depending on x_i alone (m = d), general otherwise.
    /// </summary>
    public NoiseKind Noise { get; }

    /// <summary>Whether any equation has a dW term.</summary>
    public bool HasNoise => _diffusion.Cast<Node?>().Any(n => n is not null);

    /// <summary>Whether no dW coefficient depends on the state (additive noise, whatever <see cref="Noise"/> declares as layout).</summary>
    public bool StateIndependentNoise => _diffusion.Cast<Node?>().All(n => n is null || !n.DependsOnState);

    /// <summary>
    /// Whether no drift or dW coefficient reads the time t (f(t, x) = f(x) and g(t, x) = g(x)), decided from the
    /// parsed expressions: a model that writes <c>t</c> anywhere in an equation is time-dependent, even where the term
    /// would cancel. Compiled models report it as <see cref="TextSde.TimeIndependent"/>, which lets adaptive
    /// ensembles step them in SIMD lanes.
    /// </summary>
    public bool TimeIndependent => !_drift.Any(n => n.DependsOnTime) && !_diffusion.Cast<Node?>().Any(n => n is not null && n.DependsOnTime);

    /// <summary>The equations as parsed, one per state: <c>dx = (f) dt + (g_1) dW1 + …</c>, fully parenthesised.</summary>
    public IReadOnlyList<string> Equations => [.. Enumerable.Range(0, Dimension).Select(Equation)];

    /// <summary>Compiles the model with its default parameters.</summary>
    public TextSde Compile() => Compile(DefaultParameters);

    /// <summary>Compiles the model with some parameters overridden by name (the rest keep their defaults).</summary>
    /// <exception cref="ArgumentException">An unknown name or a non-finite value.</exception>
    public TextSde Compile(IReadOnlyDictionary<string, double> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        double[] values = [.. DefaultParameters];
        foreach (var (name, value) in parameters)
        {
            int i = IndexOf(name);
            if (i < 0) throw new ArgumentException($"the model has no parameter '{ModelParseException.Cut(name)}'; its parameters are {ModelParseException.List(ParameterNames)}.", nameof(parameters));
            values[i] = value;
        }
        return Compile(values);
    }

    /// <summary>Compiles the model with every parameter given, in the order of <see cref="ParameterNames"/>.</summary>
    /// <exception cref="ArgumentException">Wrong count or a non-finite value.</exception>
    public TextSde Compile(IReadOnlyList<double> parameters) => Compile(parameters, KernelCompiler.AcceleratedLane);

    internal TextSde Compile(IReadOnlyList<double> parameters, Type? lane)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count != ParameterNames.Count)
            throw new ArgumentException($"expected {ParameterNames.Count} parameter values, got {parameters.Count}.", nameof(parameters));
        for (int i = 0; i < parameters.Count; i++)
            if (!double.IsFinite(parameters[i]))
                throw new ArgumentException($"parameter '{ParameterNames[i]}' must be finite, got {parameters[i].ToString(CultureInfo.InvariantCulture)}.", nameof(parameters));
        double[] values = [.. parameters];
        Node[] drift = [.. _drift.Select(f => Algebra.Substitute(f, values))];
        var drifts = drift.Select(Algebra.Lower).ToArray();
        var diffusion = DiffusionRows().Select(g => g is null ? new NumberNode(0, 1, 1) : Algebra.Lower(Algebra.Substitute(g, values))).ToArray();
        int d = Dimension;
        var jacobian = new Lazy<BatchKernel>(() => KernelCompiler.Compile(
            [.. Enumerable.Range(0, d * d).Select(k => Algebra.Lower(Algebra.Differentiate(drift[k / d], k % d)))], lane));
        return new TextSde(this, values, KernelCompiler.Compile(drifts, lane), KernelCompiler.Compile(diffusion, lane), jacobian);
    }

    /// <summary>An SDE problem on [0, t1] from the declared initial state (or <paramref name="initialState"/>) with the default parameters (or overrides).</summary>
    /// <exception cref="ArgumentException">Bad parameters or initial state.</exception>
    public SdeProblem<TextSde, TextSde> Problem(double t1, IReadOnlyList<double>? initialState = null, IReadOnlyDictionary<string, double>? parameters = null)
    {
        var sde = parameters is null ? Compile() : Compile(parameters);
        double[] x0 = [.. initialState ?? InitialState];
        return new SdeProblem<TextSde, TextSde>(sde, sde, x0, 0, t1);
    }

    private Dictionary<string, int>? _parameterIndex;

    /// <summary>Index of a parameter by name (a dictionary built on first use, so overriding many parameters stays linear).</summary>
    private int IndexOf(string name)
    {
        var index = _parameterIndex ??= ParameterNames.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
        return index.TryGetValue(name, out int i) ? i : -1;
    }

    private IEnumerable<Node?> DiffusionRows()
    {
        int d = Dimension, m = NoiseDimension;
        return Noise switch
        {
            NoiseKind.Scalar => Enumerable.Range(0, d).Select(i => _diffusion[i, 0]),
            NoiseKind.Diagonal => Enumerable.Range(0, d).Select(i => _diffusion[i, i]),
            _ => Enumerable.Range(0, d * m).Select(k => _diffusion[k / m, k % m]),
        };
    }

    private string Equation(int i)
    {
        var text = $"d{Components[i]} = {_drift[i]} dt";
        for (int j = 0; j < NoiseDimension; j++)
            if (_diffusion[i, j] is { } g) text += $" + {g} dW{j + 1}";
        return text;
    }
}
