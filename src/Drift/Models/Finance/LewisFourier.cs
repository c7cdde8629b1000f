using System.Numerics;

namespace Drift.Models.Finance;

/// <summary>ln φ_Y(z) for Y = ln(S_T/F), F = S₀e^{rT} the forward: the log characteristic function of a model's log-return.</summary>
internal interface ILogForwardCharacteristic
{
    /// <summary>ln E[e^{izY}] for complex z with Im z ∈ [−1, 0].</summary>
    Complex Log(Complex z);
}

/// <summary>
/// Lewis's (2001) single Fourier integral for European options on a model given by its log-forward characteristic
/// function φ_Y: with x = ln(F/K), J = ∫₀^U Re[e^{iux} φ_Y(u − i/2)]/(u² + ¼) du,
/// C = S₀ − (√(S₀K) e^{−rT/2}/π) J and P = K e^{−rT} − (√(S₀K) e^{−rT/2}/π) J, clamped to the no-arbitrage bounds.
/// The caller picks the cut-off U from a rigorous bound on its tail; [0, U] is split into panels of geometrically
/// growing width capped by the model's scale and the period 2π/|x| of e^{iux}, each integrated by adaptive
/// Gauss–Kronrod (7, 15) bisection until the Kronrod–Gauss difference is below its share of <see cref="Tolerance"/>.
/// </summary>
internal static class LewisFourier
{
    /// <summary>The absolute tolerance on J (the quadrature's share is half of it, the tail's a quarter).</summary>
    public const double Tolerance = 1e-13;
    private const int MaxDepth = 30;

    // QUADPACK qk15: Kronrod abscissae (positive half, descending), Kronrod weights, and the weights of the embedded
    // 7-point Gauss rule at the odd-indexed abscissae.
    private static ReadOnlySpan<double> KronrodNodes =>
    [
        0.991455371120812639206854697526329, 0.949107912342758524526189684047851, 0.864864423359769072789712788640926,
        0.741531185599394439863864773280788, 0.586087235467691130294144845693013, 0.405845151377397166906606412076961,
        0.207784955007898467600689403773245, 0.0,
    ];

    private static ReadOnlySpan<double> KronrodWeights =>
    [
        0.022935322010529224963732008058970, 0.063092092629978553290700663189204, 0.104790010322250183839876322541518,
        0.140653259715525918745189590510238, 0.169004726639267902826583426598550, 0.190350578064785409913256402421014,
        0.204432940075298892414161999234649, 0.209482141084727828012999174891714,
    ];

    private static ReadOnlySpan<double> GaussWeights =>
    [
        0.129484966168869693270611432679082, 0.279705391489276667901467771423780, 0.381830050505118944950369775488975,
        0.417959183673469387755102040816327,
    ];

    /// <summary>J on [0, <paramref name="upper"/>], panels no wider than 2·<paramref name="scale"/> (and 2π/|x|, and at least U/4096).</summary>
    public static double Integral<T>(T characteristic, double x, double scale, double upper)
        where T : struct, ILogForwardCharacteristic
    {
        double maxWidth = Math.Min(2 * scale, x == 0 ? double.PositiveInfinity : 2 * Math.PI / Math.Abs(x));
        maxWidth = Math.Max(maxWidth, upper / 4096);
        var integrand = new Integrand<T>(characteristic, x);
        double total = 0, a = 0;
        while (a < upper)
        {
            double b = Math.Min(upper, a + Math.Min(Math.Max(a, 0.5), maxWidth));
            total += Adaptive(integrand, a, b, 0.5 * Tolerance * (b - a) / upper, 0);
            a = b;
        }
        return total;
    }

    /// <summary>The call price from J.</summary>
    public static double Call(double spot, double strike, double rate, double maturity, double j)
    {
        double discounted = strike * Math.Exp(-rate * maturity);
        double price = spot - Math.Sqrt(spot * strike) * Math.Exp(-0.5 * rate * maturity) / Math.PI * j;
        return Math.Clamp(price, Math.Max(0, spot - discounted), spot);
    }

    /// <summary>The put price from J.</summary>
    public static double Put(double spot, double strike, double rate, double maturity, double j)
    {
        double discounted = strike * Math.Exp(-rate * maturity);
        double price = discounted - Math.Sqrt(spot * strike) * Math.Exp(-0.5 * rate * maturity) / Math.PI * j;
        return Math.Clamp(price, Math.Max(0, discounted - spot), discounted);
    }

    private static double Adaptive<T>(in Integrand<T> f, double a, double b, double tolerance, int depth)
        where T : struct, ILogForwardCharacteristic
    {
        double centre = 0.5 * (a + b), half = 0.5 * (b - a);
        double fc = f.At(centre);
        double kronrod = fc * KronrodWeights[7], gauss = fc * GaussWeights[3];
        for (int k = 0; k < 7; k++)
        {
            double dx = half * KronrodNodes[k];
            double pair = f.At(centre - dx) + f.At(centre + dx);
            kronrod += KronrodWeights[k] * pair;
            if ((k & 1) == 1) gauss += GaussWeights[k >> 1] * pair;
        }
        kronrod *= half;
        gauss *= half;
        if (Math.Abs(kronrod - gauss) <= tolerance || depth >= MaxDepth) return kronrod;
        return Adaptive(f, a, centre, 0.5 * tolerance, depth + 1) + Adaptive(f, centre, b, 0.5 * tolerance, depth + 1);
    }

    private readonly struct Integrand<T>(T characteristic, double x)
        where T : struct, ILogForwardCharacteristic
    {
        public double At(double u)
        {
            Complex log = characteristic.Log(new Complex(u, -0.5));
            return Math.Exp(log.Real) * Math.Cos(log.Imaginary + u * x) / (u * u + 0.25);
        }
    }
}
