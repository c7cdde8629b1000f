using System.Numerics;
using System.Numerics.Tensors;

namespace Drift.Learning.Autodiff;

/// <summary>
/// Reverse-mode automatic differentiation over the graph that operations record (define-by-run):
/// gradients of a scalar, vector–Jacobian and Jacobian–vector products, and divergences.
/// </summary>
/// <remarks>
/// <para>A backward pass visits the recorded operations in reverse topological order from the
/// output, applying each one's vector–Jacobian product and summing contributions where a tensor
/// feeds several operations (in a fixed order, so results are deterministic).</para>
/// <para><b>Higher order.</b> With <c>createGraph: true</c> the backward pass itself is recorded
/// (every rule is written with differentiable operations), so the gradients it returns can be
/// differentiated again: a loss containing ∂u/∂x can be minimised over weights, as with PyTorch's
/// <c>create_graph=True</c>. Without it, backward runs with recording off and uses fused kernels.</para>
/// </remarks>
public static class Autograd
{
    /// <summary>
    /// Accumulates ∂output/∂leaf·gradOutput into <see cref="Tensor{T}.Grad"/> of every leaf that
    /// requires a gradient (adding to what is there, as PyTorch's <c>backward</c>).
    /// </summary>
    /// <param name="output">The tensor to differentiate; a scalar unless <paramref name="gradOutput"/> is given.</param>
    /// <param name="gradOutput">The vector v of vᵀJ (same shape as output); ones for a scalar when null.</param>
    /// <param name="createGraph">Record the backward pass so that the gradients are differentiable.</param>
    /// <exception cref="ArgumentException">When output is not a scalar and no gradOutput is given, or shapes differ.</exception>
    public static void Backward<T>(Tensor<T> output, Tensor<T>? gradOutput = null, bool createGraph = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var grads = Run(output, gradOutput, createGraph);
        foreach (var (tensor, g) in grads)
        {
            if (!tensor.IsLeaf || !tensor.RequiresGrad) continue;
            if (createGraph) tensor.Grad = tensor.Grad is null ? g : Ops.Add(tensor.Grad, g);
            else if (tensor.Grad is null)
            {
                var copy = new Tensor<T>(new T[g.Length], 0, tensor.Shape.ToArray(), g.Length);
                g.Span.CopyTo(copy.Span);
                tensor.Grad = copy;
            }
            else TensorPrimitives.Add(tensor.Grad.Span, g.Span, tensor.Grad.Span);
        }
    }

    /// <summary>
    /// The gradients ∂output/∂input_i (times <paramref name="gradOutput"/>) for each input, without
    /// touching <see cref="Tensor{T}.Grad"/> (as <c>torch.autograd.grad</c>). An input the output does
    /// not depend on gets zeros.
    /// </summary>
    /// <exception cref="ArgumentException">When an input does not require a gradient.</exception>
    public static Tensor<T>[] Grad<T>(Tensor<T> output, IReadOnlyList<Tensor<T>> inputs, Tensor<T>? gradOutput = null, bool createGraph = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(inputs);
        for (int i = 0; i < inputs.Count; i++)
            if (!inputs[i].RequiresGrad)
                throw new ArgumentException($"Input {i} ({inputs[i]}) does not require a gradient: set RequiresGrad before computing the output.", nameof(inputs));
        var grads = Run(output, gradOutput, createGraph);
        var result = new Tensor<T>[inputs.Count];
        for (int i = 0; i < inputs.Count; i++)
            result[i] = grads.TryGetValue(inputs[i], out var g) ? g : Tensor<T>.Zeros(inputs[i].Shape);
        return result;
    }

    /// <summary>The gradient of a scalar output with respect to one input.</summary>
    public static Tensor<T> Grad<T>(Tensor<T> output, Tensor<T> input, bool createGraph = false)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Grad(output, [input], null, createGraph)[0];

