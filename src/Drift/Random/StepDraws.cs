using System.Runtime.CompilerServices;

namespace Drift.Random;

/// <summary>
/// A cursor over the counter-based variates of one (seed, stream, step): the i-th uniform is draw 2²⁴·step + i of
/// stream <c>stream</c> of <see cref="PhiloxUniforms"/> under a key derived from the seed, and the i-th normal the
/// same draw of <see cref="PhiloxNormals"/> under a second derived key. Every variate is a pure function of
/// (seed, stream, step, i), so schemes that draw a random number of variates per step (rejection samplers) stay
/// bit-reproducible. At most 2²⁴ uniforms and 2²⁴ normals per step; steps below 2⁴⁰.
/// </summary>
/// <param name="seed">The run's seed.</param>
/// <param name="stream">The stream, normally the path index.</param>
/// <param name="step">The step index.</param>
public struct StepDraws(ulong seed, ulong stream, ulong step)
{
    private const int StepShift = 24;
    private readonly PhiloxUniforms _uniforms = new(SeedMixer.Derive(seed, 0x5354_4550_554E_4946)); // "STEPUNIF"
    private readonly PhiloxNormals _normals = new(SeedMixer.Derive(seed, 0x5354_4550_4E4F_524D));   // "STEPNORM"
    private readonly ulong _stream = stream, _base = step << StepShift;
    private ulong _uniform, _normal;
    // Draws 2b and 2b + 1 come from one Philox block; the odd one is kept from the even one's call (the counters start
    // at 0 and only count up, so draw 2b + 1 is always asked for right after 2b), which halves the Philox work.
    private double _oddUniform, _oddNormal;

    /// <summary>The next uniform on (0, 1) (never 0 or 1).</summary>
    /// <exception cref="InvalidOperationException">The step used more than 2²⁴ uniforms.</exception>
    // Compiled optimised at once: samplers call it from their first iterations, and a tier-0 Philox costs microseconds.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double NextUniform()
    {
        if (_uniform >> StepShift != 0) throw new InvalidOperationException("a step drew more than 2^24 uniforms.");
        ulong i = _uniform++;
        if ((i & 1) != 0) return _oddUniform;
        _uniforms.DrawPair(_stream, (_base + i) >> 1, out double u0, out _oddUniform);
        return u0;
    }

    /// <summary>The next standard normal.</summary>
    /// <exception cref="InvalidOperationException">The step used more than 2²⁴ normals.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double NextNormal()
    {
        if (_normal >> StepShift != 0) throw new InvalidOperationException("a step drew more than 2^24 normals.");
        ulong i = _normal++;
        if ((i & 1) != 0) return _oddNormal;
        _normals.DrawPair(_stream, (_base + i) >> 1, out double z0, out _oddNormal);
        return z0;
    }
}
