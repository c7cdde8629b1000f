using System.IO.Compression;

namespace Drift.Random.Qmc;

/// <summary>
/// The Joe–Kuo direction numbers new-joe-kuo-6.21201 (S. Joe and F. Y. Kuo, "Constructing Sobol sequences with better
/// two-dimensional projections", SIAM J. Sci. Comput. 30 (2008) 2635–2654; https://web.maths.unsw.edu.au/~fkuo/sobol/),
/// 21201 dimensions, embedded as a deflated list of varints (poly, m₁..m_s) per dimension. The table was taken from
/// scipy's copy (scipy/stats/_sobol_direction_numbers.npz, commit 3dbf660a) by <c>tools/sobol/pack_joe_kuo.py</c>.
/// </summary>
/// <remarks>
/// Dimension j uses the primitive polynomial x^s + a₁x^{s−1} + … + a_{s−1}x + 1, stored as poly = 2a + 2^s + 1, and
/// the initial odd integers m_k &lt; 2^k (k ≤ s). Direction numbers v_k = m_k / 2^k follow the recurrence
/// m_k = 2a₁m_{k−1} ⊕ 2²a₂m_{k−2} ⊕ … ⊕ 2^{s−1}a_{s−1}m_{k−s+1} ⊕ 2^s m_{k−s} ⊕ m_{k−s} (Bratley &amp; Fox 1988);
/// here they are kept as 32-bit integers V_k = m_k·2^{32−k}, so a point is the XOR of the V_k selected by the bits of
/// the Gray code of its index.
/// </remarks>
internal static class SobolDirections
{
    internal const int MaxDimensions = 21201;
    internal const int Bits = 32;

    private static readonly Lazy<(uint[] Poly, int[] Offset, uint[] M)> Table = new(Load);

    /// <summary>The 32 direction integers of each of the first <paramref name="dimensions"/> dimensions, [dim × 32 + k].</summary>
    internal static uint[] Compute(int dimensions)
    {
        var (poly, offset, mAll) = Table.Value;
        var v = new uint[dimensions * Bits];
        Span<uint> m = stackalloc uint[Bits];
        for (int d = 0; d < dimensions; d++)
        {
            uint p = poly[d];
            int s = Math.Max(1, 31 - System.Numerics.BitOperations.LeadingZeroCount(p));
            for (int k = 0; k < s; k++) m[k] = mAll[offset[d] + k];
            if (d == 0) { for (int k = 0; k < Bits; k++) m[k] = 1; }
            else
            {
                for (int k = s; k < Bits; k++)
                {
                    // m_{k} (0-based) from the s previous ones; a_i is bit (s − 1 − i) of poly >> 1.
                    uint value = m[k - s] ^ (m[k - s] << s);
                    for (int i = 1; i < s; i++)
                        if (((p >> (s - i)) & 1) != 0) value ^= m[k - i] << i;
                    m[k] = value;
                }
            }
            for (int k = 0; k < Bits; k++) v[d * Bits + k] = m[k] << (Bits - 1 - k);
        }
        return v;
    }

    private static (uint[] Poly, int[] Offset, uint[] M) Load()
    {
        using var resource = typeof(SobolDirections).Assembly.GetManifestResourceStream("Drift.Random.Qmc.JoeKuo")
            ?? throw new InvalidOperationException("the embedded Joe–Kuo direction table is missing from the Drift assembly.");
        using var inflate = new DeflateStream(resource, CompressionMode.Decompress);
        using var buffer = new MemoryStream();
        inflate.CopyTo(buffer);
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        var poly = new uint[MaxDimensions];
        var offset = new int[MaxDimensions];
        var m = new List<uint>(330_000);
        int at = 0;
        for (int d = 0; d < MaxDimensions; d++)
        {
            poly[d] = ReadVarint(bytes, ref at);
            int s = Math.Max(1, 31 - System.Numerics.BitOperations.LeadingZeroCount(poly[d]));
            offset[d] = m.Count;
            for (int k = 0; k < s; k++) m.Add(ReadVarint(bytes, ref at));
        }
        if (at != bytes.Length) throw new InvalidOperationException("the embedded Joe–Kuo direction table is corrupt.");
        return (poly, offset, m.ToArray());
    }

    private static uint ReadVarint(ReadOnlySpan<byte> bytes, ref int at)
    {
        uint value = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = bytes[at++];
            value |= (uint)(b & 0x7F) << shift;
            if (b < 0x80) return value;
        }
    }
}
