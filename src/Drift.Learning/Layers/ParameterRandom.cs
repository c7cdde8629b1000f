using System.Numerics;
using Drift.Learning.Autodiff;
using Drift.Random;

namespace Drift.Learning.Layers;

/// <summary>
/// Initial values for parameters from Drift's counter-based generator: the k-th tensor a network
/// initialises takes Philox stream k of <see cref="Seed"/>, so a seed gives the same network on any
/// machine, thread count or instruction set. Draws are made in double and rounded to T.
/// </summary>
/// <param name="seed">The generator key.</param>
public sealed class ParameterRandom(ulong seed)
{
    ulong nextStream;

    /// <summary>The generator key.</summary>
    public ulong Seed { get; } = seed;

    /// <summary>A tensor of independent U(lo, hi) draws.</summary>
    public Tensor<T> Uniform<T>(double lo, double hi, params ReadOnlySpan<int> shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var draws = Draws(shape, normal: false);
        for (int i = 0; i < draws.Length; i++) draws[i] = lo + (hi - lo) * draws[i];
        return Convert<T>(draws, shape);
    }

    /// <summary>A tensor of independent N(mean, std²) draws.</summary>
    public Tensor<T> Normal<T>(double mean, double std, params ReadOnlySpan<int> shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var draws = Draws(shape, normal: true);
        for (int i = 0; i < draws.Length; i++) draws[i] = mean + std * draws[i];
        return Convert<T>(draws, shape);
    }

    double[] Draws(ReadOnlySpan<int> shape, bool normal)
    {
        int n = 1;
        foreach (int d in shape) n *= d;
        var draws = new double[n];
        ulong stream = nextStream++;
        if (normal) new PhiloxNormals(Seed).FillStream(stream, 0, draws);
        else new PhiloxUniforms(Seed).FillStream(stream, 0, draws);
        return draws;
    }

    static Tensor<T> Convert<T>(double[] draws, ReadOnlySpan<int> shape) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var values = new T[draws.Length];
        for (int i = 0; i < draws.Length; i++) values[i] = T.CreateChecked(draws[i]);
        return Tensor<T>.Wrap(values, shape);
    }
}
