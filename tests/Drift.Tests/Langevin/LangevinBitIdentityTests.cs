using Drift.Ensembles;
using Drift.Langevin;
using Drift.Potentials;
using Drift.Solve;

namespace Drift.Tests.Langevin;

/// <summary>
/// Whole Langevin runs against committed bits. The splittings' position/momentum updates and the potentials'
/// gradients run on the core lanes, which are bit-identical at every vector width, and CI re-runs this class with
/// AVX-512 off and with AVX2 off (128-bit lanes): so the fingerprints must come out the same on every instruction
/// set. That is what lets CI re-run only this class, not the long statistical Langevin tests, on the narrower
/// instruction sets. A deliberate change of the numerics updates the constants. (Scalar coefficients such as
/// e^{−γh} come from the runtime's libm, so another machine's libm may give other constants.)
/// </summary>
public class LangevinBitIdentityTests
{
    /// <summary>FNV-1a over the bits of every saved position and momentum of every path.</summary>
    private static string Fingerprint(Solution s)
    {
        ulong h = 14695981039346656037UL;
        for (int save = 0; save < s.Times.Count; save++)
            for (int i = 0; i < s.Dimension; i++)
                foreach (double v in s.PathsAt(save, i))
                {
                    ulong bits = (ulong)BitConverter.DoubleToInt64Bits(v);
                    for (int k = 0; k < 8; k++) { h ^= (bits >> (8 * k)) & 0xFF; h *= 1099511628211UL; }
                }
        return h.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static SolveOptions Options(int threads) => new()
    {
        Controller = ConstantStep.WithSteps(60), Paths = 1000, Seed = 21, Threads = threads, KeepPaths = true, Save = SaveAt.EveryStep(20),
    };

    [Theory]
    [InlineData("baoab", "c3adfe0f16ada0a6")]
    [InlineData("ubu", "114dcb3b3db1d68f")]
    public void Double_well_runs_give_the_committed_bits_on_every_instruction_set(string integrator, string expected)
    {
        var potential = new DoubleWellPotential(3);
        double[] q0 = [0.1, -0.2, 0.3], p0 = [1.0, 0.0, -1.0];
        var prints = new[] { 1, 2 }.Select(threads => Fingerprint(integrator == "ubu"
            ? DiffEq.Solve(LangevinEnsemble.Problem(new Ubu<DoubleWellPotential>(potential, 0.7, 1.5), q0, p0, 3), Options(threads))
            : DiffEq.Solve(LangevinEnsemble.Problem(new Baoab<DoubleWellPotential>(potential, 0.7, 1.5), q0, p0, 3), Options(threads)))).ToArray();
        Assert.True(prints[0] == prints[1], $"{integrator}: one thread gives {prints[0]}, two give {prints[1]}");
        Assert.True(prints[0] == expected, $"{integrator}: fingerprint {prints[0]}, committed {expected}");
    }
}
