using System.Runtime.CompilerServices;
using System.Globalization;
using Drift.IO;
using Drift.Sampling.Diagnostics;

namespace Drift.Sampling;

/// <summary>Per-chain adaptation results.</summary>
public sealed class ChainAdaptation
{
    /// <summary>The step size after warm-up.</summary>
    public double StepSize { get; internal set; }
    /// <summary>The inverse metric after warm-up (d entries, or d×d row-major for a dense metric).</summary>
    public IReadOnlyList<double> InverseMetric { get; internal set; } = [];
    /// <summary>Divergent transitions during warm-up (not counted in <see cref="McmcResult.Divergences"/>).</summary>
    public int WarmupDivergences { get; internal set; }
}

/// <summary>Maps one draw (<paramref name="draw"/>) to the values written into <paramref name="mapped"/>.</summary>
/// <param name="draw">A draw of the sampling space.</param>
/// <param name="mapped">Receives the mapped values.</param>
public delegate void DrawMap(ReadOnlySpan<double> draw, Span<double> mapped);

/// <summary>
/// The draws of an MCMC run and their sampler statistics: for chain c and draw t, the parameters and
/// <c>accept_stat</c> (mean Metropolis acceptance over the trajectory for NUTS, the acceptance probability otherwise),
/// <c>stepsize</c>, <c>treedepth</c>, <c>n_leapfrog</c> (integrator steps), <c>divergent</c>, <c>energy</c> (the
/// Hamiltonian, HMC/NUTS only) and <c>lp</c> (log π).
/// </summary>
public sealed class McmcResult
{
    private readonly double[] _draws, _accept, _stepSize, _energy, _lp;
    private readonly int[] _treeDepth, _steps;
    private readonly bool[] _divergent;
    private readonly ChainAdaptation[] _adaptation;

    internal McmcResult(string[] names, McmcOptions options, int chains = -1, int firstChain = 0)
    {
        Names = names;
        Options = options;
        Chains = chains < 0 ? options.Chains : chains;
        FirstChain = firstChain;
        DrawsPerChain = options.Draws;
        int rows = Chains * DrawsPerChain;
        _draws = new double[rows * names.Length];
        _accept = new double[rows]; _stepSize = new double[rows]; _energy = new double[rows]; _lp = new double[rows];
        _treeDepth = new int[rows]; _steps = new int[rows]; _divergent = new bool[rows];
        _adaptation = Enumerable.Range(0, Chains).Select(_ => new ChainAdaptation()).ToArray();
    }

