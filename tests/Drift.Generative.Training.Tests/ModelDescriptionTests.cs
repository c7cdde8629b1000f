using Drift.Generative.Models;
using Drift.Generative.Schedules;
using Drift.Generative.Training;

namespace Drift.Generative.Training.Tests;

/// <summary>The objective alone read back from metadata (checkpoints and imported PyTorch weights share it).</summary>
public class ModelDescriptionTests
{
    public static TheoryData<string> Objectives() => ["dsm-vp-v-minsnr", "dsm-ve-score", "edm", "flow", "interpolant"];

    static DiffusionObjective Make(string name) => name switch
    {
        "dsm-vp-v-minsnr" => DiffusionObjective.ScoreMatching(new VpLinearSchedule(), Prediction.V, LossWeighting.MinSnr, 3),
        "dsm-ve-score" => DiffusionObjective.ScoreMatching(new VeSchedule(), Prediction.Score),
        "edm" => DiffusionObjective.Edm(0.7, -1.0, 1.4),
        "flow" => DiffusionObjective.FlowMatching(),
        _ => DiffusionObjective.Interpolant(new InterpolantSchedule(true, 0.5), Prediction.Noise),
    };

    [Theory]
    [MemberData(nameof(Objectives))]
    public void Every_objective_round_trips_through_its_metadata(string name)
    {
        var objective = Make(name);
        var back = ModelDescription.ObjectiveFromMetadata(ModelDescription.ToMetadata(objective, null, null), name);
        Assert.Equal(ModelDescription.Describe(objective), ModelDescription.Describe(back));
        Assert.Equal(objective.TimeLow, back.TimeLow);
    }

    [Fact]
    public void Optional_keys_default_and_missing_required_keys_are_named()
    {
        var minimal = new Dictionary<string, string> { ["drift.objective"] = "dsm", ["drift.schedule"] = "vp", ["drift.prediction"] = "eps" };
        var objective = ModelDescription.ObjectiveFromMetadata(minimal, "f");
        Assert.Equal(LossWeighting.Simple, objective.Weighting);
        Assert.Equal(5, objective.Gamma);
        minimal.Remove("drift.prediction");
        var e = Assert.Throws<InvalidDataException>(() => ModelDescription.ObjectiveFromMetadata(minimal, "f"));
        Assert.Contains("'drift.prediction'", e.Message, StringComparison.Ordinal);
    }
}
