using System.Numerics;
using Drift.Learning.Autodiff;

namespace Drift.Learning.Layers;

/// <summary>
/// A learned vector per class label (PyTorch's <c>nn.Embedding</c>, initialised N(0, 1)). With
/// <c>nullLabel</c> an extra row <see cref="NullLabel"/> stands for "no label", as classifier-free
/// guidance training drops labels to it.
/// </summary>
public sealed class LabelEmbedding<T> : Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates an embedding for <paramref name="classes"/> labels (plus a null label if asked).</summary>
    public LabelEmbedding(int classes, int dimension, ParameterRandom random, bool nullLabel = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        ArgumentNullException.ThrowIfNull(random);
        Classes = classes;
        Dimension = dimension;
        Table = Parameter("weight", random.Normal<T>(0, 1, classes + (nullLabel ? 1 : 0), dimension));
    }

    /// <summary>Number of real labels.</summary>
    public int Classes { get; }
    /// <summary>Vector length.</summary>
    public int Dimension { get; }
    /// <summary>The index of the "no label" row (equal to <see cref="Classes"/>) when there is one.</summary>
    public int NullLabel => Classes;
    /// <summary>The table, shape [classes (+1), dimension].</summary>
    public Tensor<T> Table { get; }

    /// <summary>The vectors of the given labels, shape [n, dimension].</summary>
    public Tensor<T> Forward(ReadOnlySpan<int> labels) => Ops.Rows(Table, labels);

    /// <summary>c + the vectors of the labels, one label per row of c (how conditional networks add a label to their time conditioning).</summary>
    /// <exception cref="ArgumentException">When the label count differs from the rows of c.</exception>
    internal Tensor<T> AddTo(Tensor<T> c, ReadOnlySpan<int> labels)
    {
        if (labels.Length != c.Shape[0])
            throw new ArgumentException($"The network is class-conditional: {c.Shape[0]} labels are needed, got {labels.Length}.", nameof(labels));
        return Ops.Add(c, Forward(labels));
    }
}
