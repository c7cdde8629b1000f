namespace Drift.Numerics;

/// <summary>
/// A factorised n × n matrix A that solves A x = b in place: <see cref="DenseLu"/>, <see cref="BandedLu"/>, or a stiff
/// solver's iteration matrix W (which picks one of them from the Jacobian's sparsity).
/// </summary>
public interface ILinearSolver
{
    /// <summary>The order n.</summary>
    int N { get; }

    /// <summary>Solves A x = b in place (b becomes x) with the last successful factorisation.</summary>
    /// <exception cref="ArgumentException"><paramref name="b"/> does not have n entries.</exception>
    void Solve(Span<double> b);
}
