using System.Numerics;
using Drift.Learning.Autodiff;

namespace Drift.Learning.Data;

/// <summary>One batch of rows: inputs, optional targets and labels, and which data rows they are.</summary>
/// <param name="Inputs">Input rows, shape [b, ...].</param>
/// <param name="Targets">Target rows, or null.</param>
/// <param name="Labels">Labels, or null.</param>
/// <param name="Rows">The data-set row of each batch row.</param>
public sealed record Minibatch<T>(Tensor<T> Inputs, Tensor<T>? Targets, int[]? Labels, int[] Rows)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Number of rows.</summary>
    public int Count => Inputs.Shape[0];

    /// <summary>Rows [start, start + count) of the batch (views of the same storage).</summary>
    public Minibatch<T> Slice(int start, int count) => new(
        Inputs.Detach().Slice(start, count),
        Targets?.Detach().Slice(start, count),
        Labels?[start..(start + count)],
        Rows[start..(start + count)]);
}
