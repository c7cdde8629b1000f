using Drift.Random;
using Drift.Sampling.Numerics;

namespace Drift.Sampling.Consensus;

/// <summary>
/// The particle state shared by CBO and CBS: positions (particle-major), objective values, and the Laplace-principle
/// weights wⱼ ∝ e^{−α f(xⱼ)} with the consensus point m_α = Σⱼ wⱼ xⱼ / Σⱼ wⱼ, computed with min f subtracted
/// (log-sum-exp), so α f may be in the thousands without overflow. The objective is evaluated in fixed blocks of 64
/// particles and every variate is keyed by (seed, particle, step), so results do not depend on the thread count.
/// </summary>
internal sealed class ConsensusSwarm<TObjective> where TObjective : struct, IObjective
{
    private const int Block = 64;
    private readonly TObjective _objective;
    private readonly ParallelOptions _parallel;
    private readonly int _blocks;

    /// <summary>A swarm of <paramref name="particles"/> uniform on [low, high]ᵈ, drawn from (seed, particle, 0).</summary>
    public ConsensusSwarm(TObjective objective, int particles, int threads, ulong seed, double low, double high, CancellationToken cancellationToken)
    {
        _objective = objective;
        D = objective.Dimension;
        if (D < 1) throw new ArgumentException($"the objective's dimension is {D}; it must be at least 1.", nameof(objective));
        N = particles;
        X = new double[N * D];
        F = new double[N];
        Weights = new double[N];
        Mean = new double[D];
        _blocks = (N + Block - 1) / Block;
        _parallel = new ParallelOptions { MaxDegreeOfParallelism = threads == 0 ? -1 : threads, CancellationToken = cancellationToken };
        for (int p = 0; p < N; p++)
        {
            var draws = new StepDraws(seed, (ulong)p, 0);
            for (int i = 0; i < D; i++) X[p * D + i] = low + (high - low) * draws.NextUniform();
        }
    }

    public int D { get; }
    public int N { get; }
    /// <summary>Positions, particle-major: component i of particle p at [p·d + i].</summary>
    public double[] X { get; }
    /// <summary>f at each particle (NaN replaced by +∞).</summary>
    public double[] F { get; }
    /// <summary>Normalised weights of the last <see cref="Consensus"/>.</summary>
    public double[] Weights { get; }
    /// <summary>m_α of the last <see cref="Consensus"/>.</summary>
    public double[] Mean { get; }

    /// <summary>Runs <paramref name="body"/>(first, count) over the fixed blocks, in parallel.</summary>
    public void ForBlocks(Action<int, int> body)
    {
        if (_blocks == 1 || _parallel.MaxDegreeOfParallelism == 1)
        {
            for (int first = 0; first < N; first += Block) body(first, Math.Min(Block, N - first));
            return;
        }
        try
        {
            Parallel.For(0, _blocks, _parallel, b =>
            {
                int first = b * Block;
                body(first, Math.Min(Block, N - first));
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count >= 1)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
    }

    /// <summary>The result: final particles, m_α and f(m_α).</summary>
    public ConsensusResult Result(int steps)
    {
        var value = new double[1];
        _objective.Evaluate(Mean, value);
        return new ConsensusResult(D, X, Mean.ToArray(), value[0], steps);
    }

    /// <summary>f at every particle.</summary>
    public void Evaluate()
        => ForBlocks((first, count) =>
        {
            var xb = new double[D * count];
            for (int c = 0; c < count; c++)
                for (int i = 0; i < D; i++) xb[i * count + c] = X[(first + c) * D + i];
            var values = F.AsSpan(first, count);
            _objective.Evaluate(xb, values);
            for (int c = 0; c < count; c++) if (double.IsNaN(values[c])) values[c] = double.PositiveInfinity;
        });

    /// <summary>
    /// Weights wⱼ = e^{−α(fⱼ − min f)}/Σ and m_α into <see cref="Mean"/>; with <paramref name="covariance"/>, also returns
    /// C_α = Σⱼ wⱼ (xⱼ − m_α)(xⱼ − m_α)ᵀ (row-major d×d), else null.
    /// </summary>
    /// <exception cref="ArgumentException">f is +∞ or NaN at every particle.</exception>
    public double[]? Consensus(double alpha, bool covariance)
    {
        double min = double.PositiveInfinity;
        foreach (double v in F) min = Math.Min(min, v);
        if (!double.IsFinite(min))
            throw new ArgumentException($"the objective is {min} at every particle; it must be finite somewhere in the initial box.");
        double sum = 0;
        for (int p = 0; p < N; p++) sum += Weights[p] = Math.Exp(-alpha * (F[p] - min));
        for (int p = 0; p < N; p++) Weights[p] /= sum;
        if (covariance) return SmallDense.WeightedMoments(X, Weights, D, Mean);
        SmallDense.WeightedMean(X, Weights, D, Mean);
        return null;
    }
}
