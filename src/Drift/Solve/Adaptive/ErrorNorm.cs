using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Drift.Solve.Adaptive;

/// <summary>
/// Hairer's scaled error norm of an embedded pair, fused with the error estimate:
/// ‖err‖ = √( (1/d) Σ_i (err_i / sc_i)² ), err_i = Σ_j w_j k_{j,i} (w_j = h·(b_j − b̂_j)),
/// sc_i = atol + rtol·max(|y_i|, |ŷ_i|). The error vector itself is never stored. As in <see cref="StageSum"/>, the
/// weights are copied into locals before the loop so that h·(b_j − b̂_j) is not recomputed per component.
/// </summary>
internal static class ErrorNorm
{
    /// <summary>
    /// The scale sc = atol + rtol·max(|y|, |ŷ|). The maximum is a plain comparison rather than <see cref="Math.Max(double, double)"/>:
    /// both arguments are absolute values (no signed zeros) and y is finite (an accepted state), so the two agree for every
    /// input, a NaN ŷ included (it propagates either way), and the comparison is one instruction instead of Math.Max's
    /// NaN and signed-zero handling, which was a measurable part of a step on small systems (Lorenz-63).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Scale(double atol, double rtol, double y, double yNew)
    {
        double a = Math.Abs(y), b = Math.Abs(yNew);
        return atol + rtol * (a > b ? a : b);
    }


    /// <summary>The RMS scaled norm of Σ w_j k_j (4 terms).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Rms(ReadOnlySpan<double> y, ReadOnlySpan<double> yNew, double rtol, double atol, double w1, ReadOnlySpan<double> k1, double w2, ReadOnlySpan<double> k2, double w3, ReadOnlySpan<double> k3, double w4, ReadOnlySpan<double> k4)
    {
        double c1 = w1, c2 = w2, c3 = w3, c4 = w4;
        ref double ry = ref MemoryMarshal.GetReference(y);
        ref double rn = ref MemoryMarshal.GetReference(yNew);
        ref double r1 = ref MemoryMarshal.GetReference(k1);
        ref double r2 = ref MemoryMarshal.GetReference(k2);
        ref double r3 = ref MemoryMarshal.GetReference(k3);
        ref double r4 = ref MemoryMarshal.GetReference(k4);
        double sum = 0;
        for (nint i = 0, n = y.Length; i < n; i++)
        {
            double e = c1 * Unsafe.Add(ref r1, i) + c2 * Unsafe.Add(ref r2, i) + c3 * Unsafe.Add(ref r3, i) + c4 * Unsafe.Add(ref r4, i);
            double scale = Scale(atol, rtol, Unsafe.Add(ref ry, i), Unsafe.Add(ref rn, i));
            double q = e / scale;
            sum += q * q;
        }
        return Math.Sqrt(sum / y.Length);
    }

    /// <summary>The RMS scaled norm of Σ w_j k_j (5 terms).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Rms(ReadOnlySpan<double> y, ReadOnlySpan<double> yNew, double rtol, double atol, double w1, ReadOnlySpan<double> k1, double w2, ReadOnlySpan<double> k2, double w3, ReadOnlySpan<double> k3, double w4, ReadOnlySpan<double> k4, double w5, ReadOnlySpan<double> k5)
    {
        double c1 = w1, c2 = w2, c3 = w3, c4 = w4, c5 = w5;
        ref double ry = ref MemoryMarshal.GetReference(y);
        ref double rn = ref MemoryMarshal.GetReference(yNew);
        ref double r1 = ref MemoryMarshal.GetReference(k1);
        ref double r2 = ref MemoryMarshal.GetReference(k2);
        ref double r3 = ref MemoryMarshal.GetReference(k3);
        ref double r4 = ref MemoryMarshal.GetReference(k4);
        ref double r5 = ref MemoryMarshal.GetReference(k5);
        double sum = 0;
        for (nint i = 0, n = y.Length; i < n; i++)
        {
            double e = c1 * Unsafe.Add(ref r1, i) + c2 * Unsafe.Add(ref r2, i) + c3 * Unsafe.Add(ref r3, i) + c4 * Unsafe.Add(ref r4, i) + c5 * Unsafe.Add(ref r5, i);
            double scale = Scale(atol, rtol, Unsafe.Add(ref ry, i), Unsafe.Add(ref rn, i));
            double q = e / scale;
            sum += q * q;
        }
        return Math.Sqrt(sum / y.Length);
    }