    /// <summary>
    /// The vector–Jacobian product uᵀ·∂f/∂x at x, and f(x). x is used as given if it already requires a
    /// gradient (so the product can be differentiated further with <paramref name="createGraph"/>),
    /// otherwise a variable copy of it is differentiated.
    /// </summary>
    public static (Tensor<T> Value, Tensor<T> Product) Vjp<T>(Func<Tensor<T>, Tensor<T>> f, Tensor<T> x, Tensor<T> u, bool createGraph = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(f);
        var xv = x.RequiresGrad ? x : AsVariable(x);
        using var record = GradMode.EnableGrad();
        var y = f(xv);
        if (!y.RequiresGrad) return (y, Tensor<T>.Zeros(x.Shape));
        return (y, Grad(y, [xv], u, createGraph)[0]);
    }

    /// <summary>
    /// The Jacobian–vector product ∂f/∂x·v at x, and f(x), by the double-VJP trick: with w a dummy
    /// cotangent, J·v = ∂/∂w [ (wᵀJ)·v ]; the inner product is linear in w, so any w gives the same answer.
    /// Costs two reverse passes.
    /// </summary>
    public static (Tensor<T> Value, Tensor<T> Product) Jvp<T>(Func<Tensor<T>, Tensor<T>> f, Tensor<T> x, Tensor<T> v, bool createGraph = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(f);
        if (!x.SameShape(v))
            throw new ArgumentException($"Jvp: x {ShapeRules.Format(x.Shape)} and v {ShapeRules.Format(v.Shape)} differ.", nameof(v));
        var xv = x.RequiresGrad ? x : AsVariable(x);
        using var record = GradMode.EnableGrad();
        var y = f(xv);
        if (!y.RequiresGrad) return (y, Tensor<T>.Zeros(y.Shape));
        var w = Tensor<T>.Zeros(y.Shape);
        w.SetRequiresGradUnchecked(true);
        var wJ = Grad(y, [xv], w, createGraph: true)[0];
        var inner = Ops.Sum(Ops.Multiply(wJ, v));
        var jv = inner.RequiresGrad ? Grad(inner, [w], null, createGraph)[0] : Tensor<T>.Zeros(y.Shape);
        return (y, jv);
    }

    /// <summary>
    /// The exact divergence Σ_i ∂f_i/∂x_i for each row of x [n, d] (f maps [n, d] to [n, d] row by row),
    /// by d vector–Jacobian products with the unit vectors: for the small d of probability-flow likelihoods.
    /// Returns shape [n].
    /// </summary>
    public static Tensor<T> Divergence<T>(Func<Tensor<T>, Tensor<T>> f, Tensor<T> x, bool createGraph = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(f);
        if (x.Rank != 2) throw new ArgumentException($"Divergence needs x of shape [n, d], not {ShapeRules.Format(x.Shape)}.", nameof(x));
        int n = x.Shape[0], d = x.Shape[1];
        var xv = x.RequiresGrad ? x : AsVariable(x);
        using var record = GradMode.EnableGrad();
        var y = f(xv);
        if (!y.SameShape(xv)) throw new ArgumentException($"Divergence: f maps {ShapeRules.Format(x.Shape)} to {ShapeRules.Format(y.Shape)}, not to the same shape.", nameof(f));
        Tensor<T>? div = null;
        for (int i = 0; i < d; i++)
        {
            var e = Tensor<T>.Zeros(n, d);
            for (int r = 0; r < n; r++) e.Span[r * d + i] = T.One;
            var row = Grad(y, [xv], e, createGraph)[0];
            var term = Ops.Narrow(row, 1, i, 1);
            div = div is null ? term : Ops.Add(div, term);
        }
        return div is null ? Tensor<T>.Zeros(n) : Ops.Reshape(div, [n]);
    }

