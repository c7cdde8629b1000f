namespace Drift.Solve.Adaptive;

/// <summary>Independently adapted trajectories of a batch of paths, one <see cref="OdeSolution"/> per path.</summary>
public sealed class OdeBatchSolution
{
    private readonly OdeSolution[] _paths;

    internal OdeBatchSolution(OdeSolution[] paths) => _paths = paths;

    /// <summary>Number of paths.</summary>
    public int Paths => _paths.Length;

    /// <summary>The solution of path p.</summary>
    public OdeSolution this[int path] => _paths[path];

    /// <summary>Whether every path reached t1.</summary>
    public bool AllSucceeded => Array.TrueForAll(_paths, s => s.Status == SolveStatus.Success);

    /// <summary>The first path (lowest index) that did not succeed, or −1.</summary>
    public int FirstFailedPath => Array.FindIndex(_paths, s => s.Status != SolveStatus.Success);

    /// <summary>Right-hand side evaluations summed over paths.</summary>
    public long FunctionEvaluations => _paths.Sum(s => s.Statistics.FunctionEvaluations);
}
