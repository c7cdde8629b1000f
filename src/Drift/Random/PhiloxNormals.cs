using System.Runtime.CompilerServices;
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

    /// <summary>Number of paths one vector instruction serves on this machine (8, 4, 2 or 1).</summary>
    public static int VectorWidth =>
        Lanes512.IsSupported ? 8 : Lanes256.IsSupported ? 4 : Lanes128.IsSupported ? 2 : 1;

    /// <summary>Draw <paramref name="draw"/> of stream <paramref name="stream"/> (scalar).</summary>
    public double Draw(ulong stream, ulong draw)
    {
        DrawPair(stream, draw >> 1, out double z0, out double z1);
        return (draw & 1) == 0 ? z0 : z1;
    }

    /// <summary>Draws 2b and 2b + 1 of stream <paramref name="stream"/> (the Box–Muller pair of block b = <paramref name="block"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void DrawPair(ulong stream, ulong block, out double z0, out double z1)
    {
        var keys = NormalKernel<Lanes1, ulong, double>.RoundKeys.Create(Seed);
        NormalKernel<Lanes1, ulong, double>.Normals(in keys, stream, block, out z0, out z1);
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
        => PhiloxFill.AcrossStreams<NormalPair>(Seed, firstStream, streams, firstDraw, rows, destination, rowStride, rowScale);

    /// <summary>
    /// Lane k receives the Box–Muller pair of block <paramref name="blocks"/>[k] of stream
    /// <paramref name="streams"/>[k] + <paramref name="streamOffset"/> (draws 2b and 2b + 1 of that stream): a gather
    /// over arbitrary (stream, block) counters, vectorised across lanes with the same bits at every width.
    /// </summary>
    internal void PairsPerLane(ReadOnlySpan<ulong> streams, ulong streamOffset, ReadOnlySpan<ulong> blocks, Span<double> z0, Span<double> z1)
        => PhiloxFill.PairsPerLane<NormalPair>(Seed, streams, streamOffset, blocks, z0, z1);

    /// <summary>Fills <paramref name="destination"/> with consecutive draws of one stream, starting at <paramref name="firstDraw"/>.</summary>
    public void FillStream(ulong stream, ulong firstDraw, Span<double> destination)
        => PhiloxFill.Stream<NormalPair>(Seed, stream, firstDraw, destination);
}
