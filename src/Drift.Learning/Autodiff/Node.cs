using System.Numerics;

namespace Drift.Learning.Autodiff;

/// <summary>
/// Writes the gradients of an operation's inputs given the gradient of its output:
/// gradInputs[i] = (∂output/∂input_i)ᵀ·gradOutput, or null where input i needs none.
/// Runs with recording on when a higher-order graph is wanted, so it must be written with
/// differentiable <see cref="Ops"/> unless it checks <see cref="GradMode.IsEnabled"/> first.
/// </summary>
internal delegate void BackwardFunction<T>(Node<T> node, Tensor<T> output, Tensor<T> gradOutput, Tensor<T>?[] gradInputs)
    where T : unmanaged, IFloatingPointIeee754<T>;

/// <summary>The recorded operation that produced a tensor: its inputs, its backward rule and what the rule saved.</summary>
internal sealed class Node<T>(string operation, Tensor<T>[] inputs, BackwardFunction<T> backward)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public string Operation { get; } = operation;
    public Tensor<T>[] Inputs { get; } = inputs;
    public BackwardFunction<T> Backward { get; } = backward;

    /// <summary>A tensor the backward rule needs (e.g. sigmoid(x)), or null.</summary>
    public Tensor<T>? Saved { get; set; }
    /// <summary>A constant the operation was called with (scale, exponent, axis...).</summary>
    public double Constant { get; set; }
    /// <summary>An integer argument (axis, count...).</summary>
    public int Integer { get; set; }
    /// <summary>Any other argument (shapes, index arrays).</summary>
    public object? State { get; set; }

    /// <summary>Whether input <paramref name="i"/> needs a gradient.</summary>
    public bool Needs(int i) => Inputs[i].RequiresGrad;
}
