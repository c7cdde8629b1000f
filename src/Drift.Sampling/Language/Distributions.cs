using System.Runtime.CompilerServices;
using Drift.Random;
using Drift.Sampling.Diagnostics;

namespace Drift.Sampling.Language;

/// <summary>
/// One distribution of the density language: the log-density of one element with its partial derivatives, written
/// with every normalising constant (so <c>target</c> is the exact log joint density, unlike Stan's <c>~</c>, which drops
/// the terms that do not depend on parameters). Out of the support, or at invalid arguments (a scale ≤ 0), the value is
/// −∞ and the partials are left at 0.
/// </summary>
internal interface IDistributionKernel
{
    /// <summary>log p(y | a, b, c) and ∂/∂y, ∂/∂a, ∂/∂b, ∂/∂c (unused arguments are 0).</summary>
    static abstract double Log(double y, double a, double b, double c, out double gy, out double ga, out double gb, out double gc);
}

/// <summary>The supported distributions.</summary>
internal enum DistributionKind { Normal, StudentT, Cauchy, Exponential, Gamma, Beta, Lognormal, BernoulliLogit, PoissonLog }

/// <summary>The distributions by name, with their arity, support and whether the variate is discrete.</summary>
internal sealed record DistributionInfo(DistributionKind Kind, string Name, int Arity, string Arguments, bool Discrete, string Support, Func<double, bool> InSupport)
{
    private const double HalfLog2Pi = 0.91893853320467274178;

    public static readonly IReadOnlyDictionary<string, DistributionInfo> All = new[]
    {
        new DistributionInfo(DistributionKind.Normal, "normal", 2, "mu, sigma", false, "real", y => double.IsFinite(y)),
        new DistributionInfo(DistributionKind.StudentT, "student_t", 3, "nu, mu, sigma", false, "real", y => double.IsFinite(y)),
        new DistributionInfo(DistributionKind.Cauchy, "cauchy", 2, "mu, sigma", false, "real", y => double.IsFinite(y)),
        new DistributionInfo(DistributionKind.Exponential, "exponential", 1, "lambda (rate)", false, "y >= 0", y => y >= 0 && double.IsFinite(y)),
        new DistributionInfo(DistributionKind.Gamma, "gamma", 2, "alpha (shape), beta (rate)", false, "y > 0", y => y > 0 && double.IsFinite(y)),
        new DistributionInfo(DistributionKind.Beta, "beta", 2, "a, b", false, "0 < y < 1", y => y > 0 && y < 1),
        new DistributionInfo(DistributionKind.Lognormal, "lognormal", 2, "mu, sigma", false, "y > 0", y => y > 0 && double.IsFinite(y)),
        new DistributionInfo(DistributionKind.BernoulliLogit, "bernoulli_logit", 1, "eta (log-odds)", true, "y in {0, 1}", y => y is 0 or 1),
        new DistributionInfo(DistributionKind.PoissonLog, "poisson_log", 1, "eta (log-rate)", true, "y in {0, 1, 2, ...}", y => y >= 0 && y == Math.Floor(y) && y < 1e15),
    }.ToDictionary(d => d.Name, StringComparer.Ordinal);

    /// <summary>½ log 2π.</summary>
    public static double HalfLogTwoPi => HalfLog2Pi;
}

internal readonly struct NormalKernel : IDistributionKernel
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Log(double y, double mu, double sigma, double c, out double gy, out double gm, out double gs, out double gc)
    {
        gc = 0;
        if (!(sigma > 0)) { gy = gm = gs = 0; return double.NegativeInfinity; }
        double inv = 1 / sigma, z = (y - mu) * inv;
        gy = -z * inv;
        gm = -gy;
        gs = (z * z - 1) * inv;
        return -0.5 * z * z - Math.Log(sigma) - DistributionInfo.HalfLogTwoPi;
    }
}

internal readonly struct StudentTKernel : IDistributionKernel
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Log(double y, double nu, double mu, double sigma, out double gy, out double gn, out double gm, out double gs)
    {
        if (!(sigma > 0) || !(nu > 0)) { gy = gn = gm = gs = 0; return double.NegativeInfinity; }
        double inv = 1 / sigma, z = (y - mu) * inv, z2 = z * z, q = nu + z2;
        // log p = lgamma((ν+1)/2) − lgamma(ν/2) − ½ log(νπ) − log σ − (ν+1)/2 · log(1 + z²/ν)
        gy = -(nu + 1) * z / q * inv;
        gm = -gy;
        gs = -inv + (nu + 1) * z2 / q * inv;
        double log1 = double.LogP1(z2 / nu);
        gn = 0.5 * SpecialFunctions.Digamma(0.5 * (nu + 1)) - 0.5 * SpecialFunctions.Digamma(0.5 * nu) - 0.5 / nu - 0.5 * log1 + 0.5 * (nu + 1) * z2 / (nu * q);
        return Variates.LogGamma(0.5 * (nu + 1)) - Variates.LogGamma(0.5 * nu) - 0.5 * Math.Log(nu * Math.PI) - Math.Log(sigma) - 0.5 * (nu + 1) * log1;
    }
}

