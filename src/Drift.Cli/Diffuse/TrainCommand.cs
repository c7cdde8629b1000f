using System.Diagnostics;
using System.Globalization;
using Drift.Cli.Arguments;
using Drift.Cli.Output;
using Drift.Generative.Models;
using Drift.Generative.Training;
using Drift.IO;
using Drift.Learning.Optimisers;

namespace Drift.Cli.Diffuse;

/// <summary>
/// <c>drift diffuse train</c>: trains a score / denoiser / velocity network on point data and writes a safetensors
/// checkpoint that <c>drift diffuse sample --model</c> samples. Progress goes to stderr; a NaN loss stops the run naming
/// the step and parameter and keeps the last good checkpoint; Ctrl-C writes a checkpoint atomically and exits 130.
/// </summary>
public static class TrainCommand
{
    /// <summary>Exit code after Ctrl-C (a checkpoint was written).</summary>
    public const int Interrupted = 130;

    /// <summary>The option model of <c>drift diffuse train</c>: parser, help text, docs, completion and provenance defaults.</summary>
    internal static CommandSpec Spec { get; } = new(["diffuse", "train"],
        """
        usage: drift diffuse train --data NAME|FILE --checkpoint FILE.safetensors [options]
               drift diffuse train --reflow-from FLOW.safetensors --objective flow --checkpoint FILE.safetensors [options]
        """,
        [
            OptionSpec.Text("data", "D", "two-moons, eight-gaussians, checkerboard, swiss-roll, pinwheel, an exact mixture\n"
                + "(gauss2d, ring8, skewed2d, mix16, mix64), or a CSV (x0,x1,…) / .npy point file\n"
                + "or digits: the 8×8 handwritten digits (UCI, 1497-image training split, pixels scaled\n"
                + "to [−1, 1], labels 0–9, image shape 1×8×8; digits-heldout, digits-all: the other splits)"),
            OptionSpec.Integer("n", "points drawn for a built-in data set (the digits have their own count)", "20000"),
            OptionSpec.Choice("objective", "", "dsm", "dsm", "edm", "flow", "interpolant") with { Value = "O" },
            OptionSpec.Choice("schedule", "dsm", "vp", "vp", "vp-cosine", "subvp", "ve", "edm", "rf", "mr") with { Value = "S" },
            OptionSpec.Text("prediction", "P", "dsm: eps (default), x0, v, score, velocity; interpolant: velocity (default) or eps"),
            OptionSpec.Choice("weighting", "dsm (likelihood: g²/σ² on ε)", "simple", "simple", "snr", "min-snr", "likelihood") with { Value = "W" },
            OptionSpec.Real("min-snr-gamma", "G", "γ of --weighting min-snr", "5"),
            OptionSpec.Choice("time-sampling", "importance: t ~ density ∝ the loss weight, reweighted: same expected loss", "uniform", "uniform", "importance") with { Value = "T" },
            OptionSpec.Choice("interpolant", "", "linear", "linear", "trig") with { Value = "I" },
            OptionSpec.Real("interpolant-noise", "A", "noise of the interpolant, in [0, 1]", "0"),
            OptionSpec.Real("sigma-data", "S", "EDM σ_data", "the data's RMS standard deviation"),
            OptionSpec.Choice("coupling", "sb: entropic, --sb-epsilon; with --objective flow\n"
                + "the SB-CFM path adds Brownian-bridge noise σ√(t(1−t))z, σ² = ε/2", "independent", "independent", "ot", "sb", "immiscible") with { Value = "C" },
            OptionSpec.Real("sb-epsilon", "E", "ε of --coupling sb", "0.05"),
            OptionSpec.File("reflow-from", "FILE", "reflow: train on (noise, sample) pairs of a trained flow's ODE (--n pairs) instead of --data"),
            OptionSpec.Integer("reflow-steps", "RK4 steps of --reflow-from", "20"),
            OptionSpec.Choice("net", "", "mlp", "mlp", "resmlp", "unet") with { Value = "N" },
            OptionSpec.Integer("width", "width of mlp/resmlp", "128", "W"),
            OptionSpec.Integer("depth", "depth of mlp/resmlp", "3", "K"),
            OptionSpec.Integer("unet-width", "unet: channels of the first level (doubled at each lower level)", "32", "W"),
            OptionSpec.Integer("unet-levels", "unet: resolutions (H and W must divide by 2^(L−1))", "2", "L"),
            OptionSpec.Integer("unet-groups", "unet: GroupNorm groups (must divide --unet-width)", "8", "G"),
            OptionSpec.Integer("unet-heads", "unet: self-attention heads at the lowest resolution (0: no attention)", "1", "H"),
            OptionSpec.Text("image", "CxHxW", "the image shape of the rows of a data file (e.g. 1x8x8), for --net unet"),
            OptionSpec.Flag("conditional", "train on the data set's labels"),
            OptionSpec.Real("label-dropout", "P", "label dropout of --conditional", "0.1"),
            OptionSpec.Integer("steps", "optimiser steps", "2000"),
            OptionSpec.Integer("batch", "batch size", "256", "B"),
            OptionSpec.Real("lr", "R", "Adam learning rate", "1e-3"),
            OptionSpec.Real("ema", "D", "EMA decay of the sampled weights (0: none)", "0.999"),
            OptionSpec.Integer("seed", "seed of weights, data order, noise and times", "0", "S"),
            OptionSpec.Integer("threads", "worker threads (results do not depend on it)", value: "T"),
            OptionSpec.Choice("precision", "", "float32", "float32", "float64") with { Value = "P" },
            OptionSpec.File("checkpoint", "FILE", "where the training state is written (atomically, every --save-every steps and at the end)"),
            OptionSpec.Integer("save-every", "steps between checkpoints", "500"),
            OptionSpec.Flag("resume", "continue from --checkpoint (same data and options), bit-identically"),
            OptionSpec.Flag("no-progress", "no progress line on stderr"),
            OptionSpec.File("plot", "FILE.png", "loss curve of this run"),
        ])
    {
        Summary = "train a score / denoiser / velocity network (then: drift diffuse sample --model FILE)",
        Notes = """
            exit codes: 0 ok, 1 failure (NaN loss: the last good checkpoint is kept), 2 bad input, 130 interrupted (checkpoint written)
            """,
    };

