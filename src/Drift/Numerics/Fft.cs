namespace Drift.Numerics;

/// <summary>
/// In-place radix-2 complex fast Fourier transform (iterative Cooley–Tukey, bit-reversed input order):
/// X_k = Σ_j x_j e^{−2πi jk/m} for a power-of-two length m, real and imaginary parts in separate spans.
/// </summary>
internal static class Fft
{
    /// <summary>Transforms (re, im) in place; the length must be a power of two.</summary>
    internal static void Forward(Span<double> re, Span<double> im)
    {
        int m = re.Length;
        if (im.Length != m || m == 0 || (m & (m - 1)) != 0) throw new ArgumentException($"FFT length must be a power of two with equal parts, got {re.Length} and {im.Length}.");
        for (int i = 1, j = 0; i < m; i++)
        {
            int bit = m >> 1;
            for (; (j & bit) != 0; bit >>= 1) j ^= bit;
            j ^= bit;
            if (i < j) { (re[i], re[j]) = (re[j], re[i]); (im[i], im[j]) = (im[j], im[i]); }
        }
        for (int len = 2; len <= m; len <<= 1)
        {
            double angle = -2 * Math.PI / len;
            for (int start = 0; start < m; start += len)
                for (int k = 0; k < len / 2; k++)
                {
                    double wr = Math.Cos(angle * k), wi = Math.Sin(angle * k);
                    int a = start + k, b = a + len / 2;
                    double xr = re[b] * wr - im[b] * wi, xi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - xr; im[b] = im[a] - xi;
                    re[a] += xr; im[a] += xi;
                }
        }
    }
}
