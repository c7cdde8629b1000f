namespace Drift.Numerics;

/// <summary>
/// Eigen-decomposition A = U·diag(λ)·Uᵀ of a small dense symmetric matrix by the cyclic Jacobi method
/// (Golub &amp; Van Loan, <i>Matrix Computations</i>, 4th ed., §8.5): each rotation zeroes one off-diagonal pair,
/// with the rotation angle from t = sign(θ)/(|θ| + √(θ²+1)), θ = (a_qq − a_pp)/(2a_pq), so |t| ≤ 1 and the
/// rotation is the smaller of the two that annihilate a_pq. Sweeps run until the off-diagonal mass
/// Σ_{i≠j} a_ij² falls below 1e-30 of the diagonal's Σ a_ii² (or is zero), at most 100 sweeps; Jacobi
/// converges quadratically, so a few sweeps suffice for the small matrices (d ≲ 100) this is meant for.
/// The eigenvalues are accurate to a small multiple of ε·‖A‖ and U is orthogonal to about d·ε.
/// </summary>
public static class SymmetricEigen
{
    /// <summary>
    /// Decomposes the row-major symmetric d×d matrix <paramref name="a"/> (symmetry is assumed, not checked;
    /// both triangles are read). Returns the eigenvalues in no particular order and U, row-major, whose column
    /// k is the unit eigenvector of eigenvalue k.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">When d &lt; 1.</exception>
    /// <exception cref="ArgumentException">When <paramref name="a"/> holds fewer than d² values or a non-finite one.</exception>
    public static (double[] Values, double[] Vectors) Decompose(ReadOnlySpan<double> a, int d)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(d, 1);
        if (a.Length < d * d) throw new ArgumentException($"a {d}×{d} matrix needs {d * d} values; got {a.Length}.", nameof(a));
        for (int k = 0; k < d * d; k++)
            if (!double.IsFinite(a[k])) throw new ArgumentException($"element ({k / d}, {k % d}) is {a[k]}; the matrix must be finite.", nameof(a));
        var m = a[..(d * d)].ToArray();
        var u = new double[d * d];
        for (int i = 0; i < d; i++) u[i * d + i] = 1;
        for (int sweep = 0; sweep < 100; sweep++)
        {
            double off = 0, scale = 0;
            for (int i = 0; i < d; i++)
                for (int j = 0; j < d; j++)
                {
                    if (i != j) off += m[i * d + j] * m[i * d + j];
                    else scale += m[i * d + j] * m[i * d + j];
                }
            if (off <= 1e-30 * scale || off == 0) break;
            for (int p = 0; p < d - 1; p++)
                for (int q = p + 1; q < d; q++)
                {
                    double apq = m[p * d + q];
                    if (apq == 0) continue;
                    double app = m[p * d + p], aqq = m[q * d + q];
                    double theta = (aqq - app) / (2 * apq);
                    double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int k = 0; k < d; k++)
                    {
                        double mkp = m[k * d + p], mkq = m[k * d + q];
                        m[k * d + p] = c * mkp - s * mkq;
                        m[k * d + q] = s * mkp + c * mkq;
                    }
                    for (int k = 0; k < d; k++)
                    {
                        double mpk = m[p * d + k], mqk = m[q * d + k];
                        m[p * d + k] = c * mpk - s * mqk;
                        m[q * d + k] = s * mpk + c * mqk;
                    }
                    for (int k = 0; k < d; k++)
                    {
                        double ukp = u[k * d + p], ukq = u[k * d + q];
                        u[k * d + p] = c * ukp - s * ukq;
                        u[k * d + q] = s * ukp + c * ukq;
                    }
                }
        }
        var values = new double[d];
        for (int i = 0; i < d; i++) values[i] = m[i * d + i];
        return (values, u);
    }
}
