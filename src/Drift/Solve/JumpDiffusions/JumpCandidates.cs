using Drift.Random;

namespace Drift.Solve.JumpDiffusions;

/// <summary>
/// The candidate jump times of each path and their thinning, shared by the fixed-step and adaptive loops. Candidate i
/// of path p has its variates from <see cref="StepDraws"/> keyed by (Derive(seed, JUMP), p, i): the first uniform U
/// gives the gap −ln U/λ_max after candidate i − 1 (after t0 for i = 0), the second the thinning test, the rest the
/// mark. A second key (Derive(seed, BRIDGE), p, i) gives the Brownian-bridge normals of a fixed-step loop's sub-step
/// ending at candidate i. The jump times and marks of a path are therefore the same whatever the grid, the controller,
/// the thread count or the chunk size.
/// </summary>
public readonly struct JumpCandidates
{
    private const ulong JumpPurpose = 0x4A55_4D50_5449_4D45; // "JUMPTIME"
    private const ulong BridgePurpose = 0x4A55_4D50_4252_4447; // "JUMPBRDG"

    /// <summary>Candidates for the run seeded by <paramref name="seed"/> at rate <paramref name="maxIntensity"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rate is negative, NaN or infinite.</exception>
    public JumpCandidates(ulong seed, double maxIntensity)
    {
        if (!(maxIntensity >= 0) || double.IsInfinity(maxIntensity))
            throw new ArgumentOutOfRangeException(nameof(maxIntensity), maxIntensity, "the maximum jump intensity must be finite and non-negative.");
        JumpKey = SeedMixer.Derive(seed, JumpPurpose);
        BridgeKey = SeedMixer.Derive(seed, BridgePurpose);
        MaxIntensity = maxIntensity;
    }

    /// <summary>The key of the candidates' times, thinning uniforms and marks.</summary>
    public ulong JumpKey { get; }
    /// <summary>The key of the bridge normals.</summary>
    public ulong BridgeKey { get; }
    /// <summary>λ_max.</summary>
    public double MaxIntensity { get; }

    /// <summary>The time of candidate <paramref name="index"/> of <paramref name="path"/>, given the previous candidate's time (or t0); +∞ when λ_max = 0.</summary>
    public double Time(long path, long index, double previous)
    {
        if (MaxIntensity == 0) return double.PositiveInfinity;
        var draws = new StepDraws(JumpKey, (ulong)path, (ulong)index);
        return previous - Math.Log(draws.NextUniform()) / MaxIntensity;
    }

    /// <summary>
    /// Thins candidate <paramref name="index"/> of <paramref name="path"/> at time t with the state X(t⁻) in
    /// <paramref name="x"/> (one path), and applies the jump when it is accepted. A NaN intensity or one outside
    /// [0, λ_max] sets the state to NaN, so that the loop reports the path as non-finite at t.
    /// </summary>
    /// <returns>Whether a jump was applied.</returns>
    public bool Fire<TJumps>(ref TJumps jumps, long path, long index, double t, Span<double> x)
        where TJumps : struct, IJumps
    {
        var draws = new StepDraws(JumpKey, (ulong)path, (ulong)index);
        draws.NextUniform(); // the gap that placed this candidate
        double u = draws.NextUniform();
        double rate = jumps.Intensity(t, x);
        if (!(rate >= 0 && rate <= MaxIntensity))
        {
            x.Fill(double.NaN);
            return false;
        }
        if (u * MaxIntensity >= rate) return false;
        jumps.Jump(t, x, ref draws);
        return true;
    }

    /// <summary>The bridge variates of the sub-step that ends at candidate <paramref name="index"/> of <paramref name="path"/>.</summary>
    public StepDraws Bridge(long path, long index) => new(BridgeKey, (ulong)path, (ulong)index);
}
