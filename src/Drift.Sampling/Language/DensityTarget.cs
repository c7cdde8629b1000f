using System.Globalization;
using Drift.Sampling.Targets;

namespace Drift.Sampling.Language;

/// <summary>
/// A <see cref="DensityModel"/> bound to data, as an <see cref="ILogDensity"/> on the unconstrained space: coordinate j
/// is uⱼ with the parameter element xⱼ = Tⱼ(uⱼ) (identity, log or logit transform by its bounds), and
/// log π(u) = Σ statements(x) + Σⱼ log |dxⱼ/duⱼ|. The gradient is exact: reverse-mode differentiation of the compiled
/// vector expression DAG (no finite differences), then the chain rule through the transforms.
/// </summary>
/// <remarks>
/// Each chain of a batch is evaluated in turn with a per-thread workspace allocated on first use, so an evaluation
/// allocates nothing and chains may run on any number of threads. A point where a statement is not finite
/// (a scale ≤ 0, a value outside a distribution's support) has log π = −∞ and gradient NaN in every coordinate that
/// statement depends on, so a sampler's error about a non-finite initial point names those parameters.
/// </remarks>
public readonly struct DensityTarget : ILogDensity
{
    private readonly DensityProgram _program;

    internal DensityTarget(DensityProgram program)
    {
        _program = program;
        Names = [.. program.Parameters.SelectMany(p => p.IsVector ? Enumerable.Range(1, p.Size).Select(i => string.Create(CultureInfo.InvariantCulture, $"{p.Name}[{i}]")) : [p.Name])];
        Bounds = [.. program.Parameters.SelectMany(p => Enumerable.Repeat(p.Transform.Describe(), p.Size))];
    }

    /// <inheritdoc/>
    public int Dimension => _program?.Dimension ?? 0;

    /// <summary>Element names on the constrained scale: <c>alpha</c>, <c>beta[1]</c> … <c>beta[K]</c> (1-based), in sampling order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Each element's bounds in words (" &gt; 0", " &gt; 0 &lt; 1", or "" when unbounded).</summary>
    public IReadOnlyList<string> Bounds { get; }

    /// <inheritdoc/>
    public void Evaluate(ReadOnlySpan<double> x, Span<double> logDensity, Span<double> gradient) => Program.Evaluate(x, logDensity, gradient);

    /// <summary>log π(u) at one unconstrained point, with its gradient.</summary>
    /// <exception cref="ArgumentException">Wrong lengths.</exception>
    public double LogDensity(ReadOnlySpan<double> unconstrained, Span<double> gradient)
    {
        Check(unconstrained.Length, gradient.Length);
        return Program.Evaluate(unconstrained, gradient);
    }

    /// <summary>The constrained values x = T(u).</summary>
    /// <exception cref="ArgumentException">Wrong lengths.</exception>
    public void Constrain(ReadOnlySpan<double> unconstrained, Span<double> constrained)
    {
        Check(unconstrained.Length, constrained.Length);
        Program.Constrain(unconstrained, constrained);
    }

    /// <summary>The unconstrained point u = T⁻¹(x) of constrained values (NaN for a value outside its bounds).</summary>
    /// <exception cref="ArgumentException">Wrong lengths.</exception>
    public void Unconstrain(ReadOnlySpan<double> constrained, Span<double> unconstrained)
    {
        Check(constrained.Length, unconstrained.Length);
        foreach (var p in Program.Parameters)
            for (int i = 0; i < p.Size; i++) unconstrained[p.Start + i] = p.Transform.Invert(constrained[p.Start + i]);
    }

    /// <summary>
    /// The statements whose value is not finite at u, as "line L, column C: value", for messages about a point
    /// where log π is not finite (empty when every statement is finite).
    /// </summary>
    public IReadOnlyList<string> NonFiniteStatements(ReadOnlySpan<double> unconstrained)
    {
        Check(unconstrained.Length, unconstrained.Length);
        return [.. Program.Terms(unconstrained).Where(t => !double.IsFinite(t.Value))
            .Select(t => string.Create(CultureInfo.InvariantCulture, $"line {t.Line}, column {t.Column}: {t.Value}"))];
    }

    /// <summary>Whether the density runs as compiled straight-line code (else interpreted); see <see cref="DensityProgram"/>.</summary>
    internal bool IsCompiled => Program.IsCompiled;

    private DensityProgram Program => _program ?? throw new InvalidOperationException("this DensityTarget is a default instance; create one with DensityModel.Bind.");

    private void Check(int a, int b)
    {
        int d = Dimension;
        if (a != d || b < d) throw new ArgumentException($"the target has dimension {d}; got spans of length {a} and {b}.");
    }
}
