namespace Drift.Random;

/// <summary>
/// The standard normal quantile Φ⁻¹(p) by Wichura's algorithm AS 241 (PPND16, Applied Statistics 37(3), 477–484,
/// 1988): a rational approximation of degree 7/7 in r = 0.180625 − q² for |q| = |p − ½| ≤ 0.425, and in
/// r = √(−ln min(p, 1 − p)) − 1.6 (r ≤ 5) or r − 5 beyond, with relative accuracy about 10⁻¹⁶.
/// </summary>
/// <remarks>Coefficients as published in AS 241 (checked against J. Burkardt's transcription of the FORTRAN original).
/// This is how quasi-Monte Carlo turns a uniform point into normals: the inversion keeps the low-discrepancy structure,
/// which Box–Muller or a ziggurat would not.</remarks>
public static class NormalQuantile
{
    /// <summary>Φ⁻¹(p): the x with P(Z ≤ x) = p for a standard normal Z.</summary>
    /// <param name="p">Probability; p ≤ 0 gives −∞, p ≥ 1 gives +∞, NaN gives NaN.</param>
    public static double Evaluate(double p)
    {
        if (double.IsNaN(p)) return double.NaN;
        if (p <= 0) return double.NegativeInfinity;
        if (p >= 1) return double.PositiveInfinity;
        double q = p - 0.5;
        if (Math.Abs(q) <= 0.425)
        {
            double r = 0.180625 - q * q;
            return q * (((((((2.5090809287301226727e3 * r + 3.3430575583588128105e4) * r + 6.7265770927008700853e4) * r
                        + 4.5921953931549871457e4) * r + 1.3731693765509461125e4) * r + 1.9715909503065514427e3) * r
                        + 1.3314166789178437745e2) * r + 3.3871328727963666080e0)
                   / (((((((5.2264952788528545610e3 * r + 2.8729085735721942674e4) * r + 3.9307895800092710610e4) * r
                        + 2.1213794301586595867e4) * r + 5.3941960214247511077e3) * r + 6.8718700749205790830e2) * r
                        + 4.2313330701600911252e1) * r + 1.0);
        }
        double t = Math.Sqrt(-Math.Log(q < 0 ? p : 1 - p));
        double value;
        if (t <= 5)
        {
            t -= 1.6;
            value = (((((((7.74545014278341407640e-4 * t + 2.27238449892691845833e-2) * t + 2.41780725177450611770e-1) * t
                        + 1.27045825245236838258e0) * t + 3.64784832476320460504e0) * t + 5.76949722146069140550e0) * t
                        + 4.63033784615654529590e0) * t + 1.42343711074968357734e0)
                  / (((((((1.05075007164441684324e-9 * t + 5.47593808499534494600e-4) * t + 1.51986665636164571966e-2) * t
                        + 1.48103976427480074590e-1) * t + 6.89767334985100004550e-1) * t + 1.67638483018380384940e0) * t
                        + 2.05319162663775882187e0) * t + 1.0);
        }
        else
        {
            t -= 5;
            value = (((((((2.01033439929228813265e-7 * t + 2.71155556874348757815e-5) * t + 1.24266094738807843860e-3) * t
                        + 2.65321895265761230930e-2) * t + 2.96560571828504891230e-1) * t + 1.78482653991729133580e0) * t
                        + 5.46378491116411436990e0) * t + 6.65790464350110377720e0)
                  / (((((((2.04426310338993978564e-15 * t + 1.42151175831644588870e-7) * t + 1.84631831751005468180e-5) * t
                        + 7.86869131145613259100e-4) * t + 1.48753612908506148525e-2) * t + 1.36929880922735805310e-1) * t
                        + 5.99832206555887937690e-1) * t + 1.0);
        }
        return q < 0 ? -value : value;
    }
}
