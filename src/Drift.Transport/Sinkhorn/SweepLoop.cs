using System.Globalization;
using Drift.Solve;

namespace Drift.Transport.Sinkhorn;

/// <summary>The outer loop shared by the Sinkhorn variants: sweep until the marginal error meets the tolerance,
/// the budget runs out, a sweep fails, or the caller cancels.</summary>
internal static class SweepLoop
{
    /// <summary>Runs at most <paramref name="maxIterations"/> sweeps; <paramref name="iterations"/> counts them.</summary>
    public static (SolveStatus Status, string Message) Run(Func<double> sweep, int maxIterations, double tolerance,
        CancellationToken cancellation, ref int iterations, string stage = "")
    {
        double err = double.NaN;
        for (int k = 0; k < maxIterations; k++)
        {
            if (cancellation.IsCancellationRequested)
                return (SolveStatus.Cancelled, Format($"cancelled after {iterations} iterations{stage}, marginal error {err:G3}"));
            err = sweep();
            iterations++;
            if (double.IsNaN(err))
            {
                return (SolveStatus.NonFinite,
                    Format($"a potential or scaling became NaN, infinite or zero at iteration {iterations}{stage} (ε too small for this variant?)"));
            }
            if (err <= tolerance)
                return (SolveStatus.Success, Format($"converged in {iterations} iterations{stage}, marginal error {err:G3}"));
        }
        return (SolveStatus.MaxSteps,
            Format($"no convergence in {iterations} iterations{stage}: marginal error {err:G3} > tolerance {tolerance:G3}"));
    }

    private static string Format(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
