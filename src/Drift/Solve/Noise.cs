namespace Drift.Solve;

/// <summary>Facts about a <see cref="NoiseKind"/>.</summary>
public static class Noise
{
    /// <summary>Rows of g for a state of dimension <paramref name="d"/> and <paramref name="m"/> Brownian motions.</summary>
    public static int Rows(NoiseKind kind, int d, int m) => kind switch
    {
        NoiseKind.Scalar or NoiseKind.Diagonal => d,
        _ => d * m,
    };

    /// <summary>
    /// The class of a diffusion, the noise a solver must be able to take: <see cref="NoiseKind.Additive"/>
    /// when g depends on t only (<see cref="IDiffusion.StateIndependent"/>), whatever its layout; else its
    /// layout (<see cref="NoiseKind.Scalar"/>, <see cref="NoiseKind.Diagonal"/> or <see cref="NoiseKind.General"/>).
    /// The classes nest: additive ⊂ diagonal (commutative) ⊂ general.
    /// </summary>
    public static NoiseKind Class<TDiffusion>(in TDiffusion diffusion) where TDiffusion : struct, IDiffusion
        => diffusion.StateIndependent ? NoiseKind.Additive : diffusion.Noise;

    /// <summary>Checks that (kind, d, m) is consistent: scalar has m = 1, diagonal m = d.</summary>
    /// <exception cref="ArgumentException">The combination is inconsistent.</exception>
    public static void Validate(NoiseKind kind, int d, int m)
    {
        if (d < 1) throw new ArgumentException($"state dimension must be at least 1, got {d}.", nameof(d));
        if (m < 1) throw new ArgumentException($"noise dimension must be at least 1, got {m}.", nameof(m));
        if (kind == NoiseKind.Scalar && m != 1)
            throw new ArgumentException($"scalar noise has one Brownian motion, but the diffusion declares m = {m}.", nameof(m));
        if (kind == NoiseKind.Diagonal && m != d)
            throw new ArgumentException($"diagonal noise needs m = d, but the diffusion declares d = {d}, m = {m}.", nameof(m));
    }
}
