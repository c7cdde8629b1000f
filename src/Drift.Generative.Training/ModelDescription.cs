using System.Globalization;
using Drift.Generative.Models;
using Drift.Generative.Schedules;

namespace Drift.Generative.Training;

/// <summary>
/// The safetensors metadata that lets a checkpoint be loaded as a model with no other input: objective, schedule,
/// prediction, weighting and EDM constants, network kind and sizes, dtype (keys "drift.objective", "drift.schedule",
/// "drift.prediction", "drift.weighting", "drift.gamma", "drift.sigma_data", "drift.p_mean", "drift.p_std",
/// "drift.interpolant_noise", "drift.net", "drift.width", "drift.depth", "drift.dimension", "drift.classes", "drift.dtype"; for a U-Net
/// also "drift.image_shape" (CxHxW), "drift.groups", "drift.heads", "drift.attention").
/// </summary>
public static class ModelDescription
{
    static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>The CLI name of an objective kind: dsm, edm, flow, interpolant.</summary>
    public static string KindName(ObjectiveKind kind) => kind switch
    {
        ObjectiveKind.ScoreMatching => "dsm",
        ObjectiveKind.Edm => "edm",
        ObjectiveKind.FlowMatching => "flow",
        _ => "interpolant",
    };

    /// <summary>The CLI name of a network kind: mlp, resmlp, unet.</summary>
    public static string NetworkName(NetworkKind kind) => kind switch
    {
        NetworkKind.ResidualMlp => "resmlp",
        NetworkKind.Unet => "unet",
        _ => "mlp",
    };

    /// <summary>The CLI name of a prediction: eps, x0, v, score, velocity.</summary>
    public static string PredictionName(Prediction p) => p switch
    {
        Prediction.Noise => "eps",
        Prediction.Data => "x0",
        Prediction.V => "v",
        Prediction.Score => "score",
        _ => "velocity",
    };

    /// <summary>Parses <see cref="PredictionName"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static Prediction ParsePrediction(string name) => name switch
    {
        "eps" => Prediction.Noise,
        "x0" => Prediction.Data,
        "v" => Prediction.V,
        "score" => Prediction.Score,
        "velocity" => Prediction.Velocity,
        _ => throw new ArgumentException($"unknown prediction '{name}'; choose eps, x0, v, score or velocity.", nameof(name)),
    };

    /// <summary>The CLI name of a weighting: simple, snr, min-snr.</summary>
    public static string WeightingName(LossWeighting w) => w switch { LossWeighting.Snr => "snr", LossWeighting.MinSnr => "min-snr", _ => "simple" };

    /// <summary>Parses <see cref="WeightingName"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static LossWeighting ParseWeighting(string name) => name switch
    {
        "simple" => LossWeighting.Simple,
        "snr" => LossWeighting.Snr,
        "min-snr" => LossWeighting.MinSnr,
        _ => throw new ArgumentException($"unknown weighting '{name}'; choose simple, snr or min-snr.", nameof(name)),
    };

    /// <summary>A schedule by its name: the catalogue's (vp, vp-cosine, subvp, ve, edm, rf), mr, si-linear, si-trig (the last two with noise amplitude a).</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static NoiseSchedule CreateSchedule(string name, double interpolantNoise = 0) => name switch
    {
        "mr" => new MeanRevertingSchedule(),
        "si-linear" => new InterpolantSchedule(false, interpolantNoise),
        "si-trig" => new InterpolantSchedule(true, interpolantNoise),
        _ => ScheduleCatalog.Create(name),
    };

    /// <summary>A one-line description of an objective (used to check that a resumed run trains the same thing).</summary>
    public static string Describe(DiffusionObjective objective)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return string.Join(' ', ToMetadata(objective, null, null).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
    }

