using Drift.Transport.Exact;
using Drift.Transport.Sinkhorn;
using Drift.Transport.Wasserstein;

namespace Drift.Transport;

/// <summary>
/// One entry point for every transport method, for callers that choose the method at run time (such as a CLI):
/// <code>
/// var x = PointCloudReader.Read("x.npy");
/// var y = PointCloudReader.Read("y.csv");
/// var r = OptimalTransport.Solve(TransportMethod.SinkhornLog, x, y, GroundCost.SquaredEuclidean,
///     normalizeCost: true, TransportOptions.Default with { Epsilon = 1e-2 });
/// Console.WriteLine($"{r.Cost} {r.Status} {r.Iterations} {r.MarginalError}");
/// </code>
/// </summary>
public static class OptimalTransport
{
    /// <summary>Solves the transport problem between weights a (sources, rows of C) and b (targets, columns of C) with
    /// the chosen method. Balanced methods require Σa = Σb (relative 1e-9).</summary>
    /// <exception cref="ArgumentException">Invalid weights, sizes, options or method.</exception>
    public static TransportResult Solve(TransportMethod method, ReadOnlySpan<double> a, ReadOnlySpan<double> b, CostMatrix cost,
        TransportOptions? options = null) => method switch
        {
            TransportMethod.Sinkhorn => ScalingSinkhorn.Solve(a, b, cost, options),
            TransportMethod.SinkhornLog => LogSinkhorn.Solve(a, b, cost, options),
            TransportMethod.SinkhornStabilized => StabilizedSinkhorn.Solve(a, b, cost, options),
            TransportMethod.SinkhornEpsilonScaling => EpsilonScalingSinkhorn.Solve(a, b, cost, options),
            TransportMethod.SinkhornNewtonSparse => SinkhornNewtonSparse.Solve(a, b, cost, options),
            TransportMethod.Exact => NetworkSimplex.Solve(a, b, cost, options),
            TransportMethod.Assignment => LinearAssignment.Solve(a, b, cost, options),
            TransportMethod.Unbalanced => UnbalancedSinkhorn.Solve(a, b, cost, options),
            TransportMethod.OneDimensional => throw new ArgumentException(
                "OneDimensional needs the point coordinates; call the PointCloud overload or Wasserstein1D.Solve.", nameof(method)),
            _ => throw new ArgumentException($"Unknown transport method {method}.", nameof(method)),
        };

    /// <summary>Solves between two point clouds with their weights, building C from the ground cost (and dividing it by
    /// its maximum when <paramref name="normalizeCost"/> is set, so that ε is relative to the largest cost; the reported
    /// cost is then in normalised units too).</summary>
    /// <remarks><see cref="TransportMethod.OneDimensional"/> needs dimension 1 and uses |x − y|^p with p = 2 for the squared
    /// Euclidean cost and p = 1 otherwise, without building the cost matrix.</remarks>
    /// <exception cref="ArgumentException">Different dimensions, invalid weights or options.</exception>
    public static TransportResult Solve(TransportMethod method, PointCloud source, PointCloud target,
        GroundCost ground = GroundCost.SquaredEuclidean, bool normalizeCost = false, TransportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        if (method == TransportMethod.OneDimensional) return SolveOneDimensional(source, target, ground, normalizeCost);
        var cost = CostMatrix.FromPoints(source, target, ground);
        if (normalizeCost && cost.Max() > 0) cost = cost.NormalizeByMax();
        return Solve(method, source.Weights, target.Weights, cost, options);
    }

    private static TransportResult SolveOneDimensional(PointCloud source, PointCloud target, GroundCost ground, bool normalizeCost)
    {
        if (source.Dimension != 1 || target.Dimension != 1)
            throw new ArgumentException($"OneDimensional needs 1-D clouds; got dimensions {source.Dimension} and {target.Dimension}.", nameof(source));
        double p = ground == GroundCost.SquaredEuclidean ? 2 : 1;
        var x = source.Coordinates;
        var y = target.Coordinates;
        if (normalizeCost)
        {
            // max |xᵢ − yⱼ|^p = (max(max x − min y, max y − min x))^p; scaling the line by (1/max)^{1/p} divides costs by max.
            double span = Math.Max(x.Max() - y.Min(), y.Max() - x.Min());
            if (span > 0)
            {
                x = x.Select(v => v / span).ToArray();
                y = y.Select(v => v / span).ToArray();
            }
        }
        return Wasserstein1D.Solve(x, source.Weights, y, target.Weights, p);
    }

    /// <summary>Parses a method name, case-insensitively, accepting the enum names and the short aliases
    /// sinkhorn, log, stabilized, eps-scaling, sns, emd/exact, assignment/lap, unbalanced, 1d.</summary>
    /// <exception cref="ArgumentException">An unknown name (the message lists the valid ones).</exception>
    public static TransportMethod ParseMethod(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToUpperInvariant() switch
        {
            "SINKHORN" or "SCALING" => TransportMethod.Sinkhorn,
            "LOG" or "SINKHORNLOG" or "SINKHORN-LOG" => TransportMethod.SinkhornLog,
            "STABILIZED" or "STABILISED" or "SINKHORNSTABILIZED" => TransportMethod.SinkhornStabilized,
            "EPS-SCALING" or "EPSILON-SCALING" or "SINKHORNEPSILONSCALING" => TransportMethod.SinkhornEpsilonScaling,
            "SNS" or "SINKHORNNEWTONSPARSE" => TransportMethod.SinkhornNewtonSparse,
            "EMD" or "EXACT" or "NETWORK-SIMPLEX" => TransportMethod.Exact,
            "ASSIGNMENT" or "LAP" => TransportMethod.Assignment,
            "UNBALANCED" => TransportMethod.Unbalanced,
            "1D" or "ONEDIMENSIONAL" or "ONE-DIMENSIONAL" => TransportMethod.OneDimensional,
            _ => throw new ArgumentException(
                $"Unknown transport method '{name}'; expected sinkhorn, log, stabilized, eps-scaling, sns, exact, assignment, unbalanced or 1d.",
                nameof(name)),
        };
    }
}
