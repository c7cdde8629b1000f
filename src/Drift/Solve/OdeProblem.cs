namespace Drift.Solve;

/// <summary>An ODE dx/dt = f(t, x) on [T0, T1] with x(T0) = x0.</summary>
/// <typeparam name="TDrift">The right-hand side f, a struct so that solvers specialise for it.</typeparam>
public sealed class OdeProblem<TDrift>
    where TDrift : struct, IDrift
{
    /// <summary>Creates the problem and validates its shape.</summary>
    /// <exception cref="ArgumentException">Times are not finite and increasing, or x0 has the wrong length or is not finite.</exception>
    public OdeProblem(TDrift drift, double[] initialState, double t0, double t1)
    {
        ArgumentNullException.ThrowIfNull(initialState);
        ProblemChecks.Validate(drift.Dimension, initialState, t0, t1);
        Drift = drift;
        InitialState = (double[])initialState.Clone();
        T0 = t0;
        T1 = t1;
    }

    /// <summary>The right-hand side f.</summary>
    public TDrift Drift { get; }
    /// <summary>x0 shared by every path (unless <see cref="PathInitialStates"/> is set).</summary>
    public double[] InitialState { get; }
    /// <summary>Start time.</summary>
    public double T0 { get; }
    /// <summary>End time.</summary>
    public double T1 { get; }
    /// <summary>Optional per-path initial states; overrides <see cref="InitialState"/>.</summary>
    public InitialStates? PathInitialStates { get; init; }
    /// <summary>
    /// Where ∂fᵢ/∂xⱼ may be non-zero (d × d), or null for a dense Jacobian. The stiff methods (Rosenbrock23, Rodas4,
    /// Rodas5P, BDF, RadauIIA5) then keep J on the pattern, difference it in Curtis–Powell–Reid column groups (one
    /// evaluation per group) and factor the iteration matrix by whichever costs least: a sparse LU in minimum-degree order
    /// (<see cref="Numerics.SparseLu"/>), a banded LU after reverse Cuthill–McKee, or dense LU. Give it (<see cref="Numerics.SparsityPattern.Banded"/>, <see cref="Numerics.SparsityPattern.FromCsr"/>)
    /// or detect it (<see cref="Stiff.JacobianSparsity.Detect{TDrift}"/>). An entry the pattern omits is taken as zero.
    /// </summary>
    /// <exception cref="ArgumentException">The pattern's order is not the dimension.</exception>
    public Numerics.SparsityPattern? JacobianSparsity
    {
        get => _sparsity;
        init
        {
            if (value is not null && value.N != Drift.Dimension)
                throw new ArgumentException($"the sparsity pattern is {value.N} × {value.N} but the system has dimension {Drift.Dimension}.", nameof(JacobianSparsity));
            _sparsity = value;
        }
    }

    private readonly Numerics.SparsityPattern? _sparsity;

    /// <summary>State dimension d.</summary>
    public int Dimension => Drift.Dimension;
}