    /// <summary>
    /// Hutchinson's unbiased divergence estimate εᵀ(∂f/∂x)ε per row, averaged over the given probes
    /// (each of shape [n, d]; Rademacher or standard normal entries make it unbiased): one
    /// vector–Jacobian product per probe. Returns shape [n].
    /// </summary>
    public static Tensor<T> HutchinsonDivergence<T>(Func<Tensor<T>, Tensor<T>> f, Tensor<T> x, IReadOnlyList<Tensor<T>> probes, bool createGraph = false)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(f);
        ArgumentNullException.ThrowIfNull(probes);
        if (probes.Count == 0) throw new ArgumentException("At least one probe is needed.", nameof(probes));
        var xv = x.RequiresGrad ? x : AsVariable(x);
        using var record = GradMode.EnableGrad();
        var y = f(xv);
        Tensor<T>? sum = null;
        foreach (var eps in probes)
        {
            if (!eps.SameShape(xv)) throw new ArgumentException($"Probe shape {ShapeRules.Format(eps.Shape)} differs from x {ShapeRules.Format(x.Shape)}.", nameof(probes));
            var vjp = Grad(y, [xv], eps, createGraph)[0];
            var term = Ops.Sum(Ops.Multiply(vjp, eps), 1);
            sum = sum is null ? term : Ops.Add(sum, term);
        }
        return Ops.Scale(sum!, T.One / T.CreateChecked(probes.Count));
    }

    static Tensor<T> AsVariable<T>(Tensor<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var v = x.Detach();
        v.SetRequiresGradUnchecked(true);
        return v;
    }

    /// <summary>The gradient of every tensor on the graph below output, keyed by tensor identity.</summary>
    static Dictionary<Tensor<T>, Tensor<T>> Run<T>(Tensor<T> output, Tensor<T>? gradOutput, bool createGraph)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!output.RequiresGrad)
            throw new ArgumentException($"{output} does not depend on any tensor that requires a gradient (was it computed under NoGrad, or from constants only?).", nameof(output));
        if (gradOutput is null && output.Length != 1)
            throw new ArgumentException($"Backward of a non-scalar {output} needs gradOutput of the same shape.", nameof(gradOutput));
        if (gradOutput is not null && !gradOutput.SameShape(output))
            throw new ArgumentException($"gradOutput {ShapeRules.Format(gradOutput.Shape)} differs from output {ShapeRules.Format(output.Shape)}.", nameof(gradOutput));

        var order = TopologicalOrder(output);
        var grads = new Dictionary<Tensor<T>, Tensor<T>>(ReferenceEqualityComparer.Instance);
        grads[output] = gradOutput ?? Tensor<T>.Ones(output.Shape);
        using var mode = GradMode.Set(createGraph);
        for (int k = order.Count - 1; k >= 0; k--)
        {
            var t = order[k];
            if (!grads.TryGetValue(t, out var g)) continue;
            var node = t.node!;
            var gi = new Tensor<T>?[node.Inputs.Length];
            node.Backward(node, t, g, gi);
            for (int i = 0; i < gi.Length; i++)
            {
                var input = node.Inputs[i];
                var gin = gi[i];
                if (gin is null || !input.RequiresGrad) continue;
                if (!gin.SameShape(input))
                    throw new InvalidOperationException($"Internal error: the {node.Operation} rule gave a gradient of shape {ShapeRules.Format(gin.Shape)} for an input of shape {ShapeRules.Format(input.Shape)}.");
                grads[input] = grads.TryGetValue(input, out var before) ? Ops.Add(before, gin) : gin;
            }
        }
        return grads;
    }

    /// <summary>Tensors with a recorded operation below output, each after all of its inputs (iterative post-order).</summary>
    static List<Tensor<T>> TopologicalOrder<T>(Tensor<T> output) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var order = new List<Tensor<T>>();
        if (output.node is null) return order;
        var seen = new HashSet<Tensor<T>>(ReferenceEqualityComparer.Instance) { output };
        var stack = new Stack<(Tensor<T> Tensor, int Next)>();
        stack.Push((output, 0));
        while (stack.Count > 0)
        {
            var (t, next) = stack.Pop();
            var inputs = t.node!.Inputs;
            if (next < inputs.Length)
            {
                stack.Push((t, next + 1));
                var child = inputs[next];
                if (child.node is not null && seen.Add(child)) stack.Push((child, 0));
            }
            else order.Add(t);
        }
        return order;
    }
}
