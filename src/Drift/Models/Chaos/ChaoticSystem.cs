using Drift.Models.Chaos.Flows;

namespace Drift.Models.Chaos;

/// <summary>
/// One deterministic chaotic flow of the catalogue, dx/dt = f(x; θ), with the parameters θ, initial
/// condition and published invariants of the dysts collection (Gilpin 2021, "Chaos as an interpretable
/// benchmark for forecasting and data-driven modelling", NeurIPS Datasets and Benchmarks).
/// </summary>
public sealed class ChaoticSystem
{
    private readonly FlowKernel _kernel;
    private readonly double[] _defaults;

    internal ChaoticSystem(FlowKernel kernel, string name, string equations, string[] parameterNames, double[] defaults, double[] initialState,
        string description, string citation, double maximalLyapunov, double[] spectrum, double kaplanYorke, double period, double samplingStep)
    {
        _kernel = kernel;
        Name = name;
        Equations = equations;
        ParameterNames = parameterNames;
        _defaults = defaults;
        InitialState = initialState;
        Description = description;
        Citation = citation;
        PublishedMaximalLyapunov = maximalLyapunov;
        PublishedSpectrum = spectrum;
        PublishedKaplanYorke = kaplanYorke;
        Period = period;
        SamplingStep = samplingStep;
    }

    /// <summary>Name as in dysts (for example <c>Lorenz</c>, <c>SprottA</c>).</summary>
    public string Name { get; }
    /// <summary>The vector field, one <c>dv/dt = …</c> per component.</summary>
    public string Equations { get; }
    /// <summary>State dimension d.</summary>
    public int Dimension => InitialState.Count;
    /// <summary>Parameter names, in the order <see cref="Flow(IReadOnlyList{double}?, double)"/> takes values.</summary>
    public IReadOnlyList<string> ParameterNames { get; }
    /// <summary>The published parameter values.</summary>
    public IReadOnlyList<double> DefaultParameters => _defaults;
    /// <summary>The published initial condition (a point on or near the attractor).</summary>
    public IReadOnlyList<double> InitialState { get; }
    /// <summary>One line on what the system models.</summary>
    public string Description { get; }
    /// <summary>The literature reference.</summary>
    public string Citation { get; }
    /// <summary>dysts' estimate of the maximal Lyapunov exponent (per unit time).</summary>
    public double PublishedMaximalLyapunov { get; }
    /// <summary>dysts' estimate of the Lyapunov spectrum (per unit time), largest first.</summary>
    public IReadOnlyList<double> PublishedSpectrum { get; }
    /// <summary>dysts' Kaplan–Yorke dimension estimate.</summary>
    public double PublishedKaplanYorke { get; }
    /// <summary>dysts' dominant period (time units).</summary>
    public double Period { get; }
    /// <summary>dysts' sampling step (time units); a fixed-step integrator is safe at a few tens of it.</summary>
    public double SamplingStep { get; }

    /// <summary>A suggested fixed step for RK4 or SDE solvers: 30 sampling steps, capped at 0.01 time units.</summary>
    public double SuggestedStep => Math.Min(0.01, 30 * SamplingStep);

    /// <summary>The flow with the given parameters (null: the published ones) and additive noise amplitude ε.</summary>
    /// <exception cref="ArgumentException">Wrong number of parameters, a non-finite value, or ε negative or not finite.</exception>
    public ChaoticFlow Flow(IReadOnlyList<double>? parameters = null, double noise = 0)
    {
        double[] p = parameters is null ? (double[])_defaults.Clone() : [.. parameters];
        if (p.Length != _defaults.Length)
            throw new ArgumentException($"{Name} takes {_defaults.Length} parameters ({string.Join(", ", ParameterNames)}), got {p.Length}.", nameof(parameters));
        foreach (double v in p)
            if (!double.IsFinite(v)) throw new ArgumentException($"{Name}: parameter values must be finite, got {v}.", nameof(parameters));
        if (!(noise >= 0) || !double.IsFinite(noise)) throw new ArgumentException($"noise amplitude must be finite and non-negative, got {noise}.", nameof(noise));
        return new ChaoticFlow(_kernel, p, Dimension, noise);
    }

    /// <summary>The flow with named parameter overrides (others keep their published values).</summary>
    /// <exception cref="ArgumentException">A name is not a parameter of this system.</exception>
    public ChaoticFlow Flow(IReadOnlyDictionary<string, double> overrides, double noise = 0)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        double[] p = (double[])_defaults.Clone();
        foreach (var (name, value) in overrides)
        {
            int i = Array.IndexOf((string[])ParameterNames, name);
            if (i < 0) throw new ArgumentException($"{Name} has no parameter '{name}'; its parameters are {string.Join(", ", ParameterNames)}.", nameof(overrides));
            p[i] = value;
        }
        return Flow(p, noise);
    }
}
