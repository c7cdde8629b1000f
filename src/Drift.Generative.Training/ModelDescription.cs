using System.Globalization;
using Drift.Generative.Models;
using Drift.Generative.Schedules;

namespace Drift.Generative.Training;

/// <summary>
/// The safetensors metadata that lets a checkpoint be loaded as a model with no other input: objective, schedule,
/// prediction, weighting and EDM constants, network kind and sizes, dtype (keys "drift.objective", "drift.schedule",
/// "drift.prediction", "drift.weighting", "drift.gamma", "drift.sigma_data", "drift.p_mean", "drift.p_std",
/// "drift.interpolant_noise", "drift.center" (mean-reverting objectives), "drift.net", "drift.width", "drift.depth", "drift.dimension", "drift.classes", "drift.dtype"; for a U-Net
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

    /// <summary>The CLI name of a weighting: simple, snr, min-snr, likelihood.</summary>
    public static string WeightingName(LossWeighting w) => w switch
    {
        LossWeighting.Snr => "snr",
        LossWeighting.MinSnr => "min-snr",
        LossWeighting.Likelihood => "likelihood",
        _ => "simple",
    };

    /// <summary>Parses <see cref="WeightingName"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static LossWeighting ParseWeighting(string name) => name switch
    {
        "simple" => LossWeighting.Simple,
        "snr" => LossWeighting.Snr,
        "min-snr" => LossWeighting.MinSnr,
        "likelihood" => LossWeighting.Likelihood,
        _ => throw new ArgumentException($"unknown weighting '{name}'; choose simple, snr, min-snr or likelihood.", nameof(name)),
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
        if (objective.Center is { } center) m["drift.center"] = string.Join(',', center.Select(v => v.ToString("R", C)));
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

    /// <summary>Parses a comma-separated vector of finite numbers (invariant culture) stored under metadata <paramref name="key"/>.</summary>
    /// <exception cref="InvalidDataException">A malformed or non-finite entry (naming the source, key and entry).</exception>
    public static double[] ParseVector(string text, string key, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(',');
        var v = new double[parts.Length];
        for (int j = 0; j < parts.Length; j++)
            if (!double.TryParse(parts[j], NumberStyles.Float, C, out v[j]) || !double.IsFinite(v[j]))
                throw new InvalidDataException($"{source}: metadata '{key}' entry {j} = '{parts[j]}' is not a finite number.");
        return v;
    }

    /// <summary>Rebuilds the objective, the network shape and the dtype from metadata.</summary>
    /// <exception cref="InvalidDataException">A key is missing or malformed (the message names the file and key).</exception>
    public static (DiffusionObjective Objective, NetworkSpec Network, string DType) FromMetadata(IReadOnlyDictionary<string, string> metadata, string source)
    {
        var objective = ObjectiveFromMetadata(metadata, source);
        var keys = new MetadataKeys(metadata, source);
        try
        {
            string net = keys.Get("drift.net");
            var netKind = net switch
            {
                "mlp" => NetworkKind.Mlp,
                "resmlp" => NetworkKind.ResidualMlp,
                "unet" => NetworkKind.Unet,
                _ => throw new InvalidDataException($"{source}: unknown network '{net}'."),
            };
            var spec = new NetworkSpec(netKind, keys.Int("drift.dimension"), keys.Int("drift.width"), keys.Int("drift.depth"), keys.Int("drift.classes"));
            if (netKind == NetworkKind.Unet)
                spec = spec with
                {
                    Image = ImageShape.FromMetadata(metadata, source)
                        ?? throw new InvalidDataException($"{source}: metadata key '{ImageShape.MetadataKey}' is missing; a U-Net checkpoint needs its image shape."),
                    Groups = keys.Int("drift.groups"),
                    Heads = keys.Int("drift.heads"),
                    Attention = keys.Get("drift.attention") == "true",
                };
            spec.Validate();
            return (objective, spec, keys.Get("drift.dtype"));
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: the model description is invalid: {e.Message}", e);
        }
    }

    /// <summary>
    /// Rebuilds the objective alone from the keys "drift.objective", "drift.schedule", "drift.prediction",
    /// "drift.weighting", "drift.gamma", "drift.sigma_data", "drift.p_mean", "drift.p_std", "drift.interpolant_noise"
    /// (those an objective of that kind reads), and the reversion centre "drift.center" when present. Used for checkpoints and for imported PyTorch weights.
    /// </summary>
    /// <exception cref="InvalidDataException">A key is missing or malformed (the message names the file and key).</exception>
    public static DiffusionObjective ObjectiveFromMetadata(IReadOnlyDictionary<string, string> metadata, string source)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var keys = new MetadataKeys(metadata, source);
        try
        {
            string kind = keys.Get("drift.objective");
            double noise = metadata.ContainsKey("drift.interpolant_noise") ? keys.Real("drift.interpolant_noise") : 0;
            var schedule = kind == "edm" ? null : CreateSchedule(keys.Get("drift.schedule"), noise);
            var objective = kind switch
            {
                "dsm" => DiffusionObjective.ScoreMatching(schedule!, ParsePrediction(keys.Get("drift.prediction")),
                    metadata.ContainsKey("drift.weighting") ? ParseWeighting(keys.Get("drift.weighting")) : LossWeighting.Simple,
                    metadata.ContainsKey("drift.gamma") && keys.Real("drift.gamma") is > 0 and var g ? g : 5),
                "edm" => DiffusionObjective.Edm(keys.Real("drift.sigma_data"), keys.Real("drift.p_mean"), keys.Real("drift.p_std")),
                "flow" => DiffusionObjective.FlowMatching(),
                "interpolant" => DiffusionObjective.Interpolant(schedule as InterpolantSchedule
                    ?? throw new InvalidDataException($"{source}: the interpolant objective needs an si-linear or si-trig schedule, not '{schedule!.Name}'."),
                    ParsePrediction(keys.Get("drift.prediction"))),
                _ => throw new InvalidDataException($"{source}: unknown objective '{kind}'."),
            };
            return metadata.TryGetValue("drift.center", out var centerText)
                ? objective.WithCenter(ParseVector(centerText, "drift.center", source))
                : objective;
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: the model description is invalid: {e.Message}", e);
        }
    }

    sealed class MetadataKeys(IReadOnlyDictionary<string, string> metadata, string source)
    {
        public string Get(string key) => metadata.TryGetValue(key, out var v) ? v
            : throw new InvalidDataException($"{source}: metadata key '{key}' is missing; not a model written by drift diffuse train / DiffusionTrainer.");
        public double Real(string key) => double.TryParse(Get(key), NumberStyles.Float, C, out double v) ? v
            : throw new InvalidDataException($"{source}: metadata '{key}' = '{Get(key)}' is not a number.");
        public int Int(string key) => int.TryParse(Get(key), NumberStyles.Integer, C, out int v) ? v
            : throw new InvalidDataException($"{source}: metadata '{key}' = '{Get(key)}' is not an integer.");
    }
}
