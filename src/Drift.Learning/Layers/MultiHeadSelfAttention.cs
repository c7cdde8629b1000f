using System.Numerics;
using Drift.Learning.Autodiff;

namespace Drift.Learning.Layers;

/// <summary>
/// Multi-head self-attention over the H·W positions of NCHW feature maps, with PyTorch's <c>nn.MultiheadAttention</c>
/// parameters: the L = H·W tokens t_ℓ ∈ ℝ^C of each image give [Q | K | V] = t·W_inᵀ + b_in (W_in "in_proj_weight"
/// [3C, C], b_in "in_proj_bias" [3C]); head h (of <see cref="Heads"/>, each of width d = C/heads, taking columns
/// [h·d, (h + 1)·d) of Q, K and V) computes A_h = softmax(Q_h K_hᵀ/√d) V_h (softmax over keys); the heads are
/// concatenated and projected, out = [A₁ … A_heads]·W_outᵀ + b_out ("out_proj.weight", "out_proj.bias"). The result is
/// returned as [N, C, H, W]; there is no residual connection here.
/// </summary>
/// <remarks>
/// Built from differentiable operations (<see cref="Ops.Linear"/>, <see cref="Ops.Permute"/>, <see cref="Ops.BatchedMatMul"/>,
/// <see cref="Ops.Softmax"/>), so its gradients, of any order, come from the graph. Initialised as PyTorch does: W_in
/// Xavier-uniform (bound √(6/(C + 3C))), b_in = 0, W_out uniform on ±1/√C, b_out = 0.
/// </remarks>
public sealed class MultiHeadSelfAttention<T> : Module<T>, ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly Linear<T> output;

    /// <summary>Creates attention over <paramref name="channels"/> features split into <paramref name="heads"/> heads.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When a size is not positive or the heads do not divide the channels.</exception>
    public MultiHeadSelfAttention(int channels, int heads, ParameterRandom random)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(heads);
        ArgumentNullException.ThrowIfNull(random);
        if (channels % heads != 0) throw new ArgumentOutOfRangeException(nameof(heads), heads, $"the heads must divide the {channels} channels.");
        Channels = channels;
        Heads = heads;
        double bound = Math.Sqrt(6.0 / (4 * channels));
        InputWeight = Parameter("in_proj_weight", random.Uniform<T>(-bound, bound, 3 * channels, channels));
        InputBias = Parameter("in_proj_bias", Tensor<T>.Wrap(new T[3 * channels], 3 * channels));
        output = Child("out_proj", new Linear<T>(channels, channels, random));
        output.Bias!.Span.Clear();
    }

    /// <summary>Channels C (the token width).</summary>
    public int Channels { get; }
    /// <summary>Heads; each attends with C/heads features.</summary>
    public int Heads { get; }
    /// <summary>W_in, shape [3C, C]: the rows of W_Q, then W_K, then W_V.</summary>
    public Tensor<T> InputWeight { get; }
    /// <summary>b_in, shape [3C].</summary>
    public Tensor<T> InputBias { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">When x is not [N, C, H, W] with this layer's C.</exception>
    public Tensor<T> Forward(Tensor<T> x)
    {
        if (x.Rank != 4 || x.Shape[1] != Channels)
            throw new ArgumentException($"MultiHeadSelfAttention({Channels}) cannot attend over shape {ShapeRules.Format(x.Shape)}.", nameof(x));
        int n = x.Shape[0], c = Channels, h = x.Shape[2], w = x.Shape[3], length = h * w, d = c / Heads;
        var tokens = Ops.Reshape(Ops.Permute(Ops.Reshape(x, [n, c, length]), 0, 2, 1), [n * length, c]);
        var qkv = Ops.Linear(tokens, InputWeight, InputBias);
        var split = Ops.Reshape(Ops.Permute(Ops.Reshape(qkv, [n, length, 3, Heads, d]), 2, 0, 3, 1, 4), [3, n * Heads, length, d]);
        var q = Ops.Reshape(Ops.Slice(split, 0, 1), [n * Heads, length, d]);
        var k = Ops.Reshape(Ops.Slice(split, 1, 1), [n * Heads, length, d]);
        var v = Ops.Reshape(Ops.Slice(split, 2, 1), [n * Heads, length, d]);
        var scores = Ops.Scale(Ops.BatchedMatMul(q, k, transposeC: true), T.One / T.Sqrt(T.CreateChecked(d)));
        var attended = Ops.BatchedMatMul(Ops.Softmax(scores, -1), v);
        var merged = Ops.Reshape(Ops.Permute(Ops.Reshape(attended, [n, Heads, length, d]), 0, 2, 1, 3), [n * length, c]);
        var projected = output.Forward(merged);
        return Ops.Reshape(Ops.Permute(Ops.Reshape(projected, [n, length, c]), 0, 2, 1), [n, c, h, w]);
    }
}
