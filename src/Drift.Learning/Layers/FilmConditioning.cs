using System.Numerics;
using Drift.Learning.Autodiff;

namespace Drift.Learning.Layers;

/// <summary>
/// Feature-wise linear modulation (Perez et al. 2018): from a condition vector c, a Linear layer
/// gives (γ, β) and the features become h·(1 + γ) + β. The layer is initialised to zero so that a
/// fresh network starts unmodulated (the adaLN-zero choice of diffusion transformers).
/// </summary>
public sealed class FilmConditioning<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly Linear<T> projection;

    /// <summary>Creates a modulation of <paramref name="width"/> features from conditions of <paramref name="conditionWidth"/>.</summary>
    public FilmConditioning(int conditionWidth, int width, ParameterRandom random)
    {
        Width = width;
        projection = Child("projection", new Linear<T>(conditionWidth, 2 * width, random));
        projection.Weight.Span.Clear();
        projection.Bias!.Span.Clear();
    }

    /// <summary>Features modulated.</summary>
    public int Width { get; }

    /// <summary>h·(1 + γ(c)) + β(c) for features h [n, width] and conditions c [n, conditionWidth].</summary>
    public Tensor<T> Forward(Tensor<T> h, Tensor<T> c)
    {
        var parts = Ops.Split(projection.Forward(c), 1, Width, Width);
        return Ops.Add(Ops.Multiply(h, Ops.AddScalar(parts[0], T.One)), parts[1]);
    }
}
