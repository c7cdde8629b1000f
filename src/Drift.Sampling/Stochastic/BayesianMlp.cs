using System.Collections.Concurrent;
using Drift.Learning.Autodiff;
using Drift.Learning.Layers;

namespace Drift.Sampling.Stochastic;

/// <summary>
/// The posterior of a Bayesian neural network for regression: an MLP f_θ (Drift.Learning's <see cref="Mlp{T}"/>) whose
/// weights and biases, concatenated in the order of <see cref="Module{T}.Parameters"/>, are θ; prior θ ~ N(0, τ² I);
/// likelihood yᵢ ~ N(f_θ(xᵢ), σ² I). So log p(θ) = −|θ|²/(2τ²) − (d/2) log(2πτ²) and
/// log p(yᵢ ∣ θ) = −|yᵢ − f_θ(xᵢ)|²/(2σ²) − (m/2) log(2πσ²) for m outputs. The likelihood's gradient is Drift.Learning's
/// reverse-mode autodiff of Σ_{i∈B} |yᵢ − f_θ(xᵢ)|² over the minibatch.
/// </summary>
/// <remarks>Each call evaluates a network taken from a pool (one per concurrent caller), so chains run in parallel safely.</remarks>
public sealed class BayesianMlp : IMinibatchLogDensity
{
    private readonly int[] _widths;
    private readonly Activation _activation;
    private readonly double[] _inputs, _outputs;
    private readonly double _noise, _priorScale;
    private readonly ConcurrentBag<Mlp<double>> _networks = [];

    /// <summary>A network of widths [inputs, hidden…, outputs] on N data: inputs row-major N×inputs, outputs N×outputs.</summary>
    /// <param name="widths">Layer widths, at least two.</param>
    /// <param name="activation">The activation between layers.</param>
    /// <param name="inputs">xᵢ, row-major (N × widths[0]).</param>
    /// <param name="outputs">yᵢ, row-major (N × widths[^1]).</param>
    /// <param name="noise">σ &gt; 0, the observation noise.</param>
    /// <param name="priorScale">τ &gt; 0, the prior scale of every weight and bias.</param>
    /// <exception cref="ArgumentException">Sizes that disagree, no data, non-finite data, or σ, τ not finite and positive.</exception>
    public BayesianMlp(IReadOnlyList<int> widths, Activation activation, double[] inputs, double[] outputs, double noise, double priorScale)
    {
        ArgumentNullException.ThrowIfNull(widths);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        if (widths.Count < 2 || widths.Any(w => w < 1)) throw new ArgumentException("widths must hold at least an input and an output width, each at least 1.", nameof(widths));
        int input = widths[0], output = widths[^1];
        if (inputs.Length == 0 || inputs.Length % input != 0) throw new ArgumentException($"inputs has {inputs.Length} values; it must be N × {input} with N ≥ 1.", nameof(inputs));
        int n = inputs.Length / input;
        if (outputs.Length != n * output) throw new ArgumentException($"outputs has {outputs.Length} values; {n} data × {output} outputs need {n * output}.", nameof(outputs));
        if (inputs.Any(v => !double.IsFinite(v))) throw new ArgumentException("inputs must be finite.", nameof(inputs));
        if (outputs.Any(v => !double.IsFinite(v))) throw new ArgumentException("outputs must be finite.", nameof(outputs));
        if (!(noise > 0) || !double.IsFinite(noise)) throw new ArgumentOutOfRangeException(nameof(noise), noise, "the noise σ must be finite and positive.");
        if (!(priorScale > 0) || !double.IsFinite(priorScale)) throw new ArgumentOutOfRangeException(nameof(priorScale), priorScale, "the prior scale τ must be finite and positive.");
        _widths = [.. widths];
        _activation = activation;
        _inputs = (double[])inputs.Clone();
        _outputs = (double[])outputs.Clone();
        _noise = noise;
        _priorScale = priorScale;
        DataCount = n;
        var first = NewNetwork();
        Dimension = (int)first.ParameterCount;
        _networks.Add(first);
    }

