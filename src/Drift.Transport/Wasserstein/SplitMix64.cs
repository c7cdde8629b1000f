namespace Drift.Transport.Wasserstein;

/// <summary>SplitMix64 (Steele, Lea, Flood 2014): a tiny counter-based generator; stream k of seed s starts at
/// a hash of (s, k), so each projection direction depends only on (seed, direction index).</summary>
internal struct SplitMix64
{
    private ulong state;

    public SplitMix64(ulong seed, ulong stream) => state = Mix(seed ^ Mix(stream + 0x9E3779B97F4A7C15UL));

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong Next()
    {
        state += 0x9E3779B97F4A7C15UL;
        return Mix(state);
    }

    /// <summary>Uniform on (0, 1).</summary>
    public double NextOpenUnit() => ((Next() >> 11) + 0.5) * (1.0 / (1UL << 53));

    /// <summary>Standard normal by Box–Muller (one of the pair).</summary>
    public double NextNormal() => Math.Sqrt(-2 * Math.Log(NextOpenUnit())) * Math.Cos(2 * Math.PI * NextOpenUnit());
}
