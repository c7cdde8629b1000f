using Drift.Numerics;

namespace Drift.Transport.Exact;

/// <summary>
/// Minibatch optimal coupling for training (e.g. OT conditional flow matching): given two batches x₀, x₁ of B points in
/// ℝ^d (row-major), finds the permutation σ minimising Σᵢ ‖x₀ᵢ − x₁σ₍ᵢ₎‖², i.e. exact W₂ transport between the two
/// uniform empirical measures. The assignment runs on −2⟨x₀ᵢ, x₁ⱼ⟩, which differs from ‖x₀ᵢ − x₁ⱼ‖² by a row and a
/// column constant and so has the same minimisers. Not thread-safe; allocation-free per call after construction.
/// </summary>
public sealed class BatchAssignment
{
    /// <summary>Largest supported batch.</summary>
    public const int MaxSupportedBatch = 4096;

    private readonly double[] cost;
    private readonly double[] transposed;
    private readonly AssignmentWorkspace workspace = new();

    /// <summary>Creates buffers for batches of up to <paramref name="maxBatch"/> points of dimension <paramref name="dimension"/>.</summary>
    public BatchAssignment(int maxBatch, int dimension)
    {
        if (maxBatch < 1 || maxBatch > MaxSupportedBatch)
            throw new ArgumentException($"maxBatch must lie in [1, {MaxSupportedBatch}], got {maxBatch}.", nameof(maxBatch));
        Guard.Positive(dimension, nameof(dimension));
        MaxBatch = maxBatch;
        Dimension = dimension;
        cost = new double[maxBatch * maxBatch];
        transposed = new double[maxBatch * dimension];
    }

    /// <summary>Largest batch size accepted.</summary>
    public int MaxBatch { get; }

    /// <summary>Point dimension d.</summary>
    public int Dimension { get; }

    /// <summary>Writes σ into <paramref name="permutation"/> (x₀ᵢ is coupled to x₁σ₍ᵢ₎) and returns the mean squared
    /// distance (1/B) Σᵢ ‖x₀ᵢ − x₁σ₍ᵢ₎‖².</summary>
    /// <exception cref="ArgumentException">Lengths that are not B·d with the same B ≤ MaxBatch, a short permutation span, or
    /// a non-finite coordinate.</exception>
    public double Match(ReadOnlySpan<double> x0, ReadOnlySpan<double> x1, Span<int> permutation)
    {
        int d = Dimension;
        if (x0.Length == 0 || x0.Length % d != 0 || x0.Length / d > MaxBatch)
            throw new ArgumentException($"x0 has length {x0.Length}; expected B·{d} with 1 ≤ B ≤ {MaxBatch}.", nameof(x0));
        int batch = x0.Length / d;
        if (x1.Length != x0.Length)
            throw new ArgumentException($"x1 has length {x1.Length} but x0 has {x0.Length}.", nameof(x1));
        if (permutation.Length < batch)
            throw new ArgumentException($"permutation has length {permutation.Length}, fewer than the batch {batch}.", nameof(permutation));
        for (int k = 0; k < x0.Length; k++)
        {
            if (!double.IsFinite(x0[k])) throw new ArgumentException($"x0[{k}] = {x0[k]} is not finite.", nameof(x0));
            if (!double.IsFinite(x1[k])) throw new ArgumentException($"x1[{k}] = {x1[k]} is not finite.", nameof(x1));
        }
        for (int j = 0; j < batch; j++)
            for (int k = 0; k < d; k++) transposed[k * batch + j] = x1[j * d + k];
        var c = cost.AsSpan(0, batch * batch);
        for (int i = 0; i < batch; i++)
        {
            var row = c.Slice(i * batch, batch);
            row.Clear();
            for (int k = 0; k < d; k++) Dense.Axpy(-2 * x0[i * d + k], transposed.AsSpan(k * batch, batch), row);
        }
        workspace.Solve(c, batch, batch, permutation);
        double total = 0;
        for (int i = 0; i < batch; i++)
        {
            int j = permutation[i];
            for (int k = 0; k < d; k++)
            {
                double t = x0[i * d + k] - x1[j * d + k];
                total += t * t;
            }
        }
        return total / batch;
    }
}
