namespace Drift.Solve;

/// <summary>
/// The Jacobian J_ij = ∂f_i/∂x_j of a drift f at one state, for variational equations dδ/dt = J(x) δ
/// (Lyapunov exponents, linear stability).
/// </summary>
public interface IJacobian
{
    /// <summary>Writes J(t, x) row-major: element (i, j) at <c>i·d + j</c>.</summary>
    /// <param name="t">Time.</param>
    /// <param name="x">One state (length d).</param>
    /// <param name="jacobian">Output of length d².</param>
    void Jacobian(double t, ReadOnlySpan<double> x, Span<double> jacobian);
}
