namespace Drift.Solve;

/// <summary>
/// Writes the initial states of a batch of paths: <paramref name="x"/> holds d rows of
/// <paramref name="paths"/> values (component-major) for paths firstPath … firstPath + paths − 1.
/// Must depend only on the path indices, so that results do not depend on batching.
/// </summary>
public delegate void InitialStates(long firstPath, int paths, Span<double> x);
