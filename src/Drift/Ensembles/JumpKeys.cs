using Drift.Brownian;

namespace Drift.Ensembles;

/// <summary>
/// The increments a fixed-step jump-diffusion step reads: for each step, the m rows of the Brownian source (the very
/// values it gives a plain SDE solve on the same grid) followed by two key rows, the path index and the step index
/// (exact integers as doubles), so the stepper can key its per-path jump draws. Levy areas are not supported.
/// </summary>
internal readonly struct JumpKeys<TBrownian>(TBrownian brownian) : IBrownianIncrements
    where TBrownian : struct, IBrownianIncrements
{
    private readonly TBrownian _brownian = brownian;

    public void Fill(long firstPath, int paths, ReadOnlySpan<double> times, long firstStep, int steps, int noiseDimension,
        Span<double> dW, Span<double> levy, int rowStride)
    {
        int m = noiseDimension - 2;
        for (int s = 0; s < steps; s++)
        {
            int row = s * noiseDimension;
            // One step at a time: every source keys its values by (path, step, row), so this equals a grouped fill.
            _brownian.Fill(firstPath, paths, times, firstStep + s, 1, m, dW[(row * rowStride)..], default, rowStride);
            var pathRow = dW.Slice((row + m) * rowStride, paths);
            for (int p = 0; p < paths; p++) pathRow[p] = firstPath + p;
            dW.Slice((row + m + 1) * rowStride, paths).Fill(firstStep + s);
        }
    }
}
