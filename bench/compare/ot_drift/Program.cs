// Drift side of bench/compare/ot_pot.py: reads x.npy, y.npy (n × 2), builds the squared-Euclidean cost divided by
// its maximum, runs one method and prints one JSON line per run: best wall time over the repeats, iterations, cost.
// Usage: ot_drift <x.npy> <y.npy> <method> <reg> <maxIter> <tol> <repeats> [threads]
using System.Diagnostics;
using System.Globalization;
using Drift.Transport;
using Drift.Transport.IO;

var inv = CultureInfo.InvariantCulture;
if (args.Length == 4 && args[0] == "batch")
{
    // ot_drift batch <B> <d> <repeats>: minibatch W2 coupling of two Gaussian batches (x1 shifted by 1).
    int batch = int.Parse(args[1], inv), dim = int.Parse(args[2], inv), reps = int.Parse(args[3], inv);
    var rng = new Random(1);
    var ba = new Drift.Transport.Exact.BatchAssignment(batch, dim);
    var perm = new int[batch];
    double bestBatch = double.PositiveInfinity, mean = 0;
    for (int r = 0; r <= reps; r++)
    {
        var x0 = new double[batch * dim];
        var x1 = new double[batch * dim];
        for (int k = 0; k < x0.Length; k++)
        {
            x0[k] = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            x1[k] = 1 + Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        }
        var sw = Stopwatch.StartNew();
        mean = ba.Match(x0, x1, perm);
        if (r > 0) bestBatch = Math.Min(bestBatch, sw.Elapsed.TotalSeconds);
    }
    Console.WriteLine(string.Create(inv, $"{{\"batch\": {batch}, \"dim\": {dim}, \"seconds\": {bestBatch:R}, \"mean_sq_dist\": {mean:R}}}"));
    return 0;
}
if (args.Length < 7)
{
    Console.Error.WriteLine("usage: ot_drift <x.npy> <y.npy> <method> <reg> <maxIter> <tol> <repeats> [threads]");
    return 2;
}
var x = PointCloudReader.Read(args[0]);
var y = PointCloudReader.Read(args[1]);
var method = Enum.Parse<TransportMethod>(args[2], ignoreCase: true);
double reg = double.Parse(args[3], inv);
int maxIter = int.Parse(args[4], inv);
double tol = double.Parse(args[5], inv);
int repeats = int.Parse(args[6], inv);
int threads = args.Length > 7 ? int.Parse(args[7], inv) : Environment.ProcessorCount;
var cost = CostMatrix.FromPoints(x, y).NormalizeByMax();
var options = TransportOptions.Default with
{
    Epsilon = reg, MaxIterations = maxIter, Tolerance = tol, Threads = threads,
};
// Warm-up (JIT, page faults) on the same inputs with a tiny budget; tiered compilation is off in the project file.
OptimalTransport.Solve(method, x.Weights, y.Weights, cost, options with { MaxIterations = 2, MaxPivots = 10 });
double best = double.PositiveInfinity;
TransportResult? result = null;
for (int r = 0; r < repeats; r++)
{
    var sw = Stopwatch.StartNew();
    result = OptimalTransport.Solve(method, x.Weights, y.Weights, cost, options);
    best = Math.Min(best, sw.Elapsed.TotalSeconds);
}
Console.WriteLine(string.Create(inv,
    $"{{\"method\": \"{method}\", \"n\": {x.Count}, \"reg\": {reg}, \"seconds\": {best:R}, \"iterations\": {result!.Iterations}, \"newton\": {result.NewtonSteps}, \"cg\": {result.ConjugateGradientIterations}, \"cost\": {result.Cost:R}, \"err\": {result.MarginalError:R}, \"status\": \"{result.Status}\"}}"));
return 0;
