using System.Numerics;
using Drift.Learning.Autodiff;

namespace Drift.Learning.Layers;

/// <summary>
/// A pre-norm residual MLP block: h = x + W₂·act(W₁·FiLM(LayerNorm(x), c)), with the FiLM step
/// present only when the block is conditioned. The second layer starts at zero so a fresh block is
/// the identity (stable deep stacks).
/// </summary>
public sealed class ResidualBlock<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly LayerNorm<T> norm;
    readonly FilmConditioning<T>? film;
    readonly Linear<T> first, second;

    /// <summary>Creates a block on <paramref name="width"/> features with a hidden layer of <paramref name="hidden"/>; conditioned when <paramref name="conditionWidth"/> &gt; 0.</summary>
    public ResidualBlock(int width, int hidden, Activation activation, ParameterRandom random, int conditionWidth = 0)
    {
        Activation = activation;
        norm = Child("norm", new LayerNorm<T>(width));
        if (conditionWidth > 0) film = Child("film", new FilmConditioning<T>(conditionWidth, width, random));
        first = Child("fc1", new Linear<T>(width, hidden, random));
        second = Child("fc2", new Linear<T>(hidden, width, random));
        second.Weight.Span.Clear();
        second.Bias!.Span.Clear();
    }

    /// <summary>The activation of the hidden layer.</summary>
    public Activation Activation { get; }

    /// <summary>The block applied to x [n, width], with conditions c [n, conditionWidth] when conditioned.</summary>
    public Tensor<T> Forward(Tensor<T> x, Tensor<T>? c = null)
    {
        var h = norm.Forward(x);
        if (film is not null)
        {
            if (c is null) throw new ArgumentNullException(nameof(c), "This block is conditioned: pass the condition vectors.");
            h = film.Forward(h, c);
        }
        return Ops.Add(x, second.Forward(Activation.Apply(first.Forward(h))));
    }
}
