using System.Numerics;
using Drift.Learning.Autodiff;

namespace Drift.Learning.Optimisers;

/// <summary>
/// Stochastic gradient descent with momentum, as PyTorch's <c>torch.optim.SGD</c>: with
/// g ← g + λθ (weight decay), b ← μb + (1 − τ)g (b = g on the first step), then
/// g ← g + μb (Nesterov) or g ← b, and θ ← θ − η g.
/// </summary>
public sealed class Sgd<T> : Optimiser<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly Tensor<T>?[] buffers;

    /// <summary>Creates the optimiser.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When momentum, dampening or weight decay is negative, or Nesterov lacks momentum.</exception>
    public Sgd(IReadOnlyList<Tensor<T>> parameters, double learningRate, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false) : base(parameters, learningRate)
    {
        if (!(momentum >= 0)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "momentum must be non-negative.");
        if (!(dampening >= 0)) throw new ArgumentOutOfRangeException(nameof(dampening), dampening, "dampening must be non-negative.");
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weightDecay must be non-negative.");
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentOutOfRangeException(nameof(nesterov), "Nesterov momentum needs momentum > 0 and zero dampening.");
        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
        buffers = new Tensor<T>?[parameters.Count];
        if (momentum > 0)
            for (int i = 0; i < buffers.Length; i++) buffers[i] = ZerosLike(i);
    }

    /// <summary>μ.</summary>
    public double Momentum { get; }
    /// <summary>τ.</summary>
    public double Dampening { get; }
    /// <summary>λ (L2 penalty added to the gradient).</summary>
    public double WeightDecay { get; }
    /// <summary>Whether the Nesterov form is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    protected override void Update(int index, Span<T> p, ReadOnlySpan<T> g)
    {
        T lr = T.CreateChecked(LearningRate), wd = T.CreateChecked(WeightDecay), mu = T.CreateChecked(Momentum);
        T keep = T.CreateChecked(1 - Dampening);
        var b = buffers[index] is { } buffer ? buffer.Span : default;
        bool momentum = buffers[index] is not null, firstStep = StepCount == 1;
        for (int k = 0; k < p.Length; k++)
        {
            T gk = WeightDecay != 0 ? g[k] + wd * p[k] : g[k];
            if (momentum)
            {
                b[k] = firstStep ? gk : mu * b[k] + keep * gk;
                gk = Nesterov ? gk + mu * b[k] : b[k];
            }
            p[k] -= lr * gk;
        }
    }

    /// <inheritdoc/>
    public override IReadOnlyList<(string Name, Tensor<T> Tensor)> State()
    {
        var list = new List<(string, Tensor<T>)>();
        for (int i = 0; i < buffers.Length; i++)
            if (buffers[i] is { } b) list.Add(($"{i}.momentum_buffer", b));
        return list;
    }
}