internal readonly struct CauchyKernel : IDistributionKernel
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Log(double y, double mu, double sigma, double c, out double gy, out double gm, out double gs, out double gc)
    {
        gc = 0;
        if (!(sigma > 0)) { gy = gm = gs = 0; return double.NegativeInfinity; }
        double inv = 1 / sigma, z = (y - mu) * inv, w = 1 + z * z;
        gy = -2 * z / w * inv;
        gm = -gy;
        gs = -inv + 2 * z * z / w * inv;
        return -Math.Log(Math.PI) - Math.Log(sigma) - Math.Log(w);
    }
}

internal readonly struct ExponentialKernel : IDistributionKernel
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Log(double y, double lambda, double b, double c, out double gy, out double gl, out double gb, out double gc)
    {
        gb = gc = 0;
        if (!(lambda > 0) || !(y >= 0)) { gy = gl = 0; return double.NegativeInfinity; }
        gy = -lambda;
        gl = 1 / lambda - y;
        return Math.Log(lambda) - lambda * y;
    }
}

internal readonly struct GammaKernel : IDistributionKernel
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Log(double y, double alpha, double beta, double c, out double gy, out double ga, out double gb, out double gc)
    {
        gc = 0;
        if (!(alpha > 0) || !(beta > 0) || !(y > 0)) { gy = ga = gb = 0; return double.NegativeInfinity; }
        double logY = Math.Log(y), logB = Math.Log(beta);
        gy = (alpha - 1) / y - beta;
        ga = logB - SpecialFunctions.Digamma(alpha) + logY;
        gb = alpha / beta - y;
        return alpha * logB - Variates.LogGamma(alpha) + (alpha - 1) * logY - beta * y;
    }
}

internal readonly struct BetaKernel : IDistributionKernel
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Log(double y, double a, double b, double c, out double gy, out double ga, out double gb, out double gc)
    {
        gc = 0;
        if (!(a > 0) || !(b > 0) || !(y > 0 && y < 1)) { gy = ga = gb = 0; return double.NegativeInfinity; }
        double logY = Math.Log(y), log1mY = double.LogP1(-y), psiAb = SpecialFunctions.Digamma(a + b);
        gy = (a - 1) / y - (b - 1) / (1 - y);
        ga = psiAb - SpecialFunctions.Digamma(a) + logY;
        gb = psiAb - SpecialFunctions.Digamma(b) + log1mY;
        return Variates.LogGamma(a + b) - Variates.LogGamma(a) - Variates.LogGamma(b) + (a - 1) * logY + (b - 1) * log1mY;
    }
}

internal readonly struct LognormalKernel : IDistributionKernel
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Log(double y, double mu, double sigma, double c, out double gy, out double gm, out double gs, out double gc)
    {
        gc = 0;
        if (!(sigma > 0) || !(y > 0)) { gy = gm = gs = 0; return double.NegativeInfinity; }
        double inv = 1 / sigma, logY = Math.Log(y), z = (logY - mu) * inv;
        gy = -(1 + z * inv) / y;
        gm = z * inv;
        gs = (z * z - 1) * inv;
        return -logY - Math.Log(sigma) - DistributionInfo.HalfLogTwoPi - 0.5 * z * z;
    }
}

/// <summary>
/// y η − log(1 + e^η), computed without overflow from one exponential e = e^{−|η|}: log(1 + e^η) = max(η, 0) + log(1 + e),
/// and ∂/∂η = y − logistic(η) with logistic(η) = 1/(1 + e) for η &gt; 0, e/(1 + e) otherwise. The variate is data (no ∂/∂y).
/// </summary>
internal readonly struct BernoulliLogitKernel : IDistributionKernel
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Log(double y, double eta, double b, double c, out double gy, out double ge, out double gb, out double gc)
    {
        gy = gb = gc = 0;
        double e = Math.Exp(-Math.Abs(eta)), onePlus = 1 + e;
        double softplus = (eta > 0 ? eta : 0) + double.LogP1(e);
        ge = y - (eta > 0 ? 1 / onePlus : e / onePlus);
        return y * eta - softplus;
    }
}

/// <summary>y η − e^η − log y! ; the log y! term is added once by the binder (the variate is data).</summary>
internal readonly struct PoissonLogKernel : IDistributionKernel
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Log(double y, double eta, double b, double c, out double gy, out double ge, out double gb, out double gc)
    {
        gy = gb = gc = 0;
        double rate = Math.Exp(eta);
        ge = y - rate;
        return y * eta - rate;
    }
}
