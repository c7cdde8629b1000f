using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Drift.Numerics;

namespace Drift.Random;

/// <summary>Two values per lane from one Philox block: the transform that a fill applies.</summary>
internal interface IBlockPair
{
    static abstract void Values<TL, TU, TD>(in NormalKernel<TL, TU, TD>.RoundKeys keys, TU stream, TU block, out TD v0, out TD v1)
        where TL : struct, ILanes<TU, TD>
        where TU : struct
        where TD : struct;
}

/// <summary>Box–Muller normals.</summary>
internal readonly struct NormalPair : IBlockPair
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Values<TL, TU, TD>(in NormalKernel<TL, TU, TD>.RoundKeys keys, TU stream, TU block, out TD v0, out TD v1)
        where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
        => NormalKernel<TL, TU, TD>.Normals(in keys, stream, block, out v0, out v1);
}

/// <summary>Uniforms on (0, 1).</summary>
internal readonly struct UniformPair : IBlockPair
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Values<TL, TU, TD>(in NormalKernel<TL, TU, TD>.RoundKeys keys, TU stream, TU block, out TD v0, out TD v1)
        where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
    {
        NormalKernel<TL, TU, TD>.Philox(in keys, stream, block, out TU a, out TU b);
        v0 = NormalKernel<TL, TU, TD>.ToOpenUniform(a);
        v1 = NormalKernel<TL, TU, TD>.ToOpenUniform(b);
    }
}

/// <summary>
/// An Exp(1) variate and a uniform per lane: v0 = −ln u₀ (the fdlibm logarithm of <see cref="NormalKernel{TL, TU, TD}.Log"/>,
/// the same bits on every instruction set) and v1 = u₁, where u₀, u₁ are the block's two uniforms of <see cref="UniformPair"/>.
/// </summary>
internal readonly struct ExponentialUniformPair : IBlockPair
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Values<TL, TU, TD>(in NormalKernel<TL, TU, TD>.RoundKeys keys, TU stream, TU block, out TD v0, out TD v1)
        where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
    {
        NormalKernel<TL, TU, TD>.Philox(in keys, stream, block, out TU a, out TU b);
        v0 = TL.Subtract(TL.Broadcast(0.0), NormalKernel<TL, TU, TD>.Log(NormalKernel<TL, TU, TD>.ToOpenUniform(a)));
        v1 = NormalKernel<TL, TU, TD>.ToOpenUniform(b);
    }
}

/// <summary>The [draw][stream] fill shared by the normal and uniform generators, at every lane width.</summary>
internal static class PhiloxFill
{
    public static void AcrossStreams<TPair>(ulong seed, ulong firstStream, int streams, ulong firstDraw, int rows, Span<double> destination, int rowStride, ReadOnlySpan<double> rowScale)
        where TPair : struct, IBlockPair
    {
        ArgumentOutOfRangeException.ThrowIfNegative(streams);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowStride, streams);
        if (!rowScale.IsEmpty && rowScale.Length < rows)
            throw new ArgumentException($"rowScale has {rowScale.Length} values for {rows} rows.", nameof(rowScale));
        if (rows == 0 || streams == 0) return;
        if ((long)(rows - 1) * rowStride + streams > destination.Length)
            throw new ArgumentException($"destination holds {destination.Length} values; {rows} rows of stride {rowStride} need {(long)(rows - 1) * rowStride + streams}.", nameof(destination));

