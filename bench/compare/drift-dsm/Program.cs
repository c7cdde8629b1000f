// Drift side of bench/compare/dsm_torch.py: (1) loads out/dsm_W{W}.safetensors written by the torch script (initial
// weights of Drift's `mlp` point network and one fixed DSM batch), runs the same 20 Adam steps and prints the losses,
// which must equal torch's to float32 rounding; (2) measures DSM steps/s of DiffusionTrainer<float> (VP-linear,
// ε-prediction, simple weighting, ring of 8 Gaussians, batch B, Adam 1e-3, no EMA, no clipping) at 1 and 2 threads.
// Run: dotnet run -c Release --project bench/compare/drift-dsm -- [--seconds 2] [--widths 128] [--batch 512]
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

double seconds = 2;
int[] widths = [128];
int batchSize = 512;
int profileSteps = 0;
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--seconds": seconds = double.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--widths": widths = [.. args[i + 1].Split(',').Select(int.Parse)]; break;
        case "--batch": batchSize = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--profile-steps": profileSteps = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        default: throw new ArgumentException($"unknown option {args[i]}");
    }
}
if (profileSteps > 0)
{
    // Profile mode (for `perf record` / callgrind): one thread, no torch files, the given number of DSM steps per width,
    // with the process CPU time and the allocated bytes per step printed (both load-independent).
    foreach (int w in widths)
    {
        var data = PointDatasets.Generate("ring8", 65536, 1);
        using var dsm = new DiffusionTrainer<float>(data.Points, null, new DiffusionTrainingOptions
        {
            Objective = DiffusionObjective.ScoreMatching(new VpLinearSchedule(), Prediction.Noise),
            Network = new NetworkSpec(NetworkKind.Mlp, 2, w, 3), BatchSize = batchSize, EmaDecay = 0, ClipNorm = null, Threads = 1, ShardRows = batchSize,
        });
        for (int k = 0; k < 50; k++) dsm.Step();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        long bytes = GC.GetAllocatedBytesForCurrentThread();
        double loss = 0;
        for (int k = 0; k < profileSteps; k++) loss = dsm.Step().Loss;
        double us = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds * 1000 / profileSteps;
        long perStep = (GC.GetAllocatedBytesForCurrentThread() - bytes) / profileSteps;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"W={w} profile: {us:F1} µs CPU per step, {perStep} B allocated per step, last loss {loss:G6}"));
    }
    return;
}
string outDir = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "out");
foreach (int w in widths)
{
    var spec = new NetworkSpec(NetworkKind.Mlp, 2, w, 3);
    var file = SafeTensorsFile.Read(Path.Combine(outDir, $"dsm_W{w}.safetensors"));
    var net = new DiffusionNetwork<float>(spec, 0);
    Checkpoint.LoadParameters(file.FilePath, net.NamedParameters());
    var x = file.Get<float>("x");
    var tau = file.Get<float>("tau");
    var target = file.Get<float>("target");
    int rows = x.Shape[0];
    var inputs = new float[rows * 4];
    for (int r = 0; r < rows; r++)
    {
        inputs[4 * r] = x[r, 0];
        inputs[4 * r + 1] = x[r, 1];
        inputs[4 * r + 2] = tau[r];
        inputs[4 * r + 3] = 1;
    }
    var fixedBatch = new Minibatch<float>(Tensor<float>.Wrap(inputs, rows, 4), target, null, [.. Enumerable.Range(0, rows)]);
    using (var trainer = new Trainer<float>(new Adam<float>(net.Parameters(), 1e-3), (b, _) =>
    {
        var f = net.Forward(Ops.Narrow(b.Inputs, 1, 0, 2), Ops.Reshape(Ops.Narrow(b.Inputs, 1, 2, 1), [b.Count]), default);
        return Ops.Mean(Ops.Square(Ops.Subtract(f, b.Targets!)));
    }, new TrainerOptions { Threads = 1 }))
    {
        var losses = new List<double>();
        for (int k = 0; k < 20; k++) losses.Add(trainer.Step(fixedBatch).Loss);
        Console.WriteLine($"W={w} fixed-batch losses: " + string.Join(' ', losses.Select(v => v.ToString("G8", CultureInfo.InvariantCulture))));
    }
    var data = PointDatasets.Generate("ring8", 65536, 1);
    double best = 0;
    foreach (int threads in new[] { 1, 2 })
    {
        using var dsm = new DiffusionTrainer<float>(data.Points, null, new DiffusionTrainingOptions
        {
            Objective = DiffusionObjective.ScoreMatching(new VpLinearSchedule(), Prediction.Noise),
            Network = spec, BatchSize = batchSize, EmaDecay = 0, ClipNorm = null, Threads = threads, ShardRows = Math.Max(64, batchSize / threads),
        });
        for (int k = 0; k < 20; k++) dsm.Step();
        int n = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            dsm.Step();
            n++;
        }
        double rate = n / clock.Elapsed.TotalSeconds;
        best = Math.Max(best, rate);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"W={w} threads={threads}: {rate:F1} DSM steps/s (batch {batchSize})"));
    }
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{{\"drift\": {{\"{w}\": {{\"steps_per_s\": {best}}}}}}}"));
}
