using Drift.Generative.Models;
using Drift.Generative.Schedules;

namespace Drift.Generative.Steering;

/// <summary>
/// A geometric combination of diffusion models, the target family of Feynman–Kac correctors (Skreta et al. 2025):
/// q_t(x) ∝ Π_i p_{i,t}(x)^{β_i}, with p_{i,t} the noised marginals of model i at time t. Annealing is one model
/// with exponent β (p^β), a product of experts is two models with exponents (1, 1) (p₁·p₂), and classifier-free
/// guidance as a target is (p(x|c), p(x)) with exponents (w, 1 − w).
/// </summary>
/// <remarks>
/// Models are given as factories because a model instance serves one thread: a run with T worker threads creates
/// T instances of each. Every model must share the dimension and the schedule (same forward process).
/// </remarks>
public sealed class FeynmanKacTarget
{
    private readonly Func<IDiffusionModel>[] _models;
    private readonly double[] _exponents;

    /// <summary>The target Π_i p_i^{β_i}.</summary>
    /// <param name="models">One factory per model; each call returns a fresh instance.</param>
    /// <param name="exponents">The exponents β_i (finite, same count as the models).</param>
    /// <exception cref="ArgumentException">No models, counts differ, an exponent is not finite, or dimensions or schedules differ.</exception>
    public FeynmanKacTarget(IReadOnlyList<Func<IDiffusionModel>> models, IReadOnlyList<double> exponents)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(exponents);
        if (models.Count == 0) throw new ArgumentException("a Feynman–Kac target needs at least one model.", nameof(models));
        if (exponents.Count != models.Count)
            throw new ArgumentException($"{models.Count} models but {exponents.Count} exponents.", nameof(exponents));
        foreach (double b in exponents)
            if (!double.IsFinite(b)) throw new ArgumentException($"exponents must be finite, got {b}.", nameof(exponents));
        _models = models.ToArray();
        _exponents = exponents.ToArray();
        var first = Create();
        Dimension = first[0].Dimension;
        Schedule = first[0].Schedule;
        for (int i = 1; i < first.Length; i++)
        {
            if (first[i].Dimension != Dimension)
                throw new ArgumentException($"model {i} has dimension {first[i].Dimension}, model 0 {Dimension}.", nameof(models));
            if (first[i].Schedule.Name != Schedule.Name)
                throw new ArgumentException($"model {i} has schedule {first[i].Schedule.Name}, model 0 {Schedule.Name}.", nameof(models));
        }
    }

    /// <summary>Annealing: q ∝ p^β with β &gt; 0.</summary>
    /// <exception cref="ArgumentException">β is not positive and finite.</exception>
    public static FeynmanKacTarget Anneal(Func<IDiffusionModel> model, double beta)
    {
        if (!(beta > 0) || !double.IsFinite(beta)) throw new ArgumentException($"beta must be positive and finite, got {beta}.", nameof(beta));
        return new([model], [beta]);
    }

    /// <summary>Product of experts: q ∝ p₁·p₂.</summary>
    public static FeynmanKacTarget Product(Func<IDiffusionModel> first, Func<IDiffusionModel> second) => new([first, second], [1, 1]);

    /// <summary>
    /// Classifier-free guidance as a target: q ∝ p(x|c)^w · p(x)^{1−w}. The guided score w·s_c + (1 − w)·s_u is the
    /// score of <see cref="Guidance.ClassifierFreeGuidanceModel"/> with its guidance scale w − 1.
    /// </summary>
    /// <exception cref="ArgumentException">w is negative or not finite.</exception>
    public static FeynmanKacTarget ClassifierFree(Func<IDiffusionModel> conditional, Func<IDiffusionModel> unconditional, double weight)
    {
        if (!(weight >= 0) || !double.IsFinite(weight)) throw new ArgumentException($"the guidance weight w must be finite and ≥ 0, got {weight}.", nameof(weight));
        return new([conditional, unconditional], [weight, 1 - weight]);
    }

    /// <summary>The exponents β_i.</summary>
    public IReadOnlyList<double> Exponents => _exponents;

    /// <summary>Their sum B = Σ_i β_i.</summary>
    public double TotalExponent => _exponents.Sum();

    /// <summary>Data dimension d.</summary>
    public int Dimension { get; }

    /// <summary>The models' common schedule.</summary>
    public NoiseSchedule Schedule { get; }

    /// <summary>Fresh instances of every model (one set per worker thread).</summary>
    internal IDiffusionModel[] Create()
    {
        var m = new IDiffusionModel[_models.Length];
        for (int i = 0; i < m.Length; i++)
            m[i] = _models[i]() ?? throw new ArgumentException($"model factory {i} returned null.", "models");
        return m;
    }
}
