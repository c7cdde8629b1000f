namespace Drift.Random;

/// <summary>Derives independent 64-bit keys from a user seed (SplitMix64 finaliser, Steele et al. 2014).</summary>
public static class SeedMixer
{
    /// <summary>A key for purpose <paramref name="purpose"/> of the run seeded by <paramref name="seed"/>.</summary>
    public static ulong Derive(ulong seed, ulong purpose)
    {
        ulong z = seed + (purpose + 1) * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
