namespace Drift.Potentials;

/// <summary>
/// A function of positions evaluated for a batch of <paramref name="paths"/> paths: <paramref name="q"/>
/// holds n component-major rows; <paramref name="output"/> receives the rows the caller documents
/// (n rows for a gradient, one row for an energy or a Laplacian). The delegate form of a potential.
/// </summary>
public delegate void PositionBatchFunction(ReadOnlySpan<double> q, Span<double> output, int paths);
