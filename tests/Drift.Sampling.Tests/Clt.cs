using Drift.Sampling;
using Drift.Sampling.Diagnostics;

namespace Drift.Sampling.Tests;

/// <summary>CLT checks: |estimate − truth| / MCSE, with the MCSE from the chains' own ESS.</summary>
internal static class Clt
{
    public const double Bound = 4;

    /// <summary>Below this ESS an MCSE is itself too noisy for a 4-MCSE bound to mean much; such a check fails.</summary>
    public const double MinimumEss = 150;

    /// <summary>(estimate − truth)/MCSE of E f over all chains.</summary>
    public static double Z(double[][] chains, double truth)
    {
        double mean = chains.SelectMany(c => c).Average();
        return (mean - truth) / Convergence.McseMean(chains);
    }

    /// <summary>Asserts |Z| &lt; 4 for E f, with a readable message.</summary>
    public static void Check(string what, double[][] chains, double truth, ITestOutputHelper? output = null)
    {
        double z = Z(chains, truth);
        double mean = chains.SelectMany(c => c).Average();
        output?.WriteLine($"{what}: estimate {mean:G6}, truth {truth:G6}, z = {z:F2}, ESS {Convergence.MeanEss(chains):F0}");
        Assert.True(Math.Abs(z) < Bound, $"{what}: estimate {mean} vs truth {truth} is {z:F2} MCSE away (bound {Bound}).");
        Assert.True(Convergence.MeanEss(chains) >= MinimumEss, $"{what}: ESS {Convergence.MeanEss(chains):F0} is below {MinimumEss}; the check has no power.");
    }

    /// <summary>CLT checks of the mean and second central moment of every parameter of a centred target.</summary>
    public static void MeansAndVariances(McmcResult result, Func<int, double> mean, Func<int, double> variance, ITestOutputHelper? output = null)
    {
        for (int i = 0; i < result.Dimension; i++)
        {
            int k = i;
            double m = mean(k);
            Check($"E {result.Names[k]}", result.Parameter(k), m, output);
            Check($"Var {result.Names[k]}", result.Function(p => (p[k] - m) * (p[k] - m)), variance(k), output);
        }
    }
}