    /// <summary>The metadata of an objective and (when given) a network and dtype.</summary>
    public static IReadOnlyDictionary<string, string> ToMetadata(DiffusionObjective objective, NetworkSpec? network, string? dtype)
    {
        ArgumentNullException.ThrowIfNull(objective);
        var m = new Dictionary<string, string>
        {
            ["drift.objective"] = KindName(objective.Kind),
            ["drift.schedule"] = objective.Schedule.Name,
            ["drift.prediction"] = PredictionName(objective.Prediction),
            ["drift.weighting"] = WeightingName(objective.Weighting),
            ["drift.gamma"] = objective.Gamma.ToString("R", C),
            ["drift.sigma_data"] = objective.SigmaData.ToString("R", C),
            ["drift.p_mean"] = objective.PMean.ToString("R", C),
            ["drift.p_std"] = objective.PStd.ToString("R", C),
            ["drift.interpolant_noise"] = (objective.Schedule is InterpolantSchedule s ? s.NoiseAmplitude : 0).ToString("R", C),
        };
        if (network is not null)
        {
            m["drift.net"] = NetworkName(network.Kind);
            m["drift.width"] = network.Width.ToString(C);
            m["drift.depth"] = network.Depth.ToString(C);
            m["drift.dimension"] = network.Dimension.ToString(C);
            m["drift.classes"] = network.Classes.ToString(C);
            if (network.Kind == NetworkKind.Unet)
            {
                if (network.Image is not null) m[ImageShape.MetadataKey] = network.Image.ToString();
                m["drift.groups"] = network.Groups.ToString(C);
                m["drift.heads"] = network.Heads.ToString(C);
                m["drift.attention"] = network.Attention ? "true" : "false";
            }
        }
        if (dtype is not null) m["drift.dtype"] = dtype;
        return m;
    }

    /// <summary>Rebuilds the objective, the network shape and the dtype from metadata.</summary>
    /// <exception cref="InvalidDataException">A key is missing or malformed (the message names the file and key).</exception>
    public static (DiffusionObjective Objective, NetworkSpec Network, string DType) FromMetadata(IReadOnlyDictionary<string, string> metadata, string source)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        string Get(string key) => metadata.TryGetValue(key, out var v) ? v
            : throw new InvalidDataException($"{source}: metadata key '{key}' is missing; not a model written by drift diffuse train / DiffusionTrainer.");
        double Real(string key) => double.TryParse(Get(key), NumberStyles.Float, C, out double v) ? v
            : throw new InvalidDataException($"{source}: metadata '{key}' = '{Get(key)}' is not a number.");
        int Int(string key) => int.TryParse(Get(key), NumberStyles.Integer, C, out int v) ? v
            : throw new InvalidDataException($"{source}: metadata '{key}' = '{Get(key)}' is not an integer.");
        try
        {
            string kind = Get("drift.objective");
            var schedule = CreateSchedule(Get("drift.schedule"), Real("drift.interpolant_noise"));
            var prediction = ParsePrediction(Get("drift.prediction"));
            DiffusionObjective objective = kind switch
            {
                "dsm" => DiffusionObjective.ScoreMatching(schedule, prediction, ParseWeighting(Get("drift.weighting")), Real("drift.gamma") is > 0 and var g ? g : 5),
                "edm" => DiffusionObjective.Edm(Real("drift.sigma_data"), Real("drift.p_mean"), Real("drift.p_std")),
                "flow" => DiffusionObjective.FlowMatching(),
                "interpolant" => DiffusionObjective.Interpolant((InterpolantSchedule)schedule, prediction),
                _ => throw new InvalidDataException($"{source}: unknown objective '{kind}'."),
            };
            string net = Get("drift.net");
            var netKind = net switch
            {
                "mlp" => NetworkKind.Mlp,
                "resmlp" => NetworkKind.ResidualMlp,
                "unet" => NetworkKind.Unet,
                _ => throw new InvalidDataException($"{source}: unknown network '{net}'."),
            };
            var spec = new NetworkSpec(netKind, Int("drift.dimension"), Int("drift.width"), Int("drift.depth"), Int("drift.classes"));
            if (netKind == NetworkKind.Unet)
                spec = spec with
                {
                    Image = ImageShape.FromMetadata(metadata, source)
                        ?? throw new InvalidDataException($"{source}: metadata key '{ImageShape.MetadataKey}' is missing; a U-Net checkpoint needs its image shape."),
                    Groups = Int("drift.groups"),
                    Heads = Int("drift.heads"),
                    Attention = Get("drift.attention") == "true",
                };
            spec.Validate();
            return (objective, spec, Get("drift.dtype"));
        }
        catch (Exception e) when (e is ArgumentException or InvalidCastException)
        {
            throw new InvalidDataException($"{source}: the model description is invalid: {e.Message}", e);
        }
    }
}
