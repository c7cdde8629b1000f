using System.Runtime.CompilerServices;

namespace Drift.Sampling.Language;

/// <summary>
/// The map from the unconstrained sampling space u ∈ ℝ to a declared parameter's support, with log |dx/du| added to
/// the log-density (Stan's transforms): no bound, x = u; lower bound a, x = a + eᵘ (log J = u); upper bound b,
/// x = b − eᵘ (log J = u); both, x = a + (b − a)·σ(u) with σ the logistic function
/// (log J = log(b − a) + log σ(u) + log(1 − σ(u))).
/// </summary>
internal readonly record struct ParameterTransform(double Lower, double Upper)
{
    public bool HasLower => !double.IsNegativeInfinity(Lower);
    public bool HasUpper => !double.IsPositiveInfinity(Upper);

    /// <summary>x = T(u); <paramref name="dxdu"/> = dx/du, <paramref name="logJ"/> = log |dx/du|, <paramref name="dlogJ"/> = d log J/du.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Apply(double u, out double dxdu, out double logJ, out double dlogJ)
    {
        if (HasLower && HasUpper)
        {
            double width = Upper - Lower;
            // σ(u) and 1 − σ(u) computed without cancellation; log σ(u) = −softplus(−u), log(1 − σ(u)) = −softplus(u).
            double e = Math.Exp(-Math.Abs(u));
            double s = u >= 0 ? 1 / (1 + e) : e / (1 + e);
            double sc = u >= 0 ? e / (1 + e) : 1 / (1 + e);
            double softplusAbs = double.LogP1(e);
            double logS = u >= 0 ? -softplusAbs : u - softplusAbs, logSc = u >= 0 ? -u - softplusAbs : -softplusAbs;
            dxdu = width * s * sc;
            logJ = Math.Log(width) + logS + logSc;
            dlogJ = sc - s;
            double x = Lower + width * s;
            // Rounding can land exactly on a bound (σ(u) = 1 for u > 37); keep the value inside the open interval.
            return x >= Upper ? Math.BitDecrement(Upper) : x <= Lower ? Math.BitIncrement(Lower) : x;
        }
        if (HasLower || HasUpper)
        {
            double e = Math.Exp(u);
            dxdu = HasLower ? e : -e;
            logJ = u;
            dlogJ = 1;
            return HasLower ? Lower + e : Upper - e;
        }
        dxdu = 1;
        logJ = 0;
        dlogJ = 0;
        return u;
    }

    /// <summary>u = T⁻¹(x) for x inside the support (NaN outside).</summary>
    public double Invert(double x)
    {
        if (HasLower && HasUpper)
        {
            double p = (x - Lower) / (Upper - Lower);
            return p > 0 && p < 1 ? Math.Log(p) - double.LogP1(-p) : double.NaN;
        }
        if (HasLower) return x > Lower ? Math.Log(x - Lower) : double.NaN;
        if (HasUpper) return x < Upper ? Math.Log(Upper - x) : double.NaN;
        return x;
    }

    /// <summary>The bounds in words, "" when unbounded.</summary>
    public string Describe() => (HasLower ? $" > {Lower.ToString("G", System.Globalization.CultureInfo.InvariantCulture)}" : "") + (HasUpper ? $" < {Upper.ToString("G", System.Globalization.CultureInfo.InvariantCulture)}" : "");
}
