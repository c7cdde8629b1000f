namespace Drift.Learning.Autodiff;

/// <summary>
/// Whether operations on the current thread record the graph that <see cref="Autograd"/> walks.
/// Recording is on by default; <see cref="NoGrad"/> turns it off for a scope (inference, optimiser
/// updates, first-order backward passes), during which operations only compute and allocate no graph.
/// </summary>
public static class GradMode
{
    [ThreadStatic] static bool disabled;
    [ThreadStatic] static bool parametersConstant;

    /// <summary>Whether operations on this thread currently record.</summary>
    public static bool IsEnabled => !disabled;

    /// <summary>Whether module parameters are currently constants on this thread (see <see cref="ConstantParameters"/>).</summary>
    public static bool ParametersAreConstant => parametersConstant;

    /// <summary>Turns recording off until the returned scope is disposed (scopes nest).</summary>
    public static Scope NoGrad() => Set(enabled: false);

    /// <summary>Turns recording on until the returned scope is disposed, even inside <see cref="NoGrad"/>.</summary>
    public static Scope EnableGrad() => Set(enabled: true);

    /// <summary>
    /// Treats every module parameter (a tensor registered by <c>Module.Parameter</c>) as a constant on this thread until
    /// the returned scope is disposed: its <see cref="Tensor{T}.RequiresGrad"/> reads false, so operations record only
    /// what depends on other variables and a backward pass computes no weight gradients. For derivatives with respect
    /// to a network's input (Jacobian traces, input gradients), as differentiating a <c>torch.func.functional_call</c>
    /// with detached weights. Thread-local, so other threads keep training the same parameters; scopes nest.
    /// </summary>
    public static Scope ConstantParameters()
    {
        var scope = new Scope(!disabled, parametersConstant);
        parametersConstant = true;
        return scope;
    }

    internal static Scope Set(bool enabled)
    {
        var scope = new Scope(!disabled, parametersConstant);
        disabled = !enabled;
        return scope;
    }

    /// <summary>Restores the previous recording state (and parameter treatment) when disposed.</summary>
    public readonly struct Scope : IDisposable
    {
        readonly bool previous;
        readonly bool previousConstant;

        internal Scope(bool previous, bool previousConstant)
        {
            this.previous = previous;
            this.previousConstant = previousConstant;
        }

        /// <summary>Ends the scope.</summary>
        public void Dispose()
        {
            disabled = !previous;
            parametersConstant = previousConstant;
        }
    }
}
