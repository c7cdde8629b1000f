namespace Drift.Learning.Autodiff;

/// <summary>
/// Whether operations on the current thread record the graph that <see cref="Autograd"/> walks.
/// Recording is on by default; <see cref="NoGrad"/> turns it off for a scope (inference, optimiser
/// updates, first-order backward passes), during which operations only compute and allocate no graph.
/// </summary>
public static class GradMode
{
    [ThreadStatic] static bool disabled;

    /// <summary>Whether operations on this thread currently record.</summary>
    public static bool IsEnabled => !disabled;

    /// <summary>Turns recording off until the returned scope is disposed (scopes nest).</summary>
    public static Scope NoGrad() => Set(enabled: false);

    /// <summary>Turns recording on until the returned scope is disposed, even inside <see cref="NoGrad"/>.</summary>
    public static Scope EnableGrad() => Set(enabled: true);

    internal static Scope Set(bool enabled)
    {
        var scope = new Scope(!disabled);
        disabled = !enabled;
        return scope;
    }

    /// <summary>Restores the previous recording state when disposed.</summary>
    public readonly struct Scope : IDisposable
    {
        readonly bool previous;

        internal Scope(bool previous) => this.previous = previous;

        /// <summary>Ends the scope.</summary>
        public void Dispose() => disabled = !previous;
    }
}