    /// <summary>Runs the command (<paramref name="args"/> start after <c>train</c>).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var a = Spec.Parse(args);
        if (a.Flag("help"))
        {
            stdout.Write(Spec.Help());
            return CliApp.Ok;
        }
        if (a.Positional.Count != 0) throw new UsageException($"unexpected argument '{a.Positional[0]}'; try 'drift diffuse train --help'.");
        string? reflowFrom = a.String("reflow-from");
        int reflowSteps = (int)(a.Integer("reflow-steps", 1, 100_000) ?? 20);
        string timeSamplingName = a.String("time-sampling") ?? "uniform";
        string dataName = a.String("data") ?? reflowFrom ?? throw new UsageException("diffuse train needs --data NAME|FILE (or --reflow-from FILE).");
        if (reflowFrom is not null && a.String("data") is not null) throw new UsageException("--reflow-from generates the data; drop --data.");
        string checkpoint = a.String("checkpoint") ?? throw new UsageException("diffuse train needs --checkpoint FILE.safetensors.");
        int count = (int)(a.Integer("n", 2, 100_000_000) ?? 20000);
        string objectiveName = a.String("objective") ?? "dsm";
        string? scheduleName = a.String("schedule");
        string? predictionName = a.String("prediction");
        string weightingName = a.String("weighting") ?? "simple";
        double gamma = a.Real("min-snr-gamma") ?? 5;
        string interpolantName = a.String("interpolant") ?? "linear";
        double interpolantNoise = a.Real("interpolant-noise") ?? 0;
        double? sigmaData = a.Real("sigma-data");
        string couplingName = a.String("coupling") ?? "independent";
        double sbEpsilon = a.Real("sb-epsilon") ?? 0.05;
        string netName = a.String("net") ?? "mlp";
        int width = (int)(a.Integer("width", 2, 65536) ?? 128);
        int depth = (int)(a.Integer("depth", 1, 256) ?? 3);
        int unetWidth = (int)(a.Integer("unet-width", 2, 4096) ?? 32);
        int unetLevels = (int)(a.Integer("unet-levels", 1, 8) ?? 2);
        int unetGroups = (int)(a.Integer("unet-groups", 1, 4096) ?? 8);
        int unetHeads = (int)(a.Integer("unet-heads", 0, 4096) ?? 1);
        string? imageText = a.String("image");
        bool conditional = a.Flag("conditional");
        double labelDropout = a.Real("label-dropout") ?? 0.1;
        int steps = (int)(a.Integer("steps", 1, int.MaxValue) ?? 2000);
        int batch = (int)(a.Integer("batch", 1, 1 << 20) ?? 256);
        double lr = a.Real("lr") ?? 1e-3;
        double ema = a.Real("ema") ?? 0.999;
        ulong seed = a.Seed() ?? 0;
        int threads = (int)(a.Integer("threads", 1, 1024) ?? Environment.ProcessorCount);
        string precision = a.String("precision") ?? "float32";
        int saveEvery = (int)(a.Integer("save-every", 1, int.MaxValue) ?? 500);
        bool resume = a.Flag("resume");
        bool progress = !a.Flag("no-progress");
        string? plotFile = a.String("plot");
        a.RejectUnknown();