    /// <summary>The RMS scaled norm of Σ w_j k_j (6 terms).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Rms(ReadOnlySpan<double> y, ReadOnlySpan<double> yNew, double rtol, double atol, double w1, ReadOnlySpan<double> k1, double w2, ReadOnlySpan<double> k2, double w3, ReadOnlySpan<double> k3, double w4, ReadOnlySpan<double> k4, double w5, ReadOnlySpan<double> k5, double w6, ReadOnlySpan<double> k6)
    {
        double c1 = w1, c2 = w2, c3 = w3, c4 = w4, c5 = w5, c6 = w6;
        ref double ry = ref MemoryMarshal.GetReference(y);
        ref double rn = ref MemoryMarshal.GetReference(yNew);
        ref double r1 = ref MemoryMarshal.GetReference(k1);
        ref double r2 = ref MemoryMarshal.GetReference(k2);
        ref double r3 = ref MemoryMarshal.GetReference(k3);
        ref double r4 = ref MemoryMarshal.GetReference(k4);
        ref double r5 = ref MemoryMarshal.GetReference(k5);
        ref double r6 = ref MemoryMarshal.GetReference(k6);
        double sum = 0;
        for (nint i = 0, n = y.Length; i < n; i++)
        {
            double e = c1 * Unsafe.Add(ref r1, i) + c2 * Unsafe.Add(ref r2, i) + c3 * Unsafe.Add(ref r3, i) + c4 * Unsafe.Add(ref r4, i) + c5 * Unsafe.Add(ref r5, i) + c6 * Unsafe.Add(ref r6, i);
            double scale = Scale(atol, rtol, Unsafe.Add(ref ry, i), Unsafe.Add(ref rn, i));
            double q = e / scale;
            sum += q * q;
        }
        return Math.Sqrt(sum / y.Length);
    }

    /// <summary>The RMS scaled norm of Σ w_j k_j (7 terms).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Rms(ReadOnlySpan<double> y, ReadOnlySpan<double> yNew, double rtol, double atol, double w1, ReadOnlySpan<double> k1, double w2, ReadOnlySpan<double> k2, double w3, ReadOnlySpan<double> k3, double w4, ReadOnlySpan<double> k4, double w5, ReadOnlySpan<double> k5, double w6, ReadOnlySpan<double> k6, double w7, ReadOnlySpan<double> k7)
    {
        double c1 = w1, c2 = w2, c3 = w3, c4 = w4, c5 = w5, c6 = w6, c7 = w7;
        ref double ry = ref MemoryMarshal.GetReference(y);
        ref double rn = ref MemoryMarshal.GetReference(yNew);
        ref double r1 = ref MemoryMarshal.GetReference(k1);
        ref double r2 = ref MemoryMarshal.GetReference(k2);
        ref double r3 = ref MemoryMarshal.GetReference(k3);
        ref double r4 = ref MemoryMarshal.GetReference(k4);
        ref double r5 = ref MemoryMarshal.GetReference(k5);
        ref double r6 = ref MemoryMarshal.GetReference(k6);
        ref double r7 = ref MemoryMarshal.GetReference(k7);
        double sum = 0;
        for (nint i = 0, n = y.Length; i < n; i++)
        {
            double e = c1 * Unsafe.Add(ref r1, i) + c2 * Unsafe.Add(ref r2, i) + c3 * Unsafe.Add(ref r3, i) + c4 * Unsafe.Add(ref r4, i) + c5 * Unsafe.Add(ref r5, i) + c6 * Unsafe.Add(ref r6, i) + c7 * Unsafe.Add(ref r7, i);
            double scale = Scale(atol, rtol, Unsafe.Add(ref ry, i), Unsafe.Add(ref rn, i));
            double q = e / scale;
            sum += q * q;
        }
        return Math.Sqrt(sum / y.Length);
    }

    /// <summary>
    /// Hairer's stiffness indicator h·‖f(Y_b) − f(Y_a)‖₂ / ‖Y_b − Y_a‖₂ for two stages at the same
    /// time: an estimate of h·|λ| for the dominant eigenvalue λ of the Jacobian along the step.
    /// NaN when the two stage states coincide.
    /// </summary>
    public static double Stiffness(double h, ReadOnlySpan<double> fb, ReadOnlySpan<double> fa, ReadOnlySpan<double> yb, ReadOnlySpan<double> ya)
    {
        double num = 0, den = 0;
        for (int i = 0; i < yb.Length; i++)
        {
            double df = fb[i] - fa[i];
            double dy = yb[i] - ya[i];
            num += df * df;
            den += dy * dy;
        }
        return den > 0 ? Math.Abs(h) * Math.Sqrt(num / den) : double.NaN;
    }
}
