using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Drift.Numerics;

namespace Drift.Random;

/// <summary>
/// Standard normal draws keyed by (seed, stream, draw index): Philox4x32-10 plus Box–Muller,
/// vectorised across streams with AVX-512, AVX2 or scalar code that all give the same bits.
/// </summary>
/// <remarks>
/// <para>Stream s's draws 2b and 2b + 1 are the Box–Muller pair r·cos θ, r·sin θ of Philox block
/// (counter = (s, b), key = seed). A draw is therefore a pure function of (seed, s, index):
/// the order, chunking or thread that asks for it never changes it.</para>
/// <para>In a simulation the stream is the path index, so a batch of paths draws one row of
/// normals per draw index with a vector lane per path.</para>
/// </remarks>
/// <param name="seed">The 64-bit key.</param>
public readonly struct PhiloxNormals(ulong seed)
{
    /// <summary>The 64-bit key.</summary>
    public ulong Seed { get; } = seed;

    /// <summary>Number of paths one vector instruction serves on this machine (8, 4 or 1).</summary>
    public static int VectorWidth =>
        Lanes512.IsSupported ? 8 : Lanes256.IsSupported ? 4 : 1;

    /// <summary>Draw <paramref name="draw"/> of stream <paramref name="stream"/> (scalar).</summary>
    public double Draw(ulong stream, ulong draw)
    {
        var keys = NormalKernel<Lanes1, ulong, double>.RoundKeys.Create(Seed);
        NormalKernel<Lanes1, ulong, double>.Normals(in keys, stream, draw >> 1, out double z0, out double z1);
        return (draw & 1) == 0 ? z0 : z1;
    }

    /// <summary>
    /// Fills a [draw][stream] block: row r, column p receives draw <c>firstDraw + r</c> of stream
    /// <c>firstStream + p</c>, for <paramref name="streams"/> streams and
    /// <c>destination.Length / rowStride</c> rows.
    /// </summary>
    /// <param name="firstStream">Stream (path) index of column 0.</param>
    /// <param name="streams">Number of streams (columns) to fill per row.</param>
    /// <param name="firstDraw">Draw index of row 0 (any value, odd included).</param>
    /// <param name="rows">Number of draw rows.</param>
    /// <param name="destination">Row-major output; row r starts at <c>r · rowStride</c>.</param>
    /// <param name="rowStride">Distance between rows; at least <paramref name="streams"/>.</param>
    public void FillAcrossStreams(ulong firstStream, int streams, ulong firstDraw, int rows, Span<double> destination, int rowStride)
        => FillAcrossStreams(firstStream, streams, firstDraw, rows, destination, rowStride, default);

    /// <summary>As <see cref="FillAcrossStreams(ulong, int, ulong, int, Span{double}, int)"/>, with row r multiplied by <paramref name="rowScale"/>[r] (all ones when empty).</summary>
    public void FillAcrossStreams(ulong firstStream, int streams, ulong firstDraw, int rows, Span<double> destination, int rowStride, ReadOnlySpan<double> rowScale)
    {
        if (!rowScale.IsEmpty && rowScale.Length < rows)
            throw new ArgumentException($"rowScale has {rowScale.Length} values for {rows} rows.", nameof(rowScale));
        ArgumentOutOfRangeException.ThrowIfNegative(streams);
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowStride, streams);
        if (rows == 0 || streams == 0) return;
        if ((long)(rows - 1) * rowStride + streams > destination.Length)
            throw new ArgumentException($"destination holds {destination.Length} values; {rows} rows of stride {rowStride} need {(long)(rows - 1) * rowStride + streams}.", nameof(destination));

        ref double dest = ref MemoryMarshal.GetReference(destination);
        int done = 0;
        if (Lanes512.IsSupported)
            done = Fill<Lanes512, Vector512<ulong>, Vector512<double>>(Seed, firstStream, 0, streams, firstDraw, rows, ref dest, rowStride, rowScale);
        else if (Lanes256.IsSupported)
            done = Fill<Lanes256, Vector256<ulong>, Vector256<double>>(Seed, firstStream, 0, streams, firstDraw, rows, ref dest, rowStride, rowScale);
        Fill<Lanes1, ulong, double>(Seed, firstStream, done, streams, firstDraw, rows, ref dest, rowStride, rowScale);
    }

    /// <summary>Fills <paramref name="destination"/> with consecutive draws of one stream, starting at <paramref name="firstDraw"/>.</summary>
    public void FillStream(ulong stream, ulong firstDraw, Span<double> destination)
    {
        var keys = NormalKernel<Lanes1, ulong, double>.RoundKeys.Create(Seed);
        int i = 0;
        ulong draw = firstDraw;
        while (i < destination.Length)
        {
            NormalKernel<Lanes1, ulong, double>.Normals(in keys, stream, draw >> 1, out double z0, out double z1);
            if ((draw & 1) == 0)
            {
                destination[i++] = z0;
                draw++;
                if (i == destination.Length) break;
            }
            destination[i++] = z1;
            draw++;
        }
    }

    /// <summary>Fills columns [start, streams) in steps of the lane count; returns the first column not filled.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static int Fill<TL, TU, TD>(ulong seed, ulong firstStream, int start, int streams, ulong firstDraw, int rows, ref double dest, int rowStride, ReadOnlySpan<double> rowScale)
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
                NormalKernel<TL, TU, TD>.Normals(in keys, TL.Sequence(firstStream + (ulong)p), blockLanes, out TD z0, out TD z1);
                if (write0) TL.Store(TL.Multiply(z0, scale0), ref Unsafe.Add(ref r0, p));
                if (write1) TL.Store(TL.Multiply(z1, scale1), ref Unsafe.Add(ref r1, p));
            }
        }
        return end;
    }
}