        OutputPaths.Check(checkpoint, plotFile);
        if (plotFile is not null && !plotFile.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            throw new UsageException($"--plot writes PNG; give a file ending in .png, got '{plotFile}'.");
        if (resume && !File.Exists(checkpoint)) throw new UsageException($"--resume: checkpoint '{checkpoint}' does not exist.");
        if (precision is not ("float32" or "float64")) throw new UsageException($"--precision must be float32 or float64, got '{precision}'.");

        var coupling = couplingName switch
        {
            "independent" => Coupling.Independent,
            "ot" => Coupling.ExactOt,
            "sb" => Coupling.Entropic,
            "immiscible" => Coupling.Immiscible,
            _ => throw new UsageException($"unknown coupling '{couplingName}'; choose independent, ot, sb or immiscible."),
        };
        var netKind = netName switch
        {
            "mlp" => NetworkKind.Mlp,
            "resmlp" => NetworkKind.ResidualMlp,
            "unet" => NetworkKind.Unet,
            _ => throw new UsageException($"unknown network '{netName}'; choose mlp, resmlp or unet."),
        };
        PointData data;
        double[]? paired = null;
        var timeSampling = timeSamplingName switch
        {
            "uniform" => TimeSampling.Uniform,
            "importance" => TimeSampling.Importance,
            _ => throw new UsageException($"unknown --time-sampling '{timeSamplingName}'; choose uniform or importance."),
        };
        try
        {
            if (reflowFrom is not null) (data, paired) = ReflowSource.Load(reflowFrom, count, reflowSteps, seed);
            else data = PointDatasets.Load(dataName, count, seed);
        }
        catch (FileNotFoundException)
        {
            throw new UsageException($"--data '{dataName}' is neither a built-in data set ({string.Join(", ", PointDatasets.Names.Concat(Digits.Names))}) nor an existing file.");
        }
        data = WithImageShape(data, imageText, netKind);
        if (conditional && data.Classes == 0) throw new UsageException($"--conditional: data set '{dataName}' has no labels.");
        var objective = BuildObjective(objectiveName, scheduleName, predictionName, weightingName, gamma, interpolantName, interpolantNoise,
            sigmaData ?? data.StandardDeviation());
        if (batch > data.Count) throw new UsageException($"--batch {batch} exceeds the {data.Count} data rows.");
        if (timeSampling == TimeSampling.Importance && objective.Kind == ObjectiveKind.Edm)
            throw new UsageException("--time-sampling importance applies to uniform-time objectives (dsm, flow, interpolant), not edm.");

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var options = new DiffusionTrainingOptions
        {
            Objective = objective,
            Network = netKind == NetworkKind.Unet
                ? new NetworkSpec(netKind, data.Dimension, unetWidth, unetLevels, conditional ? data.Classes : 0)
                {
                    Image = data.Image, Groups = unetGroups, Heads = Math.Max(1, unetHeads), Attention = unetHeads > 0,
                }
                : new NetworkSpec(netKind, data.Dimension, width, depth, conditional ? data.Classes : 0),
            Coupling = coupling,
            EntropicEpsilon = sbEpsilon,
            PairedNoise = paired,
            TimeSampling = timeSampling,
            BatchSize = batch,
            LearningRate = lr,
            EmaDecay = ema,
            LabelDropout = labelDropout,
            Seed = seed,
            Threads = threads,
            CancellationToken = cts.Token,
        };
        try
        {
            options.Network.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"--net {netName}: {e.Message}");
        }
        return precision == "float64"
            ? Train<double>(data, options, steps, saveEvery, checkpoint, resume, progress, plotFile, cts, stdout, stderr)
            : Train<float>(data, options, steps, saveEvery, checkpoint, resume, progress, plotFile, cts, stdout, stderr);
    }

    /// <summary>The data with the image shape of --image (checked against the row length); a U-Net needs one.</summary>
    private static PointData WithImageShape(PointData data, string? imageText, NetworkKind kind)
    {
        if (imageText is not null)
        {
            ImageShape image;
            try
            {
                image = ImageShape.Parse(imageText);
            }
            catch (FormatException e)
            {
                throw new UsageException($"--image: {e.Message}");
            }
            if (image.Size != data.Dimension)
                throw new UsageException($"--image {image} has {image.Size} values per image, but the rows of '{data.Name}' have {data.Dimension}.");
            data = data with { Image = image };
        }
        if (kind == NetworkKind.Unet && data.Image is null)
            throw new UsageException($"--net unet needs image data: '{data.Name}' has no image shape; give --image CxHxW for a file of flattened images.");
        return data;
    }

    private static DiffusionObjective BuildObjective(string kind, string? schedule, string? prediction, string weighting, double gamma,
        string interpolant, double interpolantNoise, double sigmaData)
    {
        if (kind != "dsm" && schedule is not null) throw new UsageException($"--schedule applies to --objective dsm only (edm, flow and interpolant fix their own).");
        try
        {
            return kind switch
            {
                "dsm" => DiffusionObjective.ScoreMatching(ModelDescription.CreateSchedule(schedule ?? "vp"),
                    ModelDescription.ParsePrediction(prediction ?? "eps"), ModelDescription.ParseWeighting(weighting), gamma),
                "edm" => DiffusionObjective.Edm(sigmaData),
                "flow" => DiffusionObjective.FlowMatching(),
                "interpolant" => DiffusionObjective.Interpolant(new InterpolantSchedule(interpolant switch
                {
                    "linear" => false,
                    "trig" => true,
                    _ => throw new UsageException($"unknown interpolant '{interpolant}'; choose linear or trig."),
                }, interpolantNoise), ModelDescription.ParsePrediction(prediction ?? "velocity")),
                _ => throw new UsageException($"unknown objective '{kind}'; choose dsm, edm, flow or interpolant."),
            };
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }

    private static int Train<T>(PointData data, DiffusionTrainingOptions options, int steps, int saveEvery, string checkpoint, bool resume,
        bool progress, string? plotFile, CancellationTokenSource cts, TextWriter stdout, TextWriter stderr)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        using var trainer = new DiffusionTrainer<T>(data.Points, data.Labels, options);
        var meta = new Dictionary<string, string> { ["drift.data"] = data.Name };
        if (data.Image is not null) meta[ImageShape.MetadataKey] = data.Image.ToString();
        if (resume) trainer.LoadCheckpoint(checkpoint);
        long start = trainer.StepCount, lastSaved = start;
        if (start >= steps)
        {
            stderr.WriteLine($"drift: the checkpoint is already at step {start} ≥ --steps {steps}; nothing to do.");
            return CliApp.Ok;
        }
        void OnCancel(object? sender, ConsoleCancelEventArgs e)
        {
            e.Cancel = true;
            cts.Cancel();
        }
        Console.CancelKeyPress += OnCancel;
        var stepsDone = new List<double>();
        var losses = new List<double>();
        var emaLosses = new List<double>();
        double emaLoss = double.NaN;
        var clock = Stopwatch.StartNew();
        var lastReport = TimeSpan.Zero;
        var c = CultureInfo.InvariantCulture;
        try
        {
            while (trainer.StepCount < steps)
            {
                var s = trainer.Step();
                emaLoss = double.IsNaN(emaLoss) ? s.Loss : 0.98 * emaLoss + 0.02 * s.Loss;
                stepsDone.Add(s.Step);
                losses.Add(s.Loss);
                emaLosses.Add(emaLoss);
                if (s.Step % saveEvery == 0 && s.Step < steps)
                {
                    trainer.SaveCheckpoint(checkpoint, meta);
                    lastSaved = s.Step;
                }
                if (progress && (clock.Elapsed - lastReport > TimeSpan.FromMilliseconds(250) || s.Step == steps))
                {
                    lastReport = clock.Elapsed;
                    double rate = (s.Step - start) / Math.Max(1e-9, clock.Elapsed.TotalSeconds);
                    var eta = TimeSpan.FromSeconds((steps - s.Step) / Math.Max(rate, 1e-9));
                    int width = 24, filled = (int)(width * s.Step / steps);
                    stderr.Write(string.Create(c, $"\r[{new string('#', filled)}{new string('.', width - filled)}] step {s.Step}/{steps}  loss {s.Loss:F5}  ema {emaLoss:F5}  {rate:F1} steps/s  ETA {eta:hh\\:mm\\:ss}   "));
                }
            }
            if (progress) stderr.WriteLine();
            trainer.SaveCheckpoint(checkpoint, meta);
        }
        catch (OperationCanceledException)
        {
            if (progress) stderr.WriteLine();
            trainer.SaveCheckpoint(checkpoint, meta);
            stderr.WriteLine($"drift: interrupted at step {trainer.StepCount}; checkpoint written to {checkpoint} (continue with --resume).");
            WritePlot(plotFile, stepsDone, losses, emaLosses);
            return Interrupted;
        }
        catch (NonFiniteGradientException e)
        {
            if (progress) stderr.WriteLine();
            string kept = lastSaved > 0 && File.Exists(checkpoint) ? $"the last good checkpoint (step {lastSaved}) is kept in {checkpoint}" : "no checkpoint was written";
            stderr.WriteLine($"drift: training stopped at step {e.Step}: non-finite value in '{e.ParameterName}' ({e.Message}); {kept}. Try a smaller --lr.");
            WritePlot(plotFile, stepsDone, losses, emaLosses);
            return CliApp.Failed;
        }
        finally
        {
            Console.CancelKeyPress -= OnCancel;
        }
        WritePlot(plotFile, stepsDone, losses, emaLosses);
        double seconds = clock.Elapsed.TotalSeconds;
        stdout.WriteLine(string.Create(c, $"data            {data.Name} ({data.Count} points, {data.Dimension}-D{(options.Network.Classes > 0 ? $", {options.Network.Classes} classes" : "")})"));
        stdout.WriteLine(string.Create(c, $"objective       {ModelDescription.KindName(options.Objective.Kind)} on {options.Objective.Schedule.Name}, {ModelDescription.PredictionName(options.Objective.Prediction)}-prediction, {ModelDescription.WeightingName(options.Objective.Weighting)} weighting, coupling {options.Coupling}"));
        stdout.WriteLine(string.Create(c, $"network         {ModelDescription.NetworkName(options.Network.Kind)} width {options.Network.Width} depth {options.Network.Depth}, {trainer.Network.ParameterCount} parameters, {(typeof(T) == typeof(float) ? "float32" : "float64")}"));
        stdout.WriteLine(string.Create(c, $"steps           {start + 1}..{trainer.StepCount} (batch {options.BatchSize}) in {seconds:F2} s, {(trainer.StepCount - start) / Math.Max(seconds, 1e-9):F1} steps/s"));
        stdout.WriteLine(string.Create(c, $"loss            last {losses[^1]:G6}, smoothed {emaLoss:G6}"));
        stdout.WriteLine($"checkpoint      {checkpoint}");
        return CliApp.Ok;
    }

    private static void WritePlot(string? file, List<double> steps, List<double> losses, List<double> smoothed)
    {
        if (file is null || steps.Count == 0) return;
        OutputFile.WriteBinary(file, stream => PlotReport.WriteLoss(stream, "training loss", [.. steps], [.. losses], [.. smoothed]));
    }
}
