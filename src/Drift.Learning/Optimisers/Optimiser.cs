using System.Numerics;
using Drift.Learning.Autodiff;

namespace Drift.Learning.Optimisers;

/// <summary>
/// A first-order optimiser over a fixed list of parameter tensors. <see cref="Step(IReadOnlyList{Tensor{T}})"/>
/// applies one update from gradients given in the same order (the data-parallel trainer's reduced
/// gradients); <see cref="Step()"/> uses each parameter's accumulated <see cref="Tensor{T}.Grad"/>.
/// </summary>
/// <remarks>
/// Every update first checks that the gradients are finite and throws
/// <see cref="NonFiniteGradientException"/> naming the parameter and the step otherwise, so a
/// diverging run stops instead of training on NaN. Updates run with recording off.
/// </remarks>
public abstract class Optimiser<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>Creates an optimiser over the parameters.</summary>
    /// <exception cref="ArgumentException">When the list is empty or a parameter does not require a gradient.</exception>
    protected Optimiser(IReadOnlyList<Tensor<T>> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count == 0) throw new ArgumentException("An optimiser needs at least one parameter.", nameof(parameters));
        for (int i = 0; i < parameters.Count; i++)
            if (!parameters[i].IsLeaf || !parameters[i].RequiresGrad)
                throw new ArgumentException($"Parameter {i} ({parameters[i]}) is not a leaf that requires a gradient.", nameof(parameters));
        Parameters = parameters;
        LearningRate = learningRate;
    }

    /// <summary>The parameters, in the order gradients are given.</summary>
    public IReadOnlyList<Tensor<T>> Parameters { get; }

    /// <summary>The step size used by the next update (schedules set it each step).</summary>
    public double LearningRate
    {
        get;
        set
        {
            if (!(value >= 0) || !double.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "The learning rate must be finite and non-negative.");
            field = value;
        }
    }

    /// <summary>Number of updates applied so far.</summary>
    public long StepCount { get; protected set; }

    /// <summary>Applies one update from the given gradients (one per parameter, same shapes).</summary>
    /// <exception cref="ArgumentException">When the count or a shape does not match.</exception>
    /// <exception cref="NonFiniteGradientException">When a gradient holds NaN or ±∞.</exception>
    public void Step(IReadOnlyList<Tensor<T>> gradients)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        if (gradients.Count != Parameters.Count)
            throw new ArgumentException($"{gradients.Count} gradients for {Parameters.Count} parameters.", nameof(gradients));
        for (int i = 0; i < gradients.Count; i++)
        {
            if (!gradients[i].SameShape(Parameters[i]))
                throw new ArgumentException($"Gradient {i} has shape {ShapeRules.Format(gradients[i].Shape)} but parameter {Parameters[i]} has {ShapeRules.Format(Parameters[i].Shape)}.", nameof(gradients));
            NonFiniteGradientException.ThrowIfNonFinite(gradients[i].Span, Parameters[i], i, StepCount + 1);
        }
        using var off = GradMode.NoGrad();
        StepCount++;
        for (int i = 0; i < Parameters.Count; i++) Update(i, Parameters[i].Span, gradients[i].Span);
    }

    /// <summary>Applies one update from each parameter's <see cref="Tensor{T}.Grad"/> (a parameter without one is skipped).</summary>
    public void Step()
    {
        var grads = new Tensor<T>[Parameters.Count];
        for (int i = 0; i < grads.Length; i++) grads[i] = Parameters[i].Grad ?? Tensor<T>.Zeros(Parameters[i].Shape);
        Step(grads);
    }

    /// <summary>Clears every parameter's <see cref="Tensor{T}.Grad"/>.</summary>
    public void ZeroGrad()
    {
        foreach (var p in Parameters) p.Grad = null;
    }

    /// <summary>Updates parameter <paramref name="index"/> (values <paramref name="p"/>) in place from its gradient <paramref name="g"/>; <see cref="StepCount"/> is already the new step's number.</summary>
    protected abstract void Update(int index, Span<T> p, ReadOnlySpan<T> g);

    /// <summary>The optimiser's state tensors by name (e.g. "0.exp_avg"), for checkpoints; written back by <see cref="LoadState"/>.</summary>
    public abstract IReadOnlyList<(string Name, Tensor<T> Tensor)> State();

    /// <summary>Restores state saved from <see cref="State"/> (same names and shapes) and the step count.</summary>
    /// <exception cref="ArgumentException">When a name is missing or a shape differs.</exception>
    public void LoadState(IReadOnlyDictionary<string, Tensor<T>> state, long stepCount)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentOutOfRangeException.ThrowIfNegative(stepCount);
        foreach (var (name, tensor) in State())
        {
            if (!state.TryGetValue(name, out var saved))
                throw new ArgumentException($"Optimiser state '{name}' is missing.", nameof(state));
            if (!saved.SameShape(tensor))
                throw new ArgumentException($"Optimiser state '{name}' has shape {ShapeRules.Format(saved.Shape)}, expected {ShapeRules.Format(tensor.Shape)}.", nameof(state));
            tensor.CopyFrom(saved);
        }
        StepCount = stepCount;
    }

    /// <summary>A zero tensor shaped like parameter <paramref name="index"/> (optimiser state lives outside any arena).</summary>
    protected Tensor<T> ZerosLike(int index)
    {
        var p = Parameters[index];
        return Tensor<T>.Wrap(new T[p.Length], p.Shape);
    }
}
