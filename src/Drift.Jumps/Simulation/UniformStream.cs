using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Drift.Random;

namespace Drift.Jumps.Simulation;

/// <summary>
/// The uniforms of one run: draw k of run r is draw k of Philox stream r (<see cref="PhiloxUniforms"/>) under a key
/// derived from the seed, fetched 256 at a time. A pure function of (seed, run, k), so runs are bit-identical on
/// any thread count or shard.
/// <para>
/// With <paramref name="exponentialPairs"/>, each even draw 2b arrives as −ln u₂ᵦ (an Exp(1) variate, from the
/// floor's vectorised fdlibm logarithm): the stream is then read only by <see cref="NextExponentialPair"/>, one
/// (waiting-time variate, uniform) pair per direct-method event, with no logarithm in the event loop.
/// </para>
/// </summary>
internal sealed class UniformStream(ulong seed, bool exponentialPairs = false)
{
    private const int Block = 256;
    private readonly PhiloxUniforms _uniforms = new(SeedMixer.Derive(seed, 0x4A55_4D50_5353_4155)); // "JUMPSSAU"
    private readonly double[] _buffer = new double[Block];
    private ulong _stream, _next;
    private int _position = Block;

    public void Reset(long run)
    {
        _stream = (ulong)run;
        _next = 0;
        _position = Block;
    }

    /// <summary>The next uniform on (0, 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public double Next()
    {
        Debug.Assert(!exponentialPairs, "an exponential-pairs stream is read by NextExponentialPair");
        if (_position == Block) Refill();
        return Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_buffer), _position++);
    }

    /// <summary>The next two uniforms, in draw order (the same values as two calls of <see cref="Next"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void NextPair(out double first, out double second)
    {
        int p = _position;
        if (p <= Block - 2)
        {
            ref double b = ref MemoryMarshal.GetArrayDataReference(_buffer);
            first = Unsafe.Add(ref b, p);
            second = Unsafe.Add(ref b, p + 1);
            _position = p + 2;
            return;
        }
        first = Next();
        second = Next();
    }

    /// <summary>The next (−ln u, u′) pair of an exponential-pairs stream: draws 2b and 2b + 1, the first as −ln of itself.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void NextExponentialPair(out double exponential, out double uniform)
    {
        Debug.Assert(exponentialPairs && (_position & 1) == 0, "an exponential-pairs stream is read in pairs only");
        if (_position == Block) Refill();
        ref double b = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_buffer), _position);
        exponential = b;
        uniform = Unsafe.Add(ref b, 1);
        _position += 2;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Refill()
    {
        if (exponentialPairs) _uniforms.FillExponentialStream(_stream, _next, _buffer);
        else _uniforms.FillStream(_stream, _next, _buffer);
        _next += Block;
        _position = 0;
    }

    /// <summary>An Exp(1) variate, −ln U.</summary>
    public double Exponential() => -Math.Log(Next());
}
