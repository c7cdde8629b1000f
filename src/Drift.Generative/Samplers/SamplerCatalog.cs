using Drift.Solve.Adaptive;
using Drift.Solve.Ode;

namespace Drift.Generative.Samplers;

/// <summary>The samplers by the names the CLI and the comparison tools use: a name becomes a type once, here.</summary>
public static class SamplerCatalog
{
    /// <summary>
    /// Every name <see cref="Create"/> accepts: ddim, ddpm, dpm-solver-1/2/3, dpmpp-2s, dpmpp-2m, dpmpp-3m,
    /// sde-dpmpp-2m, unipc, heun, edm-churn (S_churn = 10), euler-maruyama, pc, pc-lml (the Levenberg–Marquardt–Langevin
    /// corrector, λ = 1), ode-rk4, ode-tsit5, ode-dopri5.
    /// </summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "ddim", "ddpm", "dpm-solver-1", "dpm-solver-2", "dpm-solver-3", "dpmpp-2s", "dpmpp-2m", "dpmpp-3m", "sde-dpmpp-2m",
        "unipc", "heun", "edm-churn", "euler-maruyama", "pc", "pc-lml", "ode-rk4", "ode-tsit5", "ode-dopri5",
    ];

    /// <summary>A new sampler by name; <paramref name="relativeTolerance"/> and <paramref name="absoluteTolerance"/> apply to the adaptive ode-tsit5 and ode-dopri5.</summary>
    /// <exception cref="ArgumentException">Unknown name (the message lists the known ones).</exception>
    public static DiffusionSampler Create(string name, double relativeTolerance = 1e-5, double absoluteTolerance = 1e-5) => name switch
    {
        "ddim" => new DdimSampler(),
        "ddpm" => DdimSampler.Ancestral,
        "dpm-solver-1" => new DpmSolverSampler(1),
        "dpm-solver-2" => new DpmSolverSampler(2),
        "dpm-solver-3" => new DpmSolverSampler(3),
        "dpmpp-2s" => new DpmSolverPlusPlus2SSampler(),
        "dpmpp-2m" => new DpmSolverPlusPlusMultistepSampler(2),
        "dpmpp-3m" => new DpmSolverPlusPlusMultistepSampler(3),
        "sde-dpmpp-2m" => new DpmSolverPlusPlusMultistepSampler(2, stochastic: true),
        "unipc" => new UniPcSampler(2),
        "heun" => new EdmHeunSampler(),
        "edm-churn" => new EdmHeunSampler(churn: 10),
        "euler-maruyama" or "em" => new EulerMaruyamaSampler(),
        "pc" => new PredictorCorrectorSampler(),
        "pc-lml" => new PredictorCorrectorSampler(damping: 1),
        "ode-rk4" => new ProbabilityFlowSampler<RungeKutta4>(),
        "ode-tsit5" => new AdaptiveProbabilityFlowSampler<Tsitouras5>(relativeTolerance, absoluteTolerance),
        "ode-dopri5" => new AdaptiveProbabilityFlowSampler<DormandPrince5>(relativeTolerance, absoluteTolerance),
        _ => throw new ArgumentException($"unknown sampler '{name}'; known: {string.Join(", ", Names)}.", nameof(name)),
    };
}
