using Drift.Models.Chaos.Flows;
using Drift.Solve;

namespace Drift.Models.Chaos;

/// <summary>
/// A flow of the chaos catalogue as an SDE dX = f(X) dt + ε dW with additive noise of amplitude ε on every
/// component (m = d, g = ε I): ε = 0 gives the deterministic flow dx/dt = f(x) of
/// <see cref="ChaoticSystem.Equations"/>. Its drift is evaluated SIMD across paths; its Jacobian is written
/// by hand (<see cref="IJacobian"/>), for Lyapunov analysis.
/// </summary>
/// <remarks>Create one with <see cref="ChaoticSystem.Flow(IReadOnlyList{double}?, double)"/>.</remarks>
public readonly struct ChaoticFlow : IDrift, IAdditiveNoise, IJacobian
{
    private readonly FlowKernel _kernel;
    private readonly double[] _parameters;

    internal ChaoticFlow(FlowKernel kernel, double[] parameters, int dimension, double noise)
    {
        _kernel = kernel;
        _parameters = parameters;
        Dimension = dimension;
        NoiseAmplitude = noise;
    }

    /// <summary>State dimension d.</summary>
    public int Dimension { get; }

    /// <summary>Brownian dimension m = d.</summary>
    public int NoiseDimension => Dimension;

    /// <summary>Additive: g = ε I does not depend on the state.</summary>
    public NoiseKind Noise => NoiseKind.Additive;

    /// <summary>Noise amplitude ε ≥ 0.</summary>
    public double NoiseAmplitude { get; }

    /// <summary>The parameter values, in the order of <see cref="ChaoticSystem.ParameterNames"/>.</summary>
    public IReadOnlyList<double> Parameters => _parameters;

    /// <summary>True: the (autonomous) vector field and εI do not depend on t (adaptive ensembles step it in SIMD lanes).</summary>
    public bool TimeIndependent => true;

    /// <summary>Writes the vector field f(x) for every path (autonomous: t is ignored).</summary>
    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths) =>
        _kernel.EvaluateBatch(_parameters, x, dx, paths, Dimension);

    void IDiffusion.Evaluate(double t, ReadOnlySpan<double> x, Span<double> g, int paths)
    {
        int d = Dimension;
        g[..(d * d * paths)].Clear();
        for (int i = 0; i < d; i++) g.Slice((i * d + i) * paths, paths).Fill(NoiseAmplitude);
    }

    /// <summary>Writes f(x) for one state.</summary>
    public void EvaluateOne(ReadOnlySpan<double> x, Span<double> dx)
    {
        if (x.Length != Dimension || dx.Length < Dimension)
            throw new ArgumentException($"expected a state of length {Dimension}, got {x.Length} (output {dx.Length}).", nameof(x));
        _kernel.Evaluate(_parameters, x, dx);
    }

    /// <summary>Writes the hand-derived Jacobian ∂f_i/∂x_j at one state, row-major.</summary>
    public void Jacobian(double t, ReadOnlySpan<double> x, Span<double> jacobian) => _kernel.Jacobian(_parameters, x, jacobian);
}
