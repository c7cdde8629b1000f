using System.Runtime.InteropServices;
using Drift.Solve;

namespace Drift.Models.Text;

/// <summary>
/// A <see cref="TextModel"/> compiled for fixed parameter values: the SDE dX = f(t, X) dt + g(t, X) dW as a
/// struct that every solver, <c>Ensemble.Solve</c>, <c>AdaptiveSde.Solve</c> and <c>Lyapunov.Spectrum</c>
/// accept. f and g are compiled delegates that evaluate a whole batch per call (one indirect call per batch,
/// SIMD across paths with a scalar tail); the Jacobian ∂f_i/∂x_j is the symbolic derivative of the drift
/// expressions, compiled the same way on first use.
/// </summary>
/// <remarks>
/// Arithmetic is IEEE double lane by lane without fused multiply-add, and functions call <see cref="Math"/>
/// per lane, so each path's result is the same bits whatever its position in a batch. NaN propagates
/// (log of a negative number, 0/0): solvers then report the path as diverged.
/// </remarks>
public readonly struct TextSde : IDrift, IGeneralNoise, IJacobian
{
    private readonly BatchKernel _drift;
    private readonly BatchKernel _diffusion;
    private readonly Lazy<BatchKernel> _jacobian;
    private readonly double[] _parameters;
    private readonly int _diffusionRows;

    internal TextSde(TextModel model, double[] parameters, BatchKernel drift, BatchKernel diffusion, Lazy<BatchKernel> jacobian)
    {
        Model = model;
        _parameters = parameters;
        _drift = drift;
        _diffusion = diffusion;
        _jacobian = jacobian;
        Dimension = model.Dimension;
        NoiseDimension = model.NoiseDimension;
        Noise = model.Noise;
        StateIndependent = model.StateIndependentNoise;
        TimeIndependent = model.TimeIndependent;
        _diffusionRows = Noise is NoiseKind.Additive or NoiseKind.General ? Dimension * NoiseDimension : Dimension;
    }

    /// <summary>The model this was compiled from (null for a default instance).</summary>
    public TextModel Model { get; }

    /// <summary>The parameter values compiled in, in the order of <see cref="TextModel.ParameterNames"/>.</summary>
    public IReadOnlyList<double> Parameters => _parameters ?? [];

    /// <summary>State dimension d (the number of <c>state</c> declarations).</summary>
    public int Dimension { get; }

    /// <summary>Brownian dimension m: the largest j of the dW_j used (at least 1).</summary>
    public int NoiseDimension { get; }

    /// <summary>The structure of g, declared with <c>noise KIND</c> or inferred (see <see cref="TextModel.Noise"/>).</summary>
    public NoiseKind Noise { get; }

    /// <summary>Whether g depends on t only (see <see cref="TextModel.StateIndependentNoise"/>).</summary>
    public bool StateIndependent { get; }

    /// <summary>
    /// Whether neither f nor g reads t (see <see cref="TextModel.TimeIndependent"/>): adaptive SDE ensembles then step the
    /// model in SIMD lanes. False for a default instance.
    /// </summary>
    public bool TimeIndependent { get; }

    /// <summary>Writes the drift f(t, x) (the dt coefficients) for every path of the batch.</summary>
    /// <exception cref="ArgumentException">A span is shorter than d·paths.</exception>
    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        Check(x.Length, dx.Length, paths, Dimension);
        Kernel(_drift)(t, ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(dx), paths);
    }

    /// <summary>
    /// Writes g(t, x) (the dW_j coefficients) for every path: d rows for scalar and diagonal noise, d·m rows
    /// (element (i, j) in row i·m + j, zero where dx_i has no dW_j term) for additive and general noise.
    /// </summary>
    /// <exception cref="ArgumentException">A span is too short.</exception>
    public void EvaluateDiffusion(double t, ReadOnlySpan<double> x, Span<double> g, int paths)
    {
        Check(x.Length, g.Length, paths, _diffusionRows);
        Kernel(_diffusion)(t, ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(g), paths);
    }

    void IDiffusion.Evaluate(double t, ReadOnlySpan<double> x, Span<double> g, int paths) => EvaluateDiffusion(t, x, g, paths);

    /// <summary>Writes J_ij = ∂f_i/∂x_j at one state, row-major, from the symbolically differentiated drift.</summary>
    /// <exception cref="ArgumentException">x is not of length d or the output is shorter than d².</exception>
    public void Jacobian(double t, ReadOnlySpan<double> x, Span<double> jacobian)
    {
        if (x.Length != Dimension || jacobian.Length < Dimension * Dimension)
            throw new ArgumentException($"expected a state of length {Dimension} and an output of length {Dimension * Dimension}, got {x.Length} and {jacobian.Length}.", nameof(x));
        var kernel = (_jacobian ?? throw Uncompiled()).Value;
        kernel(t, ref MemoryMarshal.GetReference(x), ref MemoryMarshal.GetReference(jacobian), 1);
    }

    private void Check(int input, int output, int paths, int rows)
    {
        if (paths < 0) throw new ArgumentException($"paths must be non-negative, got {paths}.", nameof(paths));
        if (input < (long)Dimension * paths || output < (long)rows * paths)
            throw new ArgumentException($"{paths} paths need an input of {(long)Dimension * paths} and an output of {(long)rows * paths} values, got {input} and {output}.", nameof(paths));
    }

    private static BatchKernel Kernel(BatchKernel? kernel) => kernel ?? throw Uncompiled();

    private static InvalidOperationException Uncompiled() => new("this TextSde is a default instance; create one with TextModel.Compile.");
}
