using Drift.Generative.Metrics;
using Drift.Random;

namespace Drift.Generative.Tests.Metrics;

/// <summary>The Fréchet distance against closed forms and against scipy's sqrtm on a fixed non-commuting example.</summary>
public class FrechetDistanceTests
{
    [Fact]
    public void Commuting_covariances_give_the_closed_form_sum_of_squared_root_differences()
    {
        // Σ₁ = R diag(a) Rᵀ and Σ₂ = R diag(b) Rᵀ commute, so FD = ‖Δμ‖² + Σ (√aᵢ − √bᵢ)².
        double[] a = [4, 1, 0.25], b = [1, 9, 0.25];
        double[] m1 = [1, 2, 3], m2 = [0, 2, 5];
        double c = Math.Cos(0.7), s = Math.Sin(0.7);
        double[] r = [c, -s, 0, s * 0.6, c * 0.6, -0.8, s * 0.8, c * 0.8, 0.6]; // a rotation (orthonormal rows)
        var s1 = Conjugate(r, a);
        var s2 = Conjugate(r, b);
        double exact = 1 + 0 + 4 + Math.Pow(2 - 1, 2) + Math.Pow(1 - 3, 2) + 0;
        Assert.Equal(exact, FrechetDistance.Between(m1, s1, m2, s2, 3), 1e-10);
        Assert.Equal(0, FrechetDistance.Between(m1, s1, m1, s1, 3), 1e-10);
    }

    [Fact]
    public void A_non_commuting_pair_matches_scipy_sqrtm()
    {
        // Reference, computed once with numpy 1.24.2 / scipy 1.10.1:
        //   fd = sum((m1 - m2)**2) + trace(A + B - 2 * scipy.linalg.sqrtm(A @ B).real)
        double[] m1 = [0.5, -1.0, 2.0], m2 = [0.0, 0.25, 1.5];
        double[] a = [2.0, 0.3, -0.4, 0.3, 1.0, 0.2, -0.4, 0.2, 0.5];
        double[] b = [1.0, -0.5, 0.1, -0.5, 3.0, 0.6, 0.1, 0.6, 0.8];
        const double Scipy = 3.1843130426135535;
        Assert.Equal(Scipy, FrechetDistance.Between(m1, a, m2, b, 3), 1e-10);
        Assert.Equal(Scipy, FrechetDistance.Between(m2, b, m1, a, 3), 1e-10); // symmetric
    }

    [Fact]
    public void A_singular_covariance_is_handled_and_sample_moments_converge()
    {
        // Σ₁ = diag(1, 0) (rank 1), Σ₂ = I: FD = (1 − 1)² + (0 − 1)² = 1.
        Assert.Equal(1, FrechetDistance.Between([0, 0], [1, 0, 0, 0], [0, 0], [1, 0, 0, 1], 2), 1e-12);
        // Samples of N(0, I₂) and N((1, 0), diag(4, 1)): FD = 1 + (2 − 1)² = 2; the estimate's error is O(1/√n).
        const int n = 20000;
        var z = new double[4 * n];
        new PhiloxNormals(5).FillStream(0, 0, z);
        var x = z.AsSpan(0, 2 * n).ToArray();
        var y = z.AsSpan(2 * n).ToArray();
        for (int r = 0; r < n; r++) y[2 * r] = 1 + 2 * y[2 * r];
        Assert.Equal(2, FrechetDistance.FromSamples(x, y, 2), 0.1);
        Assert.Throws<ArgumentException>(() => FrechetDistance.FromSamples([1, 2], [1, 2, 3, 4], 2));
        Assert.Throws<ArgumentException>(() => FrechetDistance.Between([0, double.NaN], [1, 0, 0, 1], [0, 0], [1, 0, 0, 1], 2));
    }

    static double[] Conjugate(double[] r, double[] diagonal)
    {
        int d = diagonal.Length;
        var m = new double[d * d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++)
                for (int k = 0; k < d; k++) m[i * d + j] += r[i * d + k] * diagonal[k] * r[j * d + k];
        return m;
    }
}
