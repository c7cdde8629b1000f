namespace Drift.Numerics;

/// <summary>Scalar functions that .NET computes less accurately than needed.</summary>
internal static class ScalarMath
{
    /// <summary>
    /// eˣ − 1 to a few ulps for every x (Kahan's trick: with u = eˣ rounded, (u − 1)·x / ln u cancels the
    /// rounding error of u), since the friction coefficients 1 − e^{−γh} must stay accurate when γh is tiny.
    /// </summary>
    public static double ExpM1(double x)
    {
        if (Math.Abs(x) >= 0.5) return Math.Exp(x) - 1;
        double u = Math.Exp(x);
        if (u == 1.0) return x;
        double um1 = u - 1;
        return um1 == -1.0 ? -1.0 : um1 * x / Math.Log(u);
    }
}