        ref double dest = ref MemoryMarshal.GetReference(destination);
        int done = 0;
        if (Lanes512.IsSupported)
            done = Fill<TPair, Lanes512, Vector512<ulong>, Vector512<double>>(seed, firstStream, 0, streams, firstDraw, rows, ref dest, rowStride, rowScale);
        else if (Lanes256.IsSupported)
            done = Fill<TPair, Lanes256, Vector256<ulong>, Vector256<double>>(seed, firstStream, 0, streams, firstDraw, rows, ref dest, rowStride, rowScale);
        else if (Lanes128.IsSupported)
            done = Fill<TPair, Lanes128, Vector128<ulong>, Vector128<double>>(seed, firstStream, 0, streams, firstDraw, rows, ref dest, rowStride, rowScale);
        Fill<TPair, Lanes1, ulong, double>(seed, firstStream, done, streams, firstDraw, rows, ref dest, rowStride, rowScale);
    }

    /// <summary>Lane k: the pair of (stream streams[k] + offset, block blocks[k]), for as many lanes as <paramref name="blocks"/> holds.</summary>
    public static void PairsPerLane<TPair>(ulong seed, ReadOnlySpan<ulong> streams, ulong offset, ReadOnlySpan<ulong> blocks, Span<double> v0, Span<double> v1)
        where TPair : struct, IBlockPair
    {
        int n = blocks.Length;
        if (streams.Length < n || v0.Length < n || v1.Length < n)
            throw new ArgumentException($"streams ({streams.Length}), v0 ({v0.Length}) and v1 ({v1.Length}) need {n} lanes.", nameof(blocks));
        int done = 0;
        if (Lanes512.IsSupported)
            done = Gather<TPair, Lanes512, Vector512<ulong>, Vector512<double>>(seed, streams, offset, blocks, v0, v1, 0);
        else if (Lanes256.IsSupported)
            done = Gather<TPair, Lanes256, Vector256<ulong>, Vector256<double>>(seed, streams, offset, blocks, v0, v1, 0);
        Gather<TPair, Lanes1, ulong, double>(seed, streams, offset, blocks, v0, v1, done);
    }

    private static int Gather<TPair, TL, TU, TD>(ulong seed, ReadOnlySpan<ulong> streams, ulong offset, ReadOnlySpan<ulong> blocks, Span<double> v0, Span<double> v1, int start)
        where TPair : struct, IBlockPair
        where TL : struct, ILanes<TU, TD>
        where TU : struct
        where TD : struct
    {
        int width = TL.Count, n = blocks.Length;
        int end = start + (n - start) / width * width;
        if (end == start) return start;
        var keys = NormalKernel<TL, TU, TD>.RoundKeys.Create(seed);
        TU add = TL.Broadcast(offset);
        ref byte s = ref Unsafe.As<ulong, byte>(ref MemoryMarshal.GetReference(streams));
        ref byte b = ref Unsafe.As<ulong, byte>(ref MemoryMarshal.GetReference(blocks));
        ref double d0 = ref MemoryMarshal.GetReference(v0);
        ref double d1 = ref MemoryMarshal.GetReference(v1);
        for (int k = start; k < end; k += width)
        {
            TU stream = TL.Add(Unsafe.ReadUnaligned<TU>(ref Unsafe.Add(ref s, k * sizeof(ulong))), add);
            TU block = Unsafe.ReadUnaligned<TU>(ref Unsafe.Add(ref b, k * sizeof(ulong)));
            TPair.Values<TL, TU, TD>(in keys, stream, block, out TD z0, out TD z1);
            TL.Store(z0, ref Unsafe.Add(ref d0, k));
            TL.Store(z1, ref Unsafe.Add(ref d1, k));
        }
        return end;
    }

    /// <summary>
    /// Consecutive draws of one stream from <paramref name="firstDraw"/>. The lanes run over consecutive blocks of the
    /// stream (block b gives draws 2b and 2b + 1), so long fills are vectorised; every lane width gives the scalar bits.
    /// </summary>
    public static void Stream<TPair>(ulong seed, ulong stream, ulong firstDraw, Span<double> destination)
        where TPair : struct, IBlockPair
    {
        var keys = NormalKernel<Lanes1, ulong, double>.RoundKeys.Create(seed);
        int i = 0;
        ulong draw = firstDraw;
        if (destination.Length > 0 && (draw & 1) == 1)
        {
            TPair.Values<Lanes1, ulong, double>(in keys, stream, draw >> 1, out _, out double odd);
            destination[i++] = odd;
            draw++;
        }
        ref double dest = ref MemoryMarshal.GetReference(destination);
        int pairs = (destination.Length - i) / 2, done = 0;
        if (Lanes512.IsSupported)
            done = StreamPairs<TPair, Lanes512, Vector512<ulong>, Vector512<double>>(seed, stream, draw >> 1, pairs, ref Unsafe.Add(ref dest, i));
        else if (Lanes256.IsSupported)
            done = StreamPairs<TPair, Lanes256, Vector256<ulong>, Vector256<double>>(seed, stream, draw >> 1, pairs, ref Unsafe.Add(ref dest, i));
        else if (Lanes128.IsSupported)
            done = StreamPairs<TPair, Lanes128, Vector128<ulong>, Vector128<double>>(seed, stream, draw >> 1, pairs, ref Unsafe.Add(ref dest, i));
        i += 2 * done;
        draw += 2 * (ulong)done;
        while (i < destination.Length)
        {
            TPair.Values<Lanes1, ulong, double>(in keys, stream, draw >> 1, out double v0, out double v1);
            destination[i++] = v0;
            draw++;
            if (i == destination.Length) break;
            destination[i++] = v1;
            draw++;
        }
    }

    /// <summary>Writes the draws of blocks [firstBlock, firstBlock + n) of one stream, n a multiple of the lane count at most <paramref name="pairs"/>; returns n.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int StreamPairs<TPair, TL, TU, TD>(ulong seed, ulong stream, ulong firstBlock, int pairs, ref double dest)
        where TPair : struct, IBlockPair
        where TL : struct, ILanes<TU, TD>
        where TU : struct
        where TD : struct
    {
        var keys = NormalKernel<TL, TU, TD>.RoundKeys.Create(seed);
        int width = TL.Count, end = pairs / width * width;
        TU streamLanes = TL.Broadcast(stream);
        Span<double> first = stackalloc double[width], second = stackalloc double[width];
        for (int p = 0; p < end; p += width)
        {
            TPair.Values<TL, TU, TD>(in keys, streamLanes, TL.Sequence(firstBlock + (ulong)p), out TD z0, out TD z1);
            TL.Store(z0, ref MemoryMarshal.GetReference(first));
            TL.Store(z1, ref MemoryMarshal.GetReference(second));
            ref double row = ref Unsafe.Add(ref dest, 2 * p);
            for (int k = 0; k < width; k++)
            {
                Unsafe.Add(ref row, 2 * k) = first[k];
                Unsafe.Add(ref row, 2 * k + 1) = second[k];
            }
        }
        return end;
    }

    /// <summary>Fills columns [start, streams) in steps of the lane count; returns the first column not filled.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Fill<TPair, TL, TU, TD>(ulong seed, ulong firstStream, int start, int streams, ulong firstDraw, int rows, ref double dest, int rowStride, ReadOnlySpan<double> rowScale)
        where TPair : struct, IBlockPair
        where TL : struct, ILanes<TU, TD>
        where TU : struct
        where TD : struct
    {
        var keys = NormalKernel<TL, TU, TD>.RoundKeys.Create(seed);
        int width = TL.Count;
        int end = start + (streams - start) / width * width;
        if (end == start) return start;
        ulong lastDraw = firstDraw + (ulong)rows - 1;
        for (ulong block = firstDraw >> 1; block <= lastDraw >> 1; block++)
        {
            long row0 = (long)(2 * block) - (long)firstDraw; // −1 when the first draw is odd
            bool write0 = row0 >= 0;
            bool write1 = row0 + 1 < rows;
            ref double r0 = ref Unsafe.Add(ref dest, (nint)(row0 * rowStride));
            ref double r1 = ref Unsafe.Add(ref dest, (nint)((row0 + 1) * rowStride));
            TU blockLanes = TL.Broadcast(block);
            TD scale0 = TL.Broadcast(rowScale.IsEmpty || !write0 ? 1.0 : rowScale[(int)row0]);
            TD scale1 = TL.Broadcast(rowScale.IsEmpty || !write1 ? 1.0 : rowScale[(int)row0 + 1]);
            for (int p = start; p < end; p += width)
            {
                TPair.Values<TL, TU, TD>(in keys, TL.Sequence(firstStream + (ulong)p), blockLanes, out TD z0, out TD z1);
                if (write0) TL.Store(TL.Multiply(z0, scale0), ref Unsafe.Add(ref r0, p));
                if (write1) TL.Store(TL.Multiply(z1, scale1), ref Unsafe.Add(ref r1, p));
            }
        }
        return end;
    }
}