    /// <inheritdoc/>
    public int Dimension { get; }

    /// <inheritdoc/>
    public int DataCount { get; }

    /// <summary>A starting θ: Drift.Learning's default initialisation of the network (uniform ±1/√fan-in) for a seed. A
    /// network at θ = 0 has zero gradients for its hidden weights, so start from here.</summary>
    public double[] InitialParameters(ulong seed)
    {
        var network = new Mlp<double>(_widths, _activation, new ParameterRandom(seed));
        return [.. network.Parameters().SelectMany(p => p.ToArray())];
    }

    /// <inheritdoc/>
    public double LogPrior(ReadOnlySpan<double> theta, Span<double> gradient)
    {
        double v = _priorScale * _priorScale, sum = 0;
        for (int i = 0; i < theta.Length; i++)
        {
            sum += theta[i] * theta[i];
            gradient[i] = -theta[i] / v;
        }
        return -0.5 * sum / v - 0.5 * theta.Length * Math.Log(2 * Math.PI * v);
    }

    /// <inheritdoc/>
    public double LogLikelihood(ReadOnlySpan<double> theta, ReadOnlySpan<int> indices, Span<double> gradient)
    {
        if (theta.Length != Dimension) throw new ArgumentException($"theta has {theta.Length} values; the network has {Dimension} parameters.", nameof(theta));
        int input = _widths[0], output = _widths[^1], b = indices.Length;
        if (b == 0) { gradient.Clear(); return 0; }
        var network = Load(theta);
        try
        {
            var x = new double[b * input];
            var y = new double[b * output];
            for (int r = 0; r < b; r++)
            {
                int i = indices[r];
                _inputs.AsSpan(i * input, input).CopyTo(x.AsSpan(r * input, input));
                _outputs.AsSpan(i * output, output).CopyTo(y.AsSpan(r * output, output));
            }
            var residual = Ops.Subtract(network.Forward(Tensor<double>.Wrap(x, b, input)), Tensor<double>.Wrap(y, b, output));
            var squares = Ops.Sum(Ops.Square(residual));
            Autograd.Backward(squares);
            double s2 = _noise * _noise;
            int offset = 0;
            foreach (var p in network.Parameters())
            {
                var g = p.Grad!.Span;
                for (int k = 0; k < g.Length; k++) gradient[offset + k] = -g[k] / (2 * s2);
                offset += g.Length;
            }
            return -squares.ToScalar() / (2 * s2) - 0.5 * b * output * Math.Log(2 * Math.PI * s2);
        }
        finally
        {
            _networks.Add(network);
        }
    }

    /// <summary>The network's outputs f_θ(x) at row-major inputs x (M × widths[0]); returns M × widths[^1] values.</summary>
    /// <exception cref="ArgumentException">When θ or x has the wrong length.</exception>
    public double[] Predict(ReadOnlySpan<double> theta, double[] inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (theta.Length != Dimension) throw new ArgumentException($"theta has {theta.Length} values; the network has {Dimension} parameters.", nameof(theta));
        if (inputs.Length % _widths[0] != 0) throw new ArgumentException($"inputs has {inputs.Length} values, not a multiple of {_widths[0]}.", nameof(inputs));
        var network = Load(theta);
        try
        {
            using (GradMode.NoGrad())
                return network.Forward(Tensor<double>.Wrap((double[])inputs.Clone(), inputs.Length / _widths[0], _widths[0])).ToArray();
        }
        finally
        {
            _networks.Add(network);
        }
    }

    private Mlp<double> NewNetwork() => new(_widths, _activation, new ParameterRandom(0));

    /// <summary>A network from the pool (the caller returns it) with θ loaded and gradients cleared.</summary>
    private Mlp<double> Load(ReadOnlySpan<double> theta)
    {
        var network = _networks.TryTake(out var pooled) ? pooled : NewNetwork();
        int offset = 0;
        foreach (var p in network.Parameters())
        {
            theta.Slice(offset, p.Length).CopyTo(p.Span);
            p.Grad = null;
            offset += p.Length;
        }
        return network;
    }
}
