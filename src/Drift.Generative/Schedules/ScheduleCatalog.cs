namespace Drift.Generative.Schedules;

/// <summary>The noise schedules by name, with their default parameters.</summary>
public static class ScheduleCatalog
{
    /// <summary>The names <see cref="Create"/> accepts: vp (β 0.1→20), vp-cosine, subvp, ve (σ 0.01→50), edm (σ = t, 0.002→80), rf (α = 1 − t, σ = t).</summary>
    public static IReadOnlyList<string> Names { get; } = ["vp", "vp-cosine", "subvp", "ve", "edm", "rf"];

    /// <summary>A schedule by name.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static NoiseSchedule Create(string name) => name switch
    {
        "vp" => new VpLinearSchedule(),
        "vp-cosine" => new VpCosineSchedule(),
        "subvp" => new SubVpSchedule(),
        "ve" => new VeSchedule(),
        "edm" => new EdmSchedule(),
        "rf" => new RectifiedFlowSchedule(),
        _ => throw new ArgumentException($"unknown schedule '{name}'; known: {string.Join(", ", Names)}.", nameof(name)),
    };
}
