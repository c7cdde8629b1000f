using Drift.Random;

namespace Drift.Brownian;

/// <summary>
/// Independent Gaussian increments on the solver's grid, drawn from Philox keyed by
/// (seed, path, n·m + j): ΔW = √h·Z, H = √(h/12)·Z′ with Z′ from a second key.
/// </summary>
/// <remarks>
/// The increments of a path depend only on (seed, path index, step index), never on the batch or
/// thread; ΔW does not depend on whether Lévy areas are drawn, so every solver sees the same
/// Brownian path for a seed. Changing the number of steps gives a different path: use
/// <see cref="NestedBrownianIncrements"/> to refine one path.
/// </remarks>
/// <param name="seed">The run's seed.</param>
public readonly struct PhiloxBrownianIncrements(ulong seed) : IBrownianIncrements
{
    private readonly PhiloxNormals _increments = new(SeedMixer.Derive(seed, 1));
    private readonly PhiloxNormals _levyAreas = new(SeedMixer.Derive(seed, 2));

    /// <inheritdoc/>
    public void Fill(long firstPath, int paths, ReadOnlySpan<double> times, long firstStep, int steps, int noiseDimension,
        Span<double> dW, Span<double> levy, int rowStride)
    {
        int m = noiseDimension;
        int rows = steps * m;
        Span<double> scale = rows <= 256 ? stackalloc double[rows] : new double[rows];
        for (int s = 0; s < steps; s++)
        {
            double h = times[(int)(firstStep + s) + 1] - times[(int)(firstStep + s)];
            scale.Slice(s * m, m).Fill(Math.Sqrt(h));
        }
        ulong firstDraw = (ulong)(firstStep * m);
        _increments.FillAcrossStreams((ulong)firstPath, paths, firstDraw, rows, dW, rowStride, scale);
        if (levy.IsEmpty) return;
        for (int r = 0; r < rows; r++) scale[r] *= Math.Sqrt(1.0 / 12.0);
        _levyAreas.FillAcrossStreams((ulong)firstPath, paths, firstDraw, rows, levy, rowStride, scale);
    }
}
