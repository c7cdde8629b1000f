namespace Drift.Random;

/// <summary>
/// The Philox4x32-10 counter-based generator of Salmon, Moraes, Dror and Shaw (SC'11,
/// "Parallel random numbers: as easy as 1, 2, 3"), in its scalar reference form.
/// </summary>
/// <remarks>
/// <para>Philox maps a 128-bit counter and a 64-bit key to 128 random bits through ten rounds of
/// 32×32→64-bit multiplies and xors. It was chosen over xoshiro/PCG-style sequential generators
/// because any draw is a pure function of (key, counter): path p's k-th normal is computed
/// directly, whatever thread, chunk or order asks for it, which is what makes Drift's results
/// bit-identical across thread counts and lets a Brownian tree recompute increments instead of
/// storing them. It passes BigCrush (TestU01) with margin, is the generator of cuRAND, JAX and
/// PyTorch's CUDA backend, and its multiplies vectorise well (vpmuludq), unlike AES-based Threefry
/// alternatives that need AES-NI per lane.</para>
/// <para>Drift's counter layout: words 0–1 hold the stream (the path index), words 2–3 the block
/// index within that stream; the 64-bit seed is the key.</para>
/// </remarks>
public static class Philox4x32
{
    /// <summary>First round multiplier.</summary>
    public const uint M0 = 0xD2511F53;
    /// <summary>Second round multiplier.</summary>
    public const uint M1 = 0xCD9E8D57;
    /// <summary>Weyl increment of key word 0 (golden ratio).</summary>
    public const uint W0 = 0x9E3779B9;
    /// <summary>Weyl increment of key word 1 (√3 − 1).</summary>
    public const uint W1 = 0xBB67AE85;
    /// <summary>Number of rounds.</summary>
    public const int Rounds = 10;

    /// <summary>Computes the 128-bit block for a counter and key.</summary>
    /// <param name="counter">The four counter words (c0, c1, c2, c3).</param>
    /// <param name="key0">Key word 0.</param>
    /// <param name="key1">Key word 1.</param>
    /// <returns>The four output words.</returns>
    public static (uint X0, uint X1, uint X2, uint X3) Compute((uint C0, uint C1, uint C2, uint C3) counter, uint key0, uint key1)
    {
        var (c0, c1, c2, c3) = counter;
        for (int r = 0; r < Rounds; r++)
        {
            ulong p0 = (ulong)M0 * c0;
            ulong p1 = (ulong)M1 * c2;
            uint n0 = (uint)(p1 >> 32) ^ c1 ^ key0;
            uint n2 = (uint)(p0 >> 32) ^ c3 ^ key1;
            c0 = n0;
            c1 = (uint)p1;
            c2 = n2;
            c3 = (uint)p0;
            key0 += W0;
            key1 += W1;
        }
        return (c0, c1, c2, c3);
    }
}
