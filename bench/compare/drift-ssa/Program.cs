// The Drift side of bench/compare/ssa.py: times an ensemble of a reaction network (best of several runs) and
// prints one JSON line with the wall time, the events fired and the mean count of every species at t1.
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
    _ => JumpMethod.Direct,
};
int repeats = int.Parse(args.Length > 4 ? args[4] : "3", CultureInfo.InvariantCulture);
int threads = int.Parse(args.Length > 5 ? args[5] : "0", CultureInfo.InvariantCulture);

var network = ReactionNetwork.Parse(File.ReadAllText(model));
var options = new JumpOptions { Runs = runs, Seed = 7, Threads = threads, TrackQuantiles = false, TrackHistograms = false };
double best = double.MaxValue;
JumpSolution? result = null;
for (int r = 0; r < repeats; r++)
{
    var clock = Stopwatch.StartNew();
    result = JumpSimulator.Simulate(network, method, t1, options);
    best = Math.Min(best, clock.Elapsed.TotalSeconds);
}
var means = network.Species.Select((s, i) => new { species = s, mean = result!.Statistics.Final(i).Mean, stderr = Finite(result.Statistics.Final(i).StandardError) });
Console.WriteLine(JsonSerializer.Serialize(new { seconds = best, events = result!.Events, means }));

// one run has no standard error (JSON has no infinity or NaN)
static double? Finite(double v) => double.IsFinite(v) ? v : null;
