using System.Numerics;

namespace Drift.Random.Qmc;

/// <summary>
/// Sobol' low-discrepancy points in [0, 1)^s with the Joe–Kuo new-joe-kuo-6.21201 direction numbers (up to
/// <see cref="MaxDimensions"/> = 21201 dimensions, 2³² points), in Gray-code order (Antonov &amp; Saleev 1979):
/// point n is x_n = ⊕_k g_k(n) V_k with g(n) = n ⊕ (n ≫ 1), so x_{n+1} = x_n ⊕ V_{c(n)}, c(n) the lowest zero bit of n.
/// Point 0 is the origin; the first 2^m points of every dimension are a (0, m, 1)-net and of dimensions 0–1 a
/// (0, m, 2)-net.
/// </summary>
/// <remarks>
/// <para><b>Randomisation</b> (<see cref="Scrambled"/>): Matoušek's linear matrix scramble plus a digital shift
/// ("Random and deterministic digital nets", 1998; Owen 2003): each dimension j gets a random lower-triangular binary
/// matrix L_j with unit diagonal and a random 32-bit shift e_j, and x ↦ L_j x ⊕ e_j on the base-2 digits. Every point
/// is then uniform on [0, 1)^s, the net properties survive (L_j is non-singular and lower triangular), and independent
/// randomisations give an unbiased estimate with a standard error (randomised QMC). The random bits are Philox4x32-10
/// keyed by SeedMixer(seed, randomisation) with counter (dimension, 0, block, 0), so a randomisation is reproducible
/// bit for bit.</para>
/// <para>Uniforms are x·2⁻³² exactly (<see cref="FillUniforms"/>); normals (<see cref="FillNormals"/>) take the centre
/// of the 2⁻³² cell, Φ⁻¹((x + ½)·2⁻³²), so the origin gives a finite −6.23 rather than −∞.</para>
/// </remarks>
public sealed class SobolSequence
{
    /// <summary>Dimensions the embedded Joe–Kuo table supports.</summary>
    public const int MaxDimensions = SobolDirections.MaxDimensions;

    /// <summary>Points available: 2³² (the direction integers have 32 bits).</summary>
    public const long MaxPoints = 1L << 32;

    private const double Scale = 1.0 / 4294967296.0;
    private readonly uint[] _directions; // [dim * 32 + k]
    private readonly uint[] _shift;      // [dim]

    private SobolSequence(int dimensions, uint[] directions, uint[] shift)
    {
        Dimensions = dimensions;
        _directions = directions;
        _shift = shift;
    }

    /// <summary>Dimensions s of each point.</summary>
    public int Dimensions { get; }

    /// <summary>True when the points are randomised (linear matrix scramble and digital shift).</summary>
    public bool IsScrambled { get; private init; }

    /// <summary>The plain Sobol' sequence in <paramref name="dimensions"/> dimensions.</summary>
    /// <exception cref="ArgumentOutOfRangeException">dimensions outside 1..21201.</exception>
    public static SobolSequence Create(int dimensions)
    {
        Check(dimensions);
        return new SobolSequence(dimensions, SobolDirections.Compute(dimensions), new uint[dimensions]);
    }

