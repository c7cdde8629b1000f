using Drift.Generative.Samplers;
using Drift.Solve.Ode;

namespace Drift.Generative.Tests.Samplers;

internal static class SamplerCatalog
{
    public static DiffusionSampler Make(string name) => name switch
    {
        "em" => new EulerMaruyamaSampler(),
        "pc" => new PredictorCorrectorSampler(),
        "pc-em" => new PredictorCorrectorSampler(PredictorKind.EulerMaruyama),
        "ddpm" => DdimSampler.Ancestral,
        "ddim-eta0.5" => new DdimSampler(0.5),
        "sde-dpmpp-2m" => new DpmSolverPlusPlusMultistepSampler(2, stochastic: true),
        "edm-churn" => new EdmHeunSampler(churn: 10),
        _ => OdeSamplerOrderTests.Make(name),
    };
}
