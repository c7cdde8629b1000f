using Drift.Generative.Grids;
using Drift.Generative.Models;
using Drift.Generative.Samplers;
using Drift.Random;

namespace Drift.Generative.Training;

/// <summary>
/// Reflow (Liu, Gong &amp; Liu 2022, "Flow straight and fast", §2.2): the deterministic coupling (z, x) of a trained flow —
/// z ~ 𝒩(0, I), x the end of its probability-flow ODE started at x_T = α_T m + σ_T z — is a coupling of the prior and the
/// model's law with no crossing paths, so a flow retrained on these pairs (<see cref="DiffusionTrainingOptions.PairedNoise"/>)
/// has straighter trajectories and needs fewer ODE steps.
/// </summary>
public static class Reflow
{
    /// <summary>Generates <paramref name="count"/> (noise, sample) pairs with <paramref name="steps"/> classical RK4 steps uniform in time.</summary>
    /// <param name="model">The trained flow (any model; its PF-ODE is integrated).</param>
    /// <param name="count">Pairs.</param>
    /// <param name="steps">RK4 steps (4 model evaluations each).</param>
    /// <param name="seed">Seed of z (Philox normals, row-major).</param>
    /// <param name="dataMean">m of the start α_T m + σ_T z (null: 0).</param>
    /// <returns>Noise z and samples x, both count × d, row-major; row r of one is paired with row r of the other.</returns>
    /// <exception cref="ArgumentException">Bad counts or a mean of the wrong size.</exception>
    /// <exception cref="InvalidOperationException">A generated sample is not finite (the row is named).</exception>
    public static (double[] Noise, double[] Samples) GeneratePairs(IDiffusionModel model, int count, int steps, ulong seed, IReadOnlyList<double>? dataMean = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        int d = model.Dimension;
        if (dataMean is not null && dataMean.Count != d) throw new ArgumentException($"the data mean has {dataMean.Count} values, the model dimension is {d}.", nameof(dataMean));
        var z = new double[(long)count * d];
        new PhiloxNormals(seed).FillStream(0, 0, z);
        var grid = SamplingGrid.Create(model.Schedule, steps, GridSpacing.UniformTime);
        double a = grid.Alpha(0), s = grid.Sigma(0);
        var x = new double[z.Length];
        for (long k = 0; k < x.Length; k++) x[k] = a * (dataMean?[(int)(k % d)] ?? 0) + s * z[k];
        SamplerCatalog.Create("ode-rk4").Sample(model, grid, x, count, seed);
        for (long k = 0; k < x.Length; k++)
            if (!double.IsFinite(x[k])) throw new InvalidOperationException($"reflow sample {k / d} is not finite (coordinate {k % d} = {x[k]}).");
        return (z, x);
    }
}
