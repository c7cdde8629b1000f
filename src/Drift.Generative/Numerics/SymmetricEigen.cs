namespace Drift.Generative.Numerics;

/// <summary>Eigen-decomposition A = U·diag(λ)·Uᵀ of a small symmetric matrix by cyclic Jacobi rotations.</summary>
internal static class SymmetricEigen
{
    /// <summary>Decomposes the row-major symmetric d×d matrix <paramref name="a"/>; returns (eigenvalues, U row-major with eigenvectors as columns).</summary>
    public static (double[] Values, double[] Vectors) Decompose(ReadOnlySpan<double> a, int d)
    {
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
