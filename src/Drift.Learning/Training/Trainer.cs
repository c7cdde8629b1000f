using System.Numerics;
using Drift.Learning.Autodiff;
using Drift.Learning.Data;
using Drift.Learning.Optimisers;

namespace Drift.Learning.Training;

/// <summary>
/// Deterministic data-parallel training: each batch is cut into a fixed partition of shards
/// (<see cref="TrainerOptions.ShardRows"/>), every shard's loss and gradient is computed on its own
/// tape and arena by whichever worker takes it, the shard gradients are summed in shard order
/// (weighted by shard rows, so the result is the gradient of the batch-mean loss), optionally
/// clipped, checked for NaN/∞, and handed to the optimiser; an EMA is updated after.
/// </summary>
/// <remarks>
/// The loss function receives a shard and returns the mean loss over its rows as a scalar. The
/// same seed, data and options give bit-identical parameters on any number of threads. Each
/// shard's tensors live in a per-shard <see cref="TensorArena{T}"/> recycled every step, so a warm
/// trainer allocates little per step (the recorded graph's nodes).
/// </remarks>
public sealed class Trainer<T> : IDisposable where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly Func<Minibatch<T>, TrainingContext, Tensor<T>> loss;
    readonly WorkerPool pool;
    readonly List<TensorArena<T>> arenas = [];
    readonly List<Tensor<T>[]> shardGradients = [];
    readonly List<double> shardLosses = [];
    readonly Tensor<T>[] gradients;
    readonly (int Parameter, int Start, int Length)[] blocks; // element ranges the shard reduction is split into, fixed per network

    /// <summary>Creates a trainer.</summary>
    /// <param name="optimiser">Updates the parameters (its parameter list is the one trained).</param>
    /// <param name="loss">Mean loss of a shard's rows.</param>
    /// <param name="options">Threads, partition, clipping, schedule.</param>
    /// <param name="ema">An average updated after every step, or null.</param>
    public Trainer(Optimiser<T> optimiser, Func<Minibatch<T>, TrainingContext, Tensor<T>> loss, TrainerOptions? options = null,
        ExponentialMovingAverage<T>? ema = null)
    {
        ArgumentNullException.ThrowIfNull(optimiser);
        ArgumentNullException.ThrowIfNull(loss);
        Options = options ?? new TrainerOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(Options.Threads, "options.Threads");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(Options.ShardRows, "options.ShardRows");
        if (Options.ClipNorm is { } c && !(c > 0)) throw new ArgumentOutOfRangeException(nameof(options), c, "ClipNorm must be positive.");
        Optimiser = optimiser;
        Ema = ema;
        this.loss = loss;
        pool = new WorkerPool(Options.Threads == 0 ? Environment.ProcessorCount : Options.Threads);
        gradients = new Tensor<T>[optimiser.Parameters.Count];
        for (int i = 0; i < gradients.Length; i++)
            gradients[i] = Tensor<T>.Wrap(new T[optimiser.Parameters[i].Length], optimiser.Parameters[i].Shape);
        const int Block = 16384;
        var list = new List<(int, int, int)>();
        for (int i = 0; i < gradients.Length; i++)
            for (int start = 0; start < gradients[i].Length; start += Block)
                list.Add((i, start, Math.Min(Block, gradients[i].Length - start)));
        blocks = [.. list];
    }

    /// <summary>The options.</summary>
    public TrainerOptions Options { get; }
    /// <summary>The optimiser (its <see cref="Optimiser{T}.StepCount"/> is the trainer's step).</summary>
    public Optimiser<T> Optimiser { get; }
    /// <summary>The moving average, or null.</summary>
    public ExponentialMovingAverage<T>? Ema { get; }

    /// <summary>The reduced gradients of the last step (after clipping), in parameter order.</summary>
    public IReadOnlyList<Tensor<T>> Gradients => gradients;

    /// <summary>Computes the batch gradient and applies one update.</summary>
    /// <exception cref="NonFiniteGradientException">When the loss or a gradient is NaN or ±∞ (naming the parameter and step); parameters are left unchanged.</exception>
    public TrainingStep Step(Minibatch<T> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Options.CancellationToken.ThrowIfCancellationRequested();
        int rows = batch.Count;
        if (rows == 0) throw new ArgumentException("The batch is empty.", nameof(batch));
        int shardRows = Options.ShardRows;
        int shards = (rows + shardRows - 1) / shardRows;
        while (arenas.Count < shards)
        {
            arenas.Add(new TensorArena<T>());
            shardGradients.Add([]);
            shardLosses.Add(0);
        }
        long step = Optimiser.StepCount;
        var parameters = Optimiser.Parameters;
        pool.Run(shards, s =>
        {
            var arena = arenas[s];
            arena.Reset();
            using var active = arena.Activate();
            int first = s * shardRows, count = Math.Min(shardRows, rows - first);
            var shardLoss = loss(batch.Slice(first, count), new TrainingContext(step, s, shards, first, rows));
            if (shardLoss.Length != 1)
                throw new InvalidOperationException($"The loss must be a scalar, got shape {ShapeRules.Format(shardLoss.Shape)}.");
            double value = double.CreateChecked(shardLoss.Span[0]);
            shardLosses[s] = value;
            if (!double.IsFinite(value))
                throw new NonFiniteGradientException($"The loss is {value} on shard {s} (batch rows {first}..{first + count - 1}) at step {step + 1}.", "loss", step + 1);
            var weight = Tensor<T>.Scalar(T.CreateChecked((double)count / rows));
            shardGradients[s] = Autograd.Grad(shardLoss, parameters, Ops.Reshape(weight, shardLoss.Shape));
        });
        Reduce(shards);
        double total = 0;
        for (int s = 0; s < shards; s++) total += shardLosses[s] * Math.Min(shardRows, rows - s * shardRows) / rows;
        double norm = Options.ClipNorm is { } clip ? GradientClipping.ClipByGlobalNorm(gradients, clip) : GradientClipping.GlobalNorm(gradients);
        if (Options.Schedule is { } schedule) Optimiser.LearningRate = schedule.Rate(step);
        Optimiser.Step(gradients);
        Ema?.Update();
        return new TrainingStep(step + 1, total, norm, Optimiser.LearningRate);
    }

    /// <summary>gradients[i] = Σ_s shardGradients[s][i] in shard order, split across the pool by parameter element ranges.</summary>
    void Reduce(int shards)
    {
        pool.Run(blocks.Length, b =>
        {
            var (i, start, length) = blocks[b];
            var sum = gradients[i].Span.Slice(start, length);
            shardGradients[0][i].Span.Slice(start, length).CopyTo(sum);
            for (int s = 1; s < shards; s++)
                System.Numerics.Tensors.TensorPrimitives.Add(sum, shardGradients[s][i].Span.Slice(start, length), sum);
        });
    }

    /// <summary>Stops the worker threads.</summary>
    public void Dispose() => pool.Dispose();
}
