namespace Drift.Solve;

/// <summary>
/// Any ODE method the one solve entry point accepts: a fixed-step <see cref="Ode.IOdeSolver"/> or an
/// embedded pair <see cref="Adaptive.IEmbeddedMethod"/>. The step-size controller of the solve, not the
/// method, decides whether steps are fixed or adaptive.
/// </summary>
public interface IOdeMethod
{
    /// <summary>Short name, as the CLI spells it.</summary>
    string Name { get; }

    /// <summary>Order p of convergence: global error O(hᵖ).</summary>
    int Order { get; }
}
