using Drift.Jumps.Networks;
using Drift.Models.Text;
using Drift.Solve;

namespace Drift.Jumps.Simulation;

/// <summary>
/// The continuous approximations of a network as models of the model language, so they run on the SDE engine and
/// the adaptive ODE solvers with compiled SIMD kernels:
/// the chemical Langevin equation (Gillespie, J. Chem. Phys. 113, 297 (2000)),
/// dXᵢ = Σⱼ νᵢⱼ aⱼ(X) dt + Σⱼ νᵢⱼ √max(aⱼ(X), 0) dWⱼ (general noise, one Wiener process per reaction), and the
/// reaction-rate equation dxᵢ/dt = Σⱼ νᵢⱼ aⱼ(x). Both use the network's own propensities (mass action in its
/// falling-factorial form), evaluated at real-valued counts.
/// </summary>
public static class ContinuousModels
{
    /// <summary>The chemical Langevin equation as a text model (components = species, initial state = initial counts).</summary>
    public static TextModel ChemicalLangevin(ReactionNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        int d = network.SpeciesCount, m = network.ReactionCount;
        var diffusion = new Node?[d, m];
        for (int j = 0; j < m; j++)
        {
            var a = network.PropensityNodes[j];
            var root = new CallNode(TextFunction.Get("sqrt"), [new CallNode(TextFunction.Get("max"), [a, new NumberNode(0, a.Line, a.Column)], a.Line, a.Column)], a.Line, a.Column);
            for (int i = 0; i < d; i++)
            {
                int v = network.NetChange(j, i);
                if (v != 0) diffusion[i, j] = v == 1 ? root : new BinaryNode('*', new NumberNode(v, a.Line, a.Column), root, a.Line, a.Column);
            }
        }
        return Build(network, diffusion, NoiseKind.General);
    }

    /// <summary>The reaction-rate equation as a text model with zero noise.</summary>
    public static TextModel RateEquation(ReactionNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return Build(network, new Node?[network.SpeciesCount, network.SpeciesCount], NoiseKind.Diagonal);
    }

    private static TextModel Build(ReactionNetwork network, Node?[,] diffusion, NoiseKind noise)
    {
        int d = network.SpeciesCount;
        var drift = new Node[d];
        for (int i = 0; i < d; i++)
        {
            Node? sum = null;
            for (int j = 0; j < network.ReactionCount; j++)
            {
                int v = network.NetChange(j, i);
                if (v == 0) continue;
                var a = network.PropensityNodes[j];
                Node term = v == 1 ? a : new BinaryNode('*', new NumberNode(v, a.Line, a.Column), a, a.Line, a.Column);
                sum = sum is null ? term : new BinaryNode('+', sum, term, a.Line, a.Column);
            }
            drift[i] = sum ?? new NumberNode(0, 1, 1);
        }
        return new TextModel([], [], [.. network.Species], [.. network.InitialCounts.Select(c => (double)c)], drift, diffusion, noise);
    }
}
