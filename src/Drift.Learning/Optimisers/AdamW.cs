using System.Numerics;
using Drift.Learning.Autodiff;

namespace Drift.Learning.Optimisers;

/// <summary>AdamW: Adam with decoupled weight decay θ ← θ(1 − ηλ) before the Adam step (PyTorch's <c>torch.optim.AdamW</c>, default λ = 0.01).</summary>
public sealed class AdamW<T> : Adam<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates AdamW.</summary>
    public AdamW(IReadOnlyList<Tensor<T>> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0.01)
        : base(parameters, learningRate, beta1, beta2, epsilon, weightDecay, decoupled: true) { }
}
