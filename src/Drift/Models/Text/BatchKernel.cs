namespace Drift.Models.Text;

/// <summary>
/// A compiled batch function: reads d rows of <paramref name="paths"/> states starting at <paramref name="x"/>
/// and writes its output rows starting at <paramref name="y"/> (row k of path p at y[k·paths + p]).
/// </summary>
internal delegate void BatchKernel(double t, ref double x, ref double y, int paths);
