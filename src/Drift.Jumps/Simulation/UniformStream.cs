using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Drift.Random;

namespace Drift.Jumps.Simulation;

/// <summary>
/// The uniforms of one run: draw k of run r is draw k of Philox stream r (<see cref="PhiloxUniforms"/>) under a key
/// derived from the seed, fetched 256 at a time. A pure function of (seed, run, k), so runs are bit-identical on
/// any thread count or shard.
/// </summary>
internal sealed class UniformStream(ulong seed)
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

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Refill()
    {
        _uniforms.FillStream(_stream, _next, _buffer);
        _next += Block;
        _position = 0;
    }

    /// <summary>An Exp(1) variate, −ln U.</summary>
    public double Exponential() => -Math.Log(Next());
}