    /// <summary>
    /// A copy of the run with every draw mapped by <paramref name="map"/> (for example from a density model's unconstrained
    /// sampling space to its constrained parameters) and named <paramref name="names"/>; sampler statistics, <c>lp</c>
    /// (the log-density of the sampling space) and adaptation results are kept.
    /// </summary>
    /// <exception cref="ArgumentException">No names, or a map that writes a non-finite value (the message names the draw).</exception>
    public McmcResult MapDraws(IReadOnlyList<string> names, DrawMap map)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(map);
        if (names.Count < 1) throw new ArgumentException("at least one name is needed.", nameof(names));
        var mapped = new McmcResult([.. names], Options with { ParameterNames = [.. names] }, Chains, FirstChain);
        int rows = Chains * DrawsPerChain, k = names.Count;
        for (int row = 0; row < rows; row++) map(_draws.AsSpan(row * Dimension, Dimension), mapped._draws.AsSpan(row * k, k));
        _accept.CopyTo(mapped._accept); _stepSize.CopyTo(mapped._stepSize); _energy.CopyTo(mapped._energy); _lp.CopyTo(mapped._lp);
        _treeDepth.CopyTo(mapped._treeDepth); _steps.CopyTo(mapped._steps); _divergent.CopyTo(mapped._divergent);
        for (int c = 0; c < Chains; c++)
        {
            mapped._adaptation[c].StepSize = _adaptation[c].StepSize;
            mapped._adaptation[c].InverseMetric = _adaptation[c].InverseMetric;
            mapped._adaptation[c].WarmupDivergences = _adaptation[c].WarmupDivergences;
        }
        return mapped;
    }

    /// <summary>
    /// Draws produced by another method (for example tempered SMC's particles after resampling to equal weights) as a
    /// result, so that they go through the same summaries and writers: <paramref name="draws"/> is chain-major, d values per
    /// draw (chain c, draw t at <c>[(c·drawsPerChain + t)·d]</c>). The sampler statistics are absent: accept_stat,
    /// stepsize and energy are NaN, treedepth and n_leapfrog 0, divergent false, lp NaN unless
    /// <paramref name="logDensity"/> gives one value per draw.
    /// </summary>
    /// <exception cref="ArgumentException">No names, no chains or draws, lengths that do not match, or a non-finite draw.</exception>
    public static McmcResult FromDraws(IReadOnlyList<string> names, int chains, int drawsPerChain, ReadOnlySpan<double> draws, ReadOnlySpan<double> logDensity = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count < 1) throw new ArgumentException("at least one name is needed.", nameof(names));
        if (chains < 1) throw new ArgumentOutOfRangeException(nameof(chains), chains, "at least one chain is needed.");
        if (drawsPerChain < 1) throw new ArgumentOutOfRangeException(nameof(drawsPerChain), drawsPerChain, "at least one draw per chain is needed.");
        long rows = (long)chains * drawsPerChain;
        if (draws.Length != rows * names.Count) throw new ArgumentException($"{draws.Length} values given; {chains} chains x {drawsPerChain} draws x {names.Count} parameters need {rows * names.Count}.", nameof(draws));
        if (!logDensity.IsEmpty && logDensity.Length != rows) throw new ArgumentException($"{logDensity.Length} log-densities given for {rows} draws.", nameof(logDensity));
        foreach (double x in draws) if (!double.IsFinite(x)) throw new ArgumentException($"a draw is {x}.", nameof(draws));
        var result = new McmcResult([.. names], new McmcOptions { Chains = chains, Warmup = 0, Draws = drawsPerChain, ParameterNames = [.. names] });
        draws.CopyTo(result._draws);
        Array.Fill(result._accept, double.NaN);
        Array.Fill(result._stepSize, double.NaN);
        Array.Fill(result._energy, double.NaN);
        if (logDensity.IsEmpty) Array.Fill(result._lp, double.NaN);
        else logDensity.CopyTo(result._lp);
        return result;
    }

    /// <summary>Parameter names, in order.</summary>
    public IReadOnlyList<string> Names { get; }
    /// <summary>The options of the run.</summary>
    public McmcOptions Options { get; }
    /// <summary>Number of chains (of this shard, with <see cref="McmcOptions.Shard"/>).</summary>
    public int Chains { get; }
    /// <summary>Index in the run of this result's first chain: 0, or ⌊iC/N⌋ for shard i of N (<see cref="McmcOptions.Shard"/>).</summary>
    public int FirstChain { get; }
    /// <summary>Kept draws per chain.</summary>
    public int DrawsPerChain { get; }
    /// <summary>Dimension d.</summary>
    public int Dimension => Names.Count;

    internal ChainAdaptation StatisticsOf(int chain) => _adaptation[chain];

    /// <summary>
    /// The unsharded run from its shards' results (<see cref="McmcOptions.Shard"/>), given in chain order: every draw,
    /// sampler statistic and adaptation result of chain c as shard ⌊…⌋ computed it, under <paramref name="options"/>
    /// (the run's, without a shard). Summaries (R̂, ESS, MCSE) of the joined result equal the unsharded run's, because
    /// they are computed from the same draws.
    /// </summary>
    /// <exception cref="ArgumentException">The parts do not cover chains 0 … C − 1 in order, or their names or draws per chain differ from the options'.</exception>
    public static McmcResult Concatenate(McmcOptions options, IReadOnlyList<McmcResult> parts)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(parts);
        if (parts.Count == 0) throw new ArgumentException("there are no results to join.", nameof(parts));
        var names = parts[0].Names.ToArray();
        var joined = new McmcResult(names, options with { Shard = null });
        int chain = 0;
        foreach (var p in parts)
        {
            if (p.FirstChain != chain) throw new ArgumentException($"a part starts at chain {p.FirstChain}, expected chain {chain}.", nameof(parts));
            if (!p.Names.SequenceEqual(names)) throw new ArgumentException("the parts' parameter names differ.", nameof(parts));
            if (p.DrawsPerChain != joined.DrawsPerChain) throw new ArgumentException($"a part has {p.DrawsPerChain} draws per chain, the run {joined.DrawsPerChain}.", nameof(parts));
            if (chain + p.Chains > joined.Chains) throw new ArgumentException($"the parts hold more than the run's {joined.Chains} chains.", nameof(parts));
            int at = chain * joined.DrawsPerChain;
            p._draws.CopyTo(joined._draws, at * names.Length);
            p._accept.CopyTo(joined._accept, at); p._stepSize.CopyTo(joined._stepSize, at); p._energy.CopyTo(joined._energy, at); p._lp.CopyTo(joined._lp, at);
            p._treeDepth.CopyTo(joined._treeDepth, at); p._steps.CopyTo(joined._steps, at); p._divergent.CopyTo(joined._divergent, at);
            for (int c = 0; c < p.Chains; c++) joined._adaptation[chain + c] = p._adaptation[c];
            chain += p.Chains;
        }
        if (chain != joined.Chains) throw new ArgumentException($"the parts hold {chain} of the run's {joined.Chains} chains.", nameof(parts));
        return joined;
    }

    /// <summary>The raw columns, for <see cref="McmcState"/>.</summary>
    internal (double[] Draws, double[] Accept, double[] StepSize, double[] Energy, double[] Lp, int[] TreeDepth, int[] Steps, bool[] Divergent, ChainAdaptation[] Adaptation) Raw =>
        (_draws, _accept, _stepSize, _energy, _lp, _treeDepth, _steps, _divergent, _adaptation);

    /// <summary>Adaptation results of chain <paramref name="chain"/>.</summary>
    public ChainAdaptation Adaptation(int chain) => _adaptation[chain];

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal void Record<T>(int chain, int draw, ChainSampler<T> sampler) where T : struct, Targets.ILogDensity
    {
        int row = chain * DrawsPerChain + draw;
        sampler.Position.CopyTo(_draws.AsSpan(row * Dimension, Dimension));
        _accept[row] = sampler.AcceptStat;
        _stepSize[row] = sampler.UsedStepSize;
        _energy[row] = sampler.Energy;
        _lp[row] = sampler.LogDensity;
        _treeDepth[row] = sampler.TreeDepth;
        _steps[row] = sampler.Steps;
        _divergent[row] = sampler.Divergent;
    }

    private int Row(int chain, int draw)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(chain);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(chain, Chains);
        ArgumentOutOfRangeException.ThrowIfNegative(draw);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(draw, DrawsPerChain);
        return chain * DrawsPerChain + draw;
    }

    /// <summary>Parameter <paramref name="parameter"/> at draw <paramref name="draw"/> of chain <paramref name="chain"/>.</summary>
    public double Draw(int chain, int draw, int parameter) => _draws[Row(chain, draw) * Dimension + parameter];

    /// <summary>One draw's parameters.</summary>
    public ReadOnlySpan<double> Point(int chain, int draw) => _draws.AsSpan(Row(chain, draw) * Dimension, Dimension);

    /// <summary>accept_stat of a draw.</summary>
    public double AcceptStat(int chain, int draw) => _accept[Row(chain, draw)];
    /// <summary>Step size of a draw.</summary>
    public double StepSize(int chain, int draw) => _stepSize[Row(chain, draw)];
    /// <summary>NUTS tree depth of a draw (0 for the other kernels).</summary>
    public int TreeDepth(int chain, int draw) => _treeDepth[Row(chain, draw)];
    /// <summary>Integrator steps of a draw (1 for MALA/ULA/RWM).</summary>
    public int Steps(int chain, int draw) => _steps[Row(chain, draw)];
    /// <summary>Whether a draw's transition diverged.</summary>
    public bool IsDivergent(int chain, int draw) => _divergent[Row(chain, draw)];
    /// <summary>The Hamiltonian at a draw (NaN for kernels without momentum).</summary>
    public double Energy(int chain, int draw) => _energy[Row(chain, draw)];
    /// <summary>log π at a draw.</summary>
    public double LogDensity(int chain, int draw) => _lp[Row(chain, draw)];

    /// <summary>Draws of one parameter, one array per chain.</summary>
    public double[][] Parameter(int parameter)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(parameter);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(parameter, Dimension);
        return Function(p => p[parameter]);
    }

    /// <summary>A function f(θ) of every draw, one array per chain (for MCSE of E f, e.g. a second moment).</summary>
    public double[][] Function(Func<ReadOnlySpan<double>, double> f) => ChainRuns.Function(_draws, Chains, DrawsPerChain, Dimension, f);

    /// <summary>Divergent transitions after warm-up.</summary>
    public int Divergences => _divergent.Count(x => x);

    /// <summary>Draws whose NUTS tree reached the maximum depth.</summary>
    public int TreeDepthSaturations => Options.Sampler == SamplerKind.Nuts ? _treeDepth.Count(x => x >= Options.MaxTreeDepth) : 0;

    /// <summary>Mean accept_stat over all draws.</summary>
    public double MeanAcceptStat => _accept.Average();

    /// <summary>
    /// E-BFMI of chain <paramref name="chain"/> (Betancourt 2016): Σₜ (Eₜ − Eₜ₋₁)² / Σₜ (Eₜ − Ē)², from the Hamiltonian
    /// at each draw; values below 0.3 flag a heavy-tailed energy distribution that the momentum resampling cannot
    /// explore. NaN for kernels without momentum.
    /// </summary>
    public double Ebfmi(int chain)
    {
        var e = _energy.AsSpan(Row(chain, 0), DrawsPerChain);
        double mean = 0;
        foreach (double v in e) mean += v;
        mean /= e.Length;
        double num = 0, den = 0;
        for (int t = 0; t < e.Length; t++)
        {
            den += (e[t] - mean) * (e[t] - mean);
            if (t > 0) num += (e[t] - e[t - 1]) * (e[t] - e[t - 1]);
        }
        return num / den;
    }

    /// <summary>The summary table: one <see cref="ParameterSummary"/> per parameter.</summary>
    public IReadOnlyList<ParameterSummary> Summary() => Enumerable.Range(0, Dimension).Select(i => ParameterSummary.Of(Names[i], Parameter(i))).ToArray();

    /// <summary>
    /// Warnings in words: R̂ &gt; 1.01, bulk- or tail-ESS below 100 per chain, divergences after warm-up, tree-depth
    /// saturation, E-BFMI below 0.3 (thresholds of Vehtari et al. 2021 and Stan's diagnose utility), and why a tail-ESS is
    /// undefined (<see cref="Convergence.TailEssUndefinedReason"/>).
    /// </summary>
    public IReadOnlyList<string> Warnings(IReadOnlyList<ParameterSummary>? summary = null)
    {
        summary ??= Summary();
        var warnings = new List<string>();
        var highRhat = summary.Where(s => !(s.Rhat <= 1.01)).ToList();
        if (highRhat.Count > 0)
            warnings.Add($"R-hat above 1.01 for {string.Join(", ", highRhat.Select(s => $"{s.Name} ({F(s.Rhat)})"))}: the chains have not mixed; run longer or reparameterise.");
        double floor = 100.0 * Chains;
        var lowEss = summary.Where(s => !(s.EssBulk >= floor) || !(s.EssTail >= floor)).ToList();
        if (lowEss.Count > 0)
            warnings.Add($"effective sample size below {floor:0} (100 per chain) for {string.Join(", ", lowEss.Select(s => $"{s.Name} (bulk {Ess(s.EssBulk)}, tail {Ess(s.EssTail)})"))}: means and quantiles are unreliable.");
        foreach (var s in summary.Where(s => double.IsNaN(s.EssTail)))
        {
            int i = Names.ToList().IndexOf(s.Name);
            if (i >= 0 && Convergence.TailEssUndefinedReason(Parameter(i)) is { } why)
                warnings.Add($"tail ESS of {s.Name} is undefined: {why}.");
        }
        int div = Divergences;
        if (div > 0)
            warnings.Add($"{div} of {Chains * DrawsPerChain} transitions after warm-up were divergent: the posterior has regions the step size cannot resolve; raise --adapt-delta or reparameterise.");
        int sat = TreeDepthSaturations;
        if (sat > 0)
            warnings.Add($"{sat} of {Chains * DrawsPerChain} transitions hit the maximum tree depth {Options.MaxTreeDepth}: trajectories were cut short.");
        if (Options.Sampler is SamplerKind.Nuts or SamplerKind.Hmc)
            for (int c = 0; c < Chains; c++)
            {
                double e = Ebfmi(c);
                if (e < 0.3) warnings.Add($"chain {c + 1} has E-BFMI {F(e)} below 0.3: the energy distribution is heavy-tailed; reparameterise.");
            }
        return warnings;
    }

    private static string F(double x) => x.ToString("G4", CultureInfo.InvariantCulture);

    private static string Ess(double x) => double.IsNaN(x) ? "undefined" : F(x);

    /// <summary>The CSV column names: chain, draw, the parameters, then accept_stat, stepsize, treedepth, n_leapfrog, divergent, energy, lp.</summary>
    public IReadOnlyList<string> Columns => ["chain", "draw", .. Names, "accept_stat", "stepsize", "treedepth", "n_leapfrog", "divergent", "energy", "lp"];

    /// <summary>
    /// Every column of one draw as a number, in <see cref="Columns"/> order: chain and draw (1-based), the parameters,
    /// accept_stat, stepsize, treedepth, n_leapfrog, divergent (1 or 0), energy, lp — the row of a numeric table (.npy).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="values"/> does not hold <see cref="Columns"/>.Count numbers.</exception>
    public void CopyRow(int chain, int draw, Span<double> values)
    {
        int d = Dimension;
        if (values.Length != d + 9) throw new ArgumentException($"a draw has {d + 9} columns; got a span of {values.Length}.", nameof(values));
        int row = Row(chain, draw);
        values[0] = chain + 1;
        values[1] = draw + 1;
        _draws.AsSpan(row * d, d).CopyTo(values[2..]);
        values[d + 2] = _accept[row];
        values[d + 3] = _stepSize[row];
        values[d + 4] = _treeDepth[row];
        values[d + 5] = _steps[row];
        values[d + 6] = _divergent[row] ? 1 : 0;
        values[d + 7] = _energy[row];
        values[d + 8] = _lp[row];
    }

    /// <summary>Writes every draw as CSV (columns <see cref="Columns"/>; chain and draw 1-based), atomically.</summary>
    public void WriteCsv(string path) => AtomicFile.Write(path, WriteCsv);

    /// <summary>Writes every draw as CSV to <paramref name="writer"/>.</summary>
    public void WriteCsv(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine(string.Join(',', Columns.Select(Quote)));
        var inv = CultureInfo.InvariantCulture;
        // Each row is formatted into one buffer (TryFormat, the same text as ToString) and written once: no string per number.
        var line = new char[64 * (Dimension + 9)];
        for (int c = 0; c < Chains; c++)
            for (int t = 0; t < DrawsPerChain; t++)
            {
                int row = c * DrawsPerChain + t, n = 0;
                Put(c + 1); Comma(); Put(t + 1);
                for (int i = 0; i < Dimension; i++) { Comma(); Put(_draws[row * Dimension + i]); }
                Comma(); Put(_accept[row]);
                Comma(); Put(_stepSize[row]);
                Comma(); Put(_treeDepth[row]);
                Comma(); Put(_steps[row]);
                Comma(); line[n++] = _divergent[row] ? '1' : '0';
                Comma(); Put(_energy[row]);
                Comma(); Put(_lp[row]);
                writer.WriteLine(line.AsSpan(0, n));

                void Comma() => line[n++] = ',';
                void Put<T>(T x) where T : ISpanFormattable
                {
                    if (!x.TryFormat(line.AsSpan(n), out int written, typeof(T) == typeof(double) ? "R" : default, inv)) throw new InvalidOperationException("a CSV field overflowed its buffer.");
                    n += written;
                }
            }
    }

    private static string Quote(string name) => name.Contains(',', StringComparison.Ordinal) || name.Contains('"', StringComparison.Ordinal) ? $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : name;
}
