namespace Drift.Generative.Samplers;

/// <summary>What <see cref="DenoisingMcmc.Sample"/> produced.</summary>
public sealed class DenoisingMcmcResult
{
    internal DenoisingMcmcResult(double[] samples, int dimension, int chains, int rounds, int setupEvaluations, int evaluationsPerOutput, double meanStartSigma)
    {
        Samples = samples;
        Dimension = dimension;
        Chains = chains;
        Rounds = rounds;
        SetupEvaluations = setupEvaluations;
        EvaluationsPerOutput = evaluationsPerOutput;
        MeanStartSigma = meanStartSigma;
    }

    /// <summary>Denoised samples, rounds·chains rows of d values (round r of chain c is row r·chains + c).</summary>
    public IReadOnlyList<double> Samples { get; }

    /// <summary>Data dimension d.</summary>
    public int Dimension { get; }

    /// <summary>Parallel chains.</summary>
    public int Chains { get; }

    /// <summary>Output rounds per chain.</summary>
    public int Rounds { get; }

    /// <summary>Model evaluations per chain before the first output: initial Heun run (2·InitSteps − 1) + BurnIn.</summary>
    public int SetupEvaluations { get; }

    /// <summary>Model evaluations per output after the setup: Skip + (2·DenoiseSteps − 1).</summary>
    public int EvaluationsPerOutput { get; }

    /// <summary>Model evaluations per output with the setup amortised over the rounds: EvaluationsPerOutput + SetupEvaluations/Rounds.</summary>
    public double AmortisedEvaluations => EvaluationsPerOutput + (double)SetupEvaluations / Rounds;

    /// <summary>Mean noise level the denoiser started from (the smallest σ of each round's chain states).</summary>
    public double MeanStartSigma { get; }
}
