// Drift side of bench/compare/unet_compare.py: (1) loads out/unet_W{W}_L{L}.safetensors written by the torch script
// (initial weights of Drift's `unet` diffusion network for 1×8×8 images and one fixed DSM batch), runs the same 20 Adam
// steps and prints the losses, which must equal torch's to float32 rounding; (2) measures DSM steps/s of
// DiffusionTrainer<float> (VP-linear, ε-prediction, simple weighting, 8×8 Gaussian blobs, batch B, Adam 1e-3, no EMA,
// no clipping) at 1 and 2 threads.
// Run: dotnet run -c Release --project bench/compare/drift-unet -- [--seconds 2] [--width 32] [--levels 2] [--heads 1] [--batch 128]
using System.Diagnostics;
using System.Globalization;
using Drift.Generative.Models;
using Drift.Generative.Schedules;
using Drift.Generative.Training;
using Drift.Learning.Autodiff;
using Drift.Learning.Checkpoints;
using Drift.Learning.Data;
using Drift.Learning.Optimisers;
using Drift.Learning.Training;
using Drift.Random;

double seconds = 2;
int width = 32, levels = 2, groups = 8, heads = 1, batchSize = 128;
for (int i = 0; i + 1 < args.Length; i += 2)
{
    int value = int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out int v) ? v : 0;
    switch (args[i])
    {
        case "--seconds": seconds = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--width": width = value; break;
        case "--levels": levels = value; break;
        case "--groups": groups = value; break;
        case "--heads": heads = value; break;
        case "--batch": batchSize = value; break;
        default: throw new ArgumentException($"unknown option {args[i]}");
    }
}
string outDir = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "out");
var spec = new NetworkSpec(NetworkKind.Unet, 64, width, levels) { Image = new ImageShape(1, 8, 8), Groups = groups, Heads = heads };
var file = SafeTensorsFile.Read(Path.Combine(outDir, $"unet_W{width}_L{levels}.safetensors"));
var net = new DiffusionNetwork<float>(spec, 0);
Checkpoint.LoadParameters(file.FilePath, net.NamedParameters());
var x = file.Get<float>("x");
var tau = file.Get<float>("tau");
var target = file.Get<float>("target");
int rows = x.Shape[0];
var inputs = new float[rows * 65];
for (int r = 0; r < rows; r++)
{
    for (int j = 0; j < 64; j++) inputs[65 * r + j] = x[r, j];
    inputs[65 * r + 64] = tau[r];
}
var fixedBatch = new Minibatch<float>(Tensor<float>.Wrap(inputs, rows, 65), target, null, [.. Enumerable.Range(0, rows)]);
using (var trainer = new Trainer<float>(new Adam<float>(net.Parameters(), 1e-3), (b, _) =>
{
    var f = net.Forward(Ops.Narrow(b.Inputs, 1, 0, 64), Ops.Reshape(Ops.Narrow(b.Inputs, 1, 64, 1), [b.Count]), default);
    return Ops.Mean(Ops.Square(Ops.Subtract(f, b.Targets!)));
}, new TrainerOptions { Threads = 1, ShardRows = rows }))
{
    var losses = new List<double>();
    for (int k = 0; k < 20; k++) losses.Add(trainer.Step(fixedBatch).Loss);
    Console.WriteLine($"W={width} L={levels} fixed-batch losses: " + string.Join(' ', losses.Select(v => v.ToString("G8", CultureInfo.InvariantCulture))));
}

// 8×8 Gaussian blobs, 2·exp(−|p − c|²/(2·1.2²)) − 1 with c uniform on [1.5, 5.5]², as the torch script draws them.
int count = 4096;
var u = new double[2 * count];
new PhiloxUniforms(1).FillStream(0, 0, u);
var images = new double[count * 64];
for (int r = 0; r < count; r++)
    for (int i = 0; i < 8; i++)
        for (int j = 0; j < 8; j++)
        {
            double di = i - (1.5 + 4 * u[2 * r]), dj = j - (1.5 + 4 * u[2 * r + 1]);
            images[r * 64 + i * 8 + j] = 2 * Math.Exp(-(di * di + dj * dj) / (2 * 1.2 * 1.2)) - 1;
        }
double best = 0;
foreach (int threads in new[] { 1, 2 })
{
    using var dsm = new DiffusionTrainer<float>(images, null, new DiffusionTrainingOptions
    {
        Objective = DiffusionObjective.ScoreMatching(new VpLinearSchedule(), Prediction.Noise),
        Network = spec, BatchSize = batchSize, EmaDecay = 0, ClipNorm = null, Threads = threads, ShardRows = Math.Max(16, batchSize / threads),
    });
    for (int k = 0; k < 5; k++) dsm.Step();
    int n = 0;
    var clock = Stopwatch.StartNew();
    while (clock.Elapsed.TotalSeconds < seconds)
    {
        dsm.Step();
        n++;
    }
    double rate = n / clock.Elapsed.TotalSeconds;
    best = Math.Max(best, rate);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"W={width} L={levels} threads={threads}: {rate:F2} DSM steps/s (batch {batchSize})"));
}
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"drift\": {{\"steps_per_s\": {best}}}}}"));
