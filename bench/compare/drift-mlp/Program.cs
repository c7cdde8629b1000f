// Drift side of the MLP training benchmark (see mlp_torch_bench.py, which writes the inputs first).
// For W in 128, 256, 512: MLP 18-W-W-W-2 SiLU, float32, batch 512, MSE, Adam(1e-3): the loss after 100
// steps (one thread, to compare with PyTorch's), training steps/s and inference samples/s (batch 10^4)
// at 1 and 2 threads. Prints one JSON line at the end.
// Run: dotnet run -c Release --project bench/compare/drift-mlp -- [--seconds 2] [--widths 128,256,512] [--shard-rows 64]
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Drift.Learning.Autodiff;
using Drift.Learning.Checkpoints;
using Drift.Learning.Data;
using Drift.Learning.Layers;
using Drift.Learning.Optimisers;
using Drift.Learning.Training;

double seconds = 2;
int[] widths = [128, 256, 512];
int[] shardRowsList = [64];
int[] threadsList = [1, 2];
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--seconds": seconds = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--widths": widths = [.. args[++i].Split(',').Select(int.Parse)]; break;
        case "--shard-rows": shardRowsList = [.. args[++i].Split(',').Select(int.Parse)]; break;
        case "--threads": threadsList = [.. args[++i].Split(',').Select(int.Parse)]; break;
        default: throw new ArgumentException($"unknown option {args[i]}");
    }
}
string outDir = Path.Combine(AppContext.BaseDirectory, "../../../../out");
if (!Directory.Exists(outDir)) outDir = Path.Combine(Directory.GetCurrentDirectory(), "bench/compare/out");
var summary = new List<Dictionary<string, object>>();

foreach (int w in widths)
{
    string path = Path.Combine(outDir, $"mlp_W{w}_init.safetensors");
    if (!File.Exists(path)) throw new FileNotFoundException($"{path} is missing: run /usr/bin/python3 bench/compare/mlp_torch_bench.py first (it writes the shared inputs).");
    var file = SafeTensorsFile.Read(path);
    double flops = 2.0 * 512 * (Macs(w) + Macs(w) + Macs(w) - 18 * w);

    // Loss after 100 steps (one thread).
    var (net, x, y) = Load(file, w);
    var batch = new Minibatch<float>(x, y, null, [.. Enumerable.Range(0, 512)]);
    double loss100;
    using (var trainer = NewTrainer(net, 1, shardRowsList[0]))
    {
        for (int k = 0; k < 100; k++) trainer.Step(batch);
        using (GradMode.NoGrad()) loss100 = Ops.Mse(net.Forward(x), y).ToScalar();
    }
    Console.WriteLine($"W={w}: loss after 100 steps {loss100:R}");

    foreach (int shardRows in shardRowsList)
        foreach (int threads in threadsList)
        {
            var (n2, x2, y2) = Load(file, w);
            var b2 = new Minibatch<float>(x2, y2, null, [.. Enumerable.Range(0, 512)]);
            using var trainer = NewTrainer(n2, threads, shardRows);
            for (int k = 0; k < 30; k++) trainer.Step(b2);
            long gcBefore = GC.CollectionCount(0);
            long allocBefore = GC.GetTotalAllocatedBytes(true);
            var sw = Stopwatch.StartNew();
            int steps = 0;
            while (sw.Elapsed.TotalSeconds < seconds) { trainer.Step(b2); steps++; }
            double elapsed = sw.Elapsed.TotalSeconds;
            double perStepBytes = (GC.GetTotalAllocatedBytes(true) - allocBefore) / (double)steps;
            double rate = steps / elapsed;
            Console.WriteLine($"W={w} threads={threads} shard-rows={shardRows}: {rate:F1} steps/s, {rate * flops / 1e9:F1} GFLOP/s, {perStepBytes / 1024:F1} KiB allocated per step, {GC.CollectionCount(0) - gcBefore} gen0 GCs");
            summary.Add(new() { ["width"] = w, ["threads"] = threads, ["shard_rows"] = shardRows, ["steps_per_s"] = rate, ["gflops"] = rate * flops / 1e9, ["loss_after_100"] = loss100 });
        }

    // Inference, batch 10^4.
    var xs = Tensor<float>.Wrap(new float[10000 * 18], 10000, 18);
    var rng = new System.Random(1);
    for (int i = 0; i < xs.Length; i++) xs.Span[i] = (float)(rng.NextDouble() * 2 - 1);
    var result = Tensor<float>.Wrap(new float[10000 * 2], 10000, 2);
    foreach (int threads in threadsList)
    {
        using var inference = new ParallelInference<float>(net.Forward, threads, shardRows: 250);
        for (int k = 0; k < 3; k++) inference.Run(xs, result);
        long allocBefore = GC.GetTotalAllocatedBytes(true);
        var sw = Stopwatch.StartNew();
        int calls = 0;
        while (sw.Elapsed.TotalSeconds < seconds / 2) { inference.Run(xs, result); calls++; }
        double rate = calls * 10000 / sw.Elapsed.TotalSeconds;
        double bytes = (GC.GetTotalAllocatedBytes(true) - allocBefore) / (double)calls;
        Console.WriteLine($"W={w} threads={threads}: inference {rate:F0} samples/s, {bytes:F0} bytes allocated per call");
        summary.Add(new() { ["width"] = w, ["threads"] = threads, ["inference_samples_per_s"] = rate });
    }
}
// The cost of handing out one job of 8 shards: the persistent pool against Parallel.For.
{
    using var pool = new WorkerPool(2);
    var work = new double[8];
    Action<int> body = s => work[s] += Math.Sqrt(s + work[s]);
    for (int k = 0; k < 1000; k++) pool.Run(8, body);
    var sw = Stopwatch.StartNew();
    for (int k = 0; k < 20000; k++) pool.Run(8, body);
    double poolUs = sw.Elapsed.TotalMicroseconds / 20000;
    var options = new ParallelOptions { MaxDegreeOfParallelism = 2 };
    for (int k = 0; k < 1000; k++) Parallel.For(0, 8, options, body);
    sw.Restart();
    for (int k = 0; k < 20000; k++) Parallel.For(0, 8, options, body);
    double parallelUs = sw.Elapsed.TotalMicroseconds / 20000;
    Console.WriteLine($"one job of 8 tiny items on 2 threads: WorkerPool {poolUs:F2} us, Parallel.For {parallelUs:F2} us");
    summary.Add(new() { ["pool_us"] = poolUs, ["parallel_for_us"] = parallelUs });
}
Console.WriteLine(JsonSerializer.Serialize(new { drift = summary }));

static double Macs(int w) => 18.0 * w + 2.0 * w * w + 2.0 * w;

static (Mlp<float>, Tensor<float>, Tensor<float>) Load(SafeTensorsFile file, int w)
{
    var net = new Mlp<float>([18, w, w, w, 2], Activation.Silu, new ParameterRandom(0));
    foreach (var (name, p) in net.NamedParameters()) file.CopyTo(name, p);
    return (net, file.Get<float>("X"), file.Get<float>("Y"));
}

static Trainer<float> NewTrainer(Mlp<float> net, int threads, int shardRows) =>
    new(new Adam<float>(net.Parameters(), 1e-3), (b, _) => Ops.Mse(net.Forward(b.Inputs), b.Targets!),
        new TrainerOptions { Threads = threads, ShardRows = shardRows });