    /// <summary>
    /// Randomisation <paramref name="randomization"/> of the sequence seeded by <paramref name="seed"/>: linear matrix
    /// scramble and digital shift, drawn from Philox so that (seed, randomisation) fixes every bit.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">dimensions outside 1..21201.</exception>
    public static SobolSequence Scrambled(int dimensions, ulong seed, ulong randomization = 0)
    {
        Check(dimensions);
        var v = SobolDirections.Compute(dimensions);
        var shift = new uint[dimensions];
        ulong key = SeedMixer.Derive(seed, randomization + 0x50424F4CUL);
        uint k0 = (uint)key, k1 = (uint)(key >> 32);
        Span<uint> random = stackalloc uint[36];
        Span<uint> rows = stackalloc uint[32];
        for (int d = 0; d < dimensions; d++)
        {
            for (int b = 0; b < 9; b++)
            {
                var (x0, x1, x2, x3) = Philox4x32.Compute(((uint)d, 0u, (uint)b, 0u), k0, k1);
                random[4 * b] = x0; random[4 * b + 1] = x1; random[4 * b + 2] = x2; random[4 * b + 3] = x3;
            }
            // Row i of L (digit i is bit 31 − i): the unit diagonal and random bits on the digits above it (bits 31..32−i).
            rows[0] = 1u << 31;
            for (int i = 1; i < 32; i++) rows[i] = (1u << (31 - i)) | (random[i] & (~0u << (32 - i)));
            for (int k = 0; k < 32; k++)
            {
                uint x = v[d * 32 + k], y = 0;
                for (int i = 0; i < 32; i++)
                    y |= (uint)(BitOperations.PopCount(rows[i] & x) & 1) << (31 - i);
                v[d * 32 + k] = y;
            }
            shift[d] = random[32];
        }
        return new SobolSequence(dimensions, v, shift) { IsScrambled = true };
    }

    /// <summary>The 32-bit digits of coordinate <paramref name="dimension"/> of point <paramref name="index"/> (its value is that × 2⁻³²).</summary>
    public uint Bits(long index, int dimension)
    {
        CheckRange(index, 1);
        if ((uint)dimension >= (uint)Dimensions) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, $"dimension must be in 0..{Dimensions - 1}.");
        uint gray = (uint)index ^ ((uint)index >> 1), x = _shift[dimension];
        for (int k = 0; gray != 0; k++, gray >>= 1)
            if ((gray & 1) != 0) x ^= _directions[dimension * 32 + k];
        return x;
    }

    /// <summary>
    /// Points firstIndex .. firstIndex + count − 1 as uniforms x·2⁻³², row-major: destination[p·s + j] is coordinate j of
    /// point firstIndex + p.
    /// </summary>
    /// <exception cref="ArgumentException">The range runs past 2³² points or the destination is too short.</exception>
    public void FillUniforms(long firstIndex, int count, Span<double> destination) => Fill(firstIndex, count, destination, false);

    /// <summary>As <see cref="FillUniforms"/>, but each coordinate is mapped to a standard normal Φ⁻¹((x + ½)·2⁻³²).</summary>
    public void FillNormals(long firstIndex, int count, Span<double> destination) => Fill(firstIndex, count, destination, true);

    private void Fill(long firstIndex, int count, Span<double> destination, bool normals)
    {
        CheckRange(firstIndex, count);
        int s = Dimensions;
        if (destination.Length < (long)count * s)
            throw new ArgumentException($"destination holds {destination.Length} values; {count} points of {s} dimensions need {(long)count * s}.", nameof(destination));
        if (count == 0) return;
        Span<uint> x = s <= 256 ? stackalloc uint[s] : new uint[s];
        for (int j = 0; j < s; j++) x[j] = Bits(firstIndex, j);
        uint n = (uint)firstIndex;
        for (int p = 0; ; p++)
        {
            var row = destination.Slice(p * s, s);
            if (normals) for (int j = 0; j < s; j++) row[j] = NormalQuantile.Evaluate((x[j] + 0.5) * Scale);
            else for (int j = 0; j < s; j++) row[j] = x[j] * Scale;
            if (p == count - 1) return;
            int c = BitOperations.TrailingZeroCount(~n);
            n++;
            for (int j = 0; j < s; j++) x[j] ^= _directions[j * 32 + c];
        }
    }

    private static void Check(int dimensions)
    {
        if (dimensions < 1 || dimensions > MaxDimensions)
            throw new ArgumentOutOfRangeException(nameof(dimensions), dimensions, $"Sobol' dimensions must be in 1..{MaxDimensions} (the Joe–Kuo table).");
    }

    private static void CheckRange(long firstIndex, int count)
    {
        if (count < 0) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be non-negative.");
        if (firstIndex < 0 || firstIndex + count > MaxPoints)
            throw new ArgumentOutOfRangeException(nameof(firstIndex), firstIndex, $"points {firstIndex}..{firstIndex + count - 1} run outside the 2^32 Sobol' points.");
    }
}
