// The Drift side of bench/compare/ssa.py and catalyst_networks.sh: times an ensemble of a reaction network (best of
// several runs) and prints one JSON line with the wall time, the process CPU time of that best run (all threads), the
// events fired and the mean count of every species at t1. Under load, CPU seconds per event measure the per-core cost
// better than wall time.
//   drift-ssa MODEL.rn [runs] [t1] [direct|sorting|nrm|rssa|rssa-cr|tau-leap] [repeats] [threads] [acceptance]
// With "acceptance" (rssa, rssa-cr) it also runs run 0 once more through the rejection simulator itself and adds its
// trials and acceptance rate (events / trials) to the JSON.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Drift.Jumps.Networks;
using Drift.Jumps.Simulation;

string model = args[0];
long runs = long.Parse(args.Length > 1 ? args[1] : "10000", CultureInfo.InvariantCulture);
double t1 = double.Parse(args.Length > 2 ? args[2] : "10", CultureInfo.InvariantCulture);
var method = (args.Length > 3 ? args[3] : "direct") switch
{
    "nrm" => JumpMethod.NextReaction,
    "sorting" => JumpMethod.SortingDirect,
    "tau-leap" => JumpMethod.TauLeap,
    "rssa" => JumpMethod.Rejection,
    "rssa-cr" => JumpMethod.RejectionComposition,
    _ => JumpMethod.Direct,
};
int repeats = int.Parse(args.Length > 4 ? args[4] : "3", CultureInfo.InvariantCulture);
int threads = int.Parse(args.Length > 5 ? args[5] : "0", CultureInfo.InvariantCulture);

var network = ReactionNetwork.Parse(File.ReadAllText(model));
var options = new JumpOptions { Runs = runs, Seed = 7, Threads = threads, TrackQuantiles = false, TrackHistograms = false };
double best = double.MaxValue, bestCpu = double.MaxValue;
JumpSolution? result = null;
var process = Process.GetCurrentProcess();
for (int r = 0; r < repeats; r++)
{
    process.Refresh();
    var cpu = process.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    result = JumpSimulator.Simulate(network, method, t1, options);
    double seconds = clock.Elapsed.TotalSeconds;
    process.Refresh();
    best = Math.Min(best, seconds);
    bestCpu = Math.Min(bestCpu, (process.TotalProcessorTime - cpu).TotalSeconds);
}
var means = network.Species.Select((s, i) => new { species = s, mean = result!.Statistics.Final(i).Mean, stderr = Finite(result.Statistics.Final(i).StandardError) });
long? trials = null;
if (args.Length > 6 && args[6] == "acceptance" && method is JumpMethod.Rejection or JumpMethod.RejectionComposition)
{
    var simulator = new RejectionSimulator(new PropensityTable(network), options.Seed, method == JumpMethod.RejectionComposition);
    double[] x = [.. network.InitialCounts.Select(c => (double)c)];
    simulator.Run(0, x, [t1], new double[network.SpeciesCount], options.MaxEventsPerRun);
    trials = simulator.Trials;
}
Console.WriteLine(JsonSerializer.Serialize(new { seconds = best, cpu_seconds = bestCpu, events = result!.Events, trials, means }));

// one run has no standard error (JSON has no infinity or NaN)
static double? Finite(double v) => double.IsFinite(v) ? v : null;
