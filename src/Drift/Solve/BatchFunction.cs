namespace Drift.Solve;

/// <summary>
/// A function of (t, x) evaluated for a batch of <paramref name="paths"/> paths in the component-major
/// layout of <see cref="IDrift"/>: the delegate form of a drift or diffusion for quick work.
/// </summary>
public delegate void BatchFunction(double t, ReadOnlySpan<double> x, Span<double> output, int paths);
