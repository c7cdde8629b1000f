using System.Numerics;
using Drift.Learning.Autodiff;
using Drift.Random;

namespace Drift.Learning.Data;

/// <summary>
/// Minibatches over in-memory data: rows of <see cref="Inputs"/> (and of the optional targets and
/// labels) in an order reshuffled every epoch. The permutation of epoch e is a Fisher–Yates shuffle
/// driven by Philox stream e of the seed, so the batch sequence is a pure function of
/// (seed, epoch, batch index): <see cref="Position"/> is the loader's whole random state, and a
/// loader moved to a saved position continues exactly as the original did.
/// </summary>
public sealed class MinibatchLoader<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly int[] order;
    int orderEpoch = -1;

    /// <summary>Creates a loader.</summary>
    /// <param name="inputs">Rows are samples, shape [n, ...].</param>
    /// <param name="targets">Optional targets with n rows.</param>
    /// <param name="labels">Optional integer labels, n of them.</param>
    /// <param name="batchSize">Rows per batch.</param>
    /// <param name="seed">Key of the shuffles.</param>
    /// <param name="shuffle">Reshuffle every epoch (else keep the data order).</param>
    /// <param name="dropLast">Drop the last, smaller batch of an epoch.</param>
    /// <exception cref="ArgumentException">When row counts differ or the batch size is not positive.</exception>
    public MinibatchLoader(Tensor<T> inputs, Tensor<T>? targets, int[]? labels, int batchSize, ulong seed, bool shuffle = true, bool dropLast = true)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Rank < 1 || inputs.Shape[0] == 0) throw new ArgumentException($"Inputs must have at least one row, got shape {ShapeRules.Format(inputs.Shape)}.", nameof(inputs));
        int n = inputs.Shape[0];
        if (targets is not null && (targets.Rank < 1 || targets.Shape[0] != n))
            throw new ArgumentException($"Targets {ShapeRules.Format(targets.Shape)} do not have the {n} rows of inputs {ShapeRules.Format(inputs.Shape)}.", nameof(targets));
        if (labels is not null && labels.Length != n)
            throw new ArgumentException($"{labels.Length} labels for {n} input rows.", nameof(labels));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        if (dropLast && batchSize > n) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"A batch of {batchSize} with dropLast never fits {n} rows.");
        Inputs = inputs;
        Targets = targets;
        Labels = labels;
        BatchSize = batchSize;
        Seed = seed;
        Shuffle = shuffle;
        DropLast = dropLast;
        order = new int[n];
        BatchesPerEpoch = dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /// <summary>Input rows.</summary>
    public Tensor<T> Inputs { get; }
    /// <summary>Target rows, or null.</summary>
    public Tensor<T>? Targets { get; }
    /// <summary>Labels, or null.</summary>
    public int[]? Labels { get; }
    /// <summary>Rows per batch.</summary>
    public int BatchSize { get; }
    /// <summary>Key of the shuffles.</summary>
    public ulong Seed { get; }
    /// <summary>Whether epochs are shuffled.</summary>
    public bool Shuffle { get; }
    /// <summary>Whether a short last batch is dropped.</summary>
    public bool DropLast { get; }
    /// <summary>Batches in one epoch.</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>The next batch's (epoch, index in epoch): the loader's entire state.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When set to a negative epoch or a batch outside [0, <see cref="BatchesPerEpoch"/>).</exception>
    public (int Epoch, int Batch) Position
    {
        get;
        set
        {
            if (!Fits(value))
                throw new ArgumentOutOfRangeException(nameof(value), value, $"A position is (epoch ≥ 0, batch in [0, {BatchesPerEpoch})) for this loader.");
            field = value;
        }
    }

    /// <summary>Whether (epoch, batch) is a position of this loader.</summary>
    internal bool Fits((int Epoch, int Batch) position) => position.Epoch >= 0 && position.Batch >= 0 && position.Batch < BatchesPerEpoch;

    /// <summary>The next batch; advances <see cref="Position"/>.</summary>
    public Minibatch<T> Next()
    {
        var (epoch, batch) = Position;
        if (orderEpoch != epoch) Permute(epoch);
        int start = batch * BatchSize;
        int rows = Math.Min(BatchSize, order.Length - start);
        var indices = order.AsSpan(start, rows);
        var x = Gather(Inputs, indices);
        var y = Targets is null ? null : Gather(Targets, indices);
        int[]? l = null;
        if (Labels is not null)
        {
            l = new int[rows];
            for (int r = 0; r < rows; r++) l[r] = Labels[indices[r]];
        }
        Position = batch + 1 < BatchesPerEpoch ? (epoch, batch + 1) : (epoch + 1, 0);
        return new Minibatch<T>(x, y, l, indices.ToArray());
    }

    void Permute(int epoch)
    {
        for (int i = 0; i < order.Length; i++) order[i] = i;
        if (Shuffle)
        {
            var u = new double[order.Length];
            new PhiloxUniforms(Seed).FillStream((ulong)epoch, 0, u);
            for (int i = order.Length - 1; i > 0; i--)
            {
                int j = (int)(u[i] * (i + 1));
                (order[i], order[j]) = (order[j], order[i]);
            }
        }
        orderEpoch = epoch;
    }

    static Tensor<T> Gather(Tensor<T> source, ReadOnlySpan<int> rows)
    {
        var shape = source.Shape.ToArray();
        int width = source.Length / shape[0];
        shape[0] = rows.Length;
        var result = Tensor<T>.Wrap(new T[rows.Length * width], shape);
        var s = source.Span; var d = result.Span;
        for (int r = 0; r < rows.Length; r++) s.Slice(rows[r] * width, width).CopyTo(d.Slice(r * width, width));
        return result;
    }
}
