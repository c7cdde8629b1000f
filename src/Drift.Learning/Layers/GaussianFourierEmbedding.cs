using System.Numerics;
using Drift.Learning.Autodiff;

namespace Drift.Learning.Layers;

/// <summary>
/// Random Fourier features of a scalar time (Song et al. 2021, score_sde's NCSN++): with fixed
/// ω_k ~ N(0, scale²), the embedding of t is [sin(2π t ω), cos(2π t ω)] of dimension 2·|ω|.
/// The frequencies are drawn once and not trained (they are stored as a buffer, not a parameter).
/// </summary>
public sealed class GaussianFourierEmbedding<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates an embedding of even dimension with frequencies of standard deviation <paramref name="scale"/>.</summary>
    public GaussianFourierEmbedding(int dimension, ParameterRandom random, double scale = 16)
    {
        if (dimension <= 0 || dimension % 2 != 0) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "The dimension must be positive and even.");
        if (!(scale > 0)) throw new ArgumentOutOfRangeException(nameof(scale), scale, "scale must be positive.");
        ArgumentNullException.ThrowIfNull(random);
        Dimension = dimension;
        Frequencies = random.Normal<T>(0, scale, 1, dimension / 2);
    }

    /// <summary>The embedding dimension.</summary>
    public int Dimension { get; }
    /// <summary>ω, shape [1, dimension/2] (fixed).</summary>
    public Tensor<T> Frequencies { get; }

    /// <summary>The embedding of times t (shape [n]).</summary>
    public Tensor<T> Forward(Tensor<T> t)
    {
        if (t.Rank != 1) throw new ArgumentException($"Times must have shape [n], not {ShapeRules.Format(t.Shape)}.", nameof(t));
        var angles = Ops.Multiply(Ops.Reshape(t, [t.Length, 1]), Ops.Scale(Frequencies, T.CreateChecked(2 * Math.PI)));
        return Ops.Concat([Ops.Sin(angles), Ops.Cos(angles)], 1);
    }
}
