using Drift.Transport;
using Drift.Transport.Exact;
using Drift.Transport.Sinkhorn;

namespace Drift.Generative.Training;

/// <summary>
/// Re-pairs the noise rows of a batch with its data rows according to a <see cref="Coupling"/> (in place: noise row i
/// becomes the row paired with data row i). Deterministic: the entropic coupling draws its choices from the uniforms the
/// caller passes (keyed by step and row), the assignments are exact.
/// </summary>
public sealed class BatchCoupler
{
    readonly int dimension;
    readonly BatchAssignment? assignment;
    readonly int[] permutation;
    readonly double[] copy;

    /// <summary>Creates a coupler for batches of up to <paramref name="maxBatch"/> rows of <paramref name="dimension"/> values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Bad sizes, or ε not positive for the entropic coupling.</exception>
    public BatchCoupler(Coupling coupling, int maxBatch, int dimension, double entropicEpsilon = 0.05)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBatch);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(dimension);
        if (!Enum.IsDefined(coupling)) throw new ArgumentOutOfRangeException(nameof(coupling), coupling, "unknown coupling.");
        if (!(entropicEpsilon > 0) || !double.IsFinite(entropicEpsilon))
            throw new ArgumentOutOfRangeException(nameof(entropicEpsilon), entropicEpsilon, "the entropic regularisation must be positive.");
        if (coupling == Coupling.ExactOt) assignment = new BatchAssignment(maxBatch, dimension);
        Kind = coupling;
        this.dimension = dimension;
        Epsilon = entropicEpsilon;
        permutation = new int[maxBatch];
        copy = new double[maxBatch * dimension];
    }

    /// <summary>The coupling.</summary>
    public Coupling Kind { get; }

    /// <summary>ε of the entropic coupling, relative to the largest squared distance in the batch.</summary>
    public double Epsilon { get; }

    /// <summary>
    /// The entropic coupling's ε of the last batch in squared-distance units (ε times the batch's largest squared distance);
    /// the Schrödinger bridge of that plan has Brownian-bridge noise σ² = ε/2 (Tong et al. 2023). 0 before an entropic batch.
    /// </summary>
    public double AbsoluteEpsilon { get; private set; }

    /// <summary>Re-pairs <paramref name="noise"/> with <paramref name="data"/> (both rows × d, row-major).</summary>
    /// <param name="data">The data rows x₀.</param>
    /// <param name="noise">The noise rows; permuted (or resampled, for the entropic coupling) in place.</param>
    /// <param name="uniforms">One uniform per row (used by the entropic coupling).</param>
    public void Couple(ReadOnlySpan<double> data, Span<double> noise, ReadOnlySpan<double> uniforms)
    {
        if (Kind == Coupling.Independent) return;
        int d = dimension, rows = data.Length / d;
        if (noise.Length != data.Length || rows > permutation.Length)
            throw new ArgumentException($"data has {data.Length} values and noise {noise.Length}; at most {permutation.Length} rows of {d}.", nameof(noise));
        var perm = permutation.AsSpan(0, rows);
        switch (Kind)
        {
            case Coupling.ExactOt:
                assignment!.Match(data, noise, perm);
                break;
            case Coupling.Immiscible:
                LinearAssignment.FindAssignment(Cost(data, noise, rows, GroundCost.Euclidean), perm);
                break;
            default:
                var cost = Cost(data, noise, rows, GroundCost.SquaredEuclidean);
                double max = cost.Values.Max();
                if (max > 0) cost = cost.NormalizeByMax();
                AbsoluteEpsilon = Epsilon * (max > 0 ? max : 1);
                var uniform = new double[rows];
                Array.Fill(uniform, 1.0 / rows);
                var plan = LogSinkhorn.Solve(uniform, uniform, cost, TransportOptions.Default with { Epsilon = Epsilon, Threads = 1 }).Plan;
                for (int i = 0; i < rows; i++)
                {
                    double total = 0;
                    for (int j = 0; j < rows; j++) total += plan[i, j];
                    double u = uniforms[i] * total, acc = 0;
                    int pick = rows - 1;
                    for (int j = 0; j < rows; j++)
                    {
                        acc += plan[i, j];
                        if (u < acc) { pick = j; break; }
                    }
                    perm[i] = pick;
                }
                break;
        }
        var c = copy.AsSpan(0, rows * d);
        noise.CopyTo(c);
        for (int i = 0; i < rows; i++) c.Slice(perm[i] * d, d).CopyTo(noise.Slice(i * d, d));
    }

    CostMatrix Cost(ReadOnlySpan<double> data, ReadOnlySpan<double> noise, int rows, GroundCost ground)
        => CostMatrix.FromPoints(new PointCloud(data.ToArray(), dimension), new PointCloud(noise.ToArray(), dimension), ground);
}
