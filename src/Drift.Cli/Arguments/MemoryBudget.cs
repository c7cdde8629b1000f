using System.Globalization;

namespace Drift.Cli.Arguments;

/// <summary>
/// Refuses, before any allocation, work whose arrays would not fit in memory: the estimate is compared with the memory
/// the runtime can use (<see cref="GCMemoryInfo.TotalAvailableMemoryBytes"/>, which honours container limits).
/// </summary>
internal static class MemoryBudget
{
    /// <summary>Fraction of the available memory one run may plan to hold.</summary>
    private const double Share = 0.8;

    /// <summary>Throws a <see cref="UsageException"/> naming both figures when <paramref name="bytes"/> exceeds the budget.</summary>
    /// <param name="bytes">Estimated bytes the arrays need.</param>
    /// <param name="what">What needs them, e.g. "the 20000 × 20000 cost matrix".</param>
    /// <param name="advice">What to change.</param>
    public static void Check(double bytes, string what, string advice)
    {
        double budget = Share * GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (bytes > budget)
            throw new UsageException($"{what} needs about {Format(bytes)} of memory, more than the {Format(budget)} available; {advice}.");
    }

    /// <summary>Bytes in binary units: "7.45 GiB".</summary>
    public static string Format(double bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
        int u = 0;
        while (bytes >= 1024 && u < units.Length - 1)
        {
            bytes /= 1024;
            u++;
        }
        return string.Create(CultureInfo.InvariantCulture, $"{bytes:0.##} {units[u]}");
    }
}
