namespace Drift.Generative.Grids;

/// <summary>How a <see cref="SamplingGrid"/> places its times between the start and the end.</summary>
public enum GridSpacing
{
    /// <summary>Uniform in t: t_i = T + (i/N)(ε − T).</summary>
    UniformTime,
    /// <summary>Uniform in λ = log(α/σ) (Lu et al. 2022, "logSNR").</summary>
    LogSnr,
    /// <summary>Uniform in √t (Lu et al. 2022, "time_quadratic"): t_i = (√T + (i/N)(√ε − √T))².</summary>
    TimeQuadratic,
    /// <summary>Karras et al. 2022: σ̃ = σ/α uniform in σ̃^{1/ρ}, σ̃_i = (σ̃_max^{1/ρ} + (i/N)(σ̃_min^{1/ρ} − σ̃_max^{1/ρ}))^ρ.</summary>
    Karras,
}
