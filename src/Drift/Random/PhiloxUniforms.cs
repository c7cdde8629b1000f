using System.Runtime.CompilerServices;
using Drift.Numerics;

namespace Drift.Random;

/// <summary>
/// Uniform draws on the open interval (0, 1) keyed by (seed, stream, draw index), from the same
/// Philox4x32-10 blocks as <see cref="PhiloxNormals"/>: draws 2b and 2b + 1 of stream s take the
/// top 52 bits of each 64-bit half of block (s, b), as u = (k + ½)·2⁻⁵². Never 0 or 1; every
/// instruction set gives the same bits.
/// </summary>
/// <param name="seed">The 64-bit key.</param>
public readonly struct PhiloxUniforms(ulong seed)
{
    /// <summary>The 64-bit key.</summary>
    public ulong Seed { get; } = seed;

    /// <summary>Draw <paramref name="draw"/> of stream <paramref name="stream"/> (scalar).</summary>
    public double Draw(ulong stream, ulong draw)
    {
        DrawPair(stream, draw >> 1, out double u0, out double u1);
        return (draw & 1) == 0 ? u0 : u1;
    }

    /// <summary>Draws 2b and 2b + 1 of stream <paramref name="stream"/> (the two uniforms of block b = <paramref name="block"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void DrawPair(ulong stream, ulong block, out double u0, out double u1)
    {
        var keys = NormalKernel<Lanes1, ulong, double>.RoundKeys.Create(Seed);
        UniformPair.Values<Lanes1, ulong, double>(in keys, stream, block, out u0, out u1);
    }

    /// <summary>
    /// Fills a [draw][stream] block: row r, column p receives draw <c>firstDraw + r</c> of stream
    /// <c>firstStream + p</c> (see <see cref="PhiloxNormals.FillAcrossStreams(ulong, int, ulong, int, Span{double}, int)"/>).
    /// </summary>
    public void FillAcrossStreams(ulong firstStream, int streams, ulong firstDraw, int rows, Span<double> destination, int rowStride)
        => PhiloxFill.AcrossStreams<UniformPair>(Seed, firstStream, streams, firstDraw, rows, destination, rowStride, default);

    /// <summary>Fills <paramref name="destination"/> with consecutive draws of one stream, starting at <paramref name="firstDraw"/>.</summary>
    public void FillStream(ulong stream, ulong firstDraw, Span<double> destination)
        => PhiloxFill.Stream<UniformPair>(Seed, stream, firstDraw, destination);

    /// <summary>
    /// <see cref="FillStream"/> with every even draw 2b replaced by −ln of itself, an Exp(1) variate (fdlibm's
    /// logarithm, vectorised, the same bits on every instruction set): what a direct-method SSA consumes per event.
    /// </summary>
    internal void FillExponentialStream(ulong stream, ulong firstDraw, Span<double> destination)
        => PhiloxFill.Stream<ExponentialUniformPair>(Seed, stream, firstDraw, destination);
}
