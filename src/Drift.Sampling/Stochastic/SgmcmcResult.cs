namespace Drift.Sampling.Stochastic;

/// <summary>The kept draws of an SG-MCMC run (<see cref="Sgmcmc.Sample{TTarget}"/>), chain by chain.</summary>
public sealed class SgmcmcResult
{
    private readonly double[] _draws;

    internal SgmcmcResult(string[] names, int chains, long[] keptIterations)
    {
        Names = names;
        Chains = chains;
        KeptIterations = keptIterations;
        _draws = new double[(long)chains * keptIterations.Length * names.Length];
    }

    /// <summary>Parameter names.</summary>
    public IReadOnlyList<string> Names { get; }
    /// <summary>Number of chains.</summary>
    public int Chains { get; }
    /// <summary>Kept draws per chain.</summary>
    public int DrawsPerChain => KeptIterations.Count;
    /// <summary>The dimension d.</summary>
    public int Dimension => Names.Count;
    /// <summary>The iteration each kept draw was taken at (the same for every chain).</summary>
    public IReadOnlyList<long> KeptIterations { get; }

    private int Offset(int chain, int draw) => (chain * DrawsPerChain + draw) * Dimension;

    internal void Record(int chain, int draw, ReadOnlySpan<double> theta) => theta.CopyTo(_draws.AsSpan(Offset(chain, draw), Dimension));

    /// <summary>Parameter <paramref name="parameter"/> of draw <paramref name="draw"/> of chain <paramref name="chain"/>.</summary>
    public double Draw(int chain, int draw, int parameter) => _draws[Offset(chain, draw) + parameter];

    /// <summary>The whole point of one draw.</summary>
    public ReadOnlySpan<double> Point(int chain, int draw) => _draws.AsSpan(Offset(chain, draw), Dimension);

    /// <summary>One parameter's draws, one array per chain (the shape <see cref="Diagnostics.Convergence"/> takes).</summary>
    public double[][] Parameter(int parameter)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parameter);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(parameter, Dimension);
        return Function(p => p[parameter]);
    }

    /// <summary>f(θ) over the draws, one array per chain.</summary>
    public double[][] Function(Func<ReadOnlySpan<double>, double> f) => ChainRuns.Function(_draws, Chains, DrawsPerChain, Dimension, f);
}
