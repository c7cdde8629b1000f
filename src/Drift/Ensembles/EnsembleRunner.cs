using Drift.Brownian;
using Drift.Numerics;
using Drift.Solve;
using Drift.Statistics;

namespace Drift.Ensembles;

/// <summary>
/// The ensemble loop: paths are cut into chunks that workers take in turn; each chunk is integrated
/// step by step in a small component-major workspace, drawing its Brownian increments by path index,
/// and reduced at save times into moments per block of 256 paths. Blocks are folded into the
/// totals in path order, so the statistics do not depend on threads or chunk size.
/// </summary>
internal static class EnsembleRunner
{
    public static EnsembleSolution Run<TStepper, TBrownian>(TStepper stepper, TBrownian brownian, double[] x0, InitialStates? initialStates,
        double t0, double t1, EnsembleOptions options)
        where TStepper : struct, IEnsembleStepper
        where TBrownian : struct, IBrownianIncrements
    {
        options = options.ResolveShard();
        options.Validate();
        if (options.Events is { } events)
        {
            events.Callbacks?.Validate(t0, t1, nameof(options));
            return Run(new EventStepper<TStepper>(stepper, events), brownian, x0, initialStates, t0, t1, options with { Events = null }, options.StopTimes);
        }
        return Run(stepper, brownian, x0, initialStates, t0, t1, options, null);
    }

    private static EnsembleSolution Run<TStepper, TBrownian>(TStepper stepper, TBrownian brownian, double[] x0, InitialStates? initialStates,
        double t0, double t1, EnsembleOptions options, IReadOnlyList<double>? stops)
        where TStepper : struct, IEnsembleStepper
        where TBrownian : struct, IBrownianIncrements
    {
        var grid = TimeGrid.Create(t0, t1, options.Steps, options.Dt, options.Save, stops);
        var run = new Run<TStepper, TBrownian>(stepper, brownian, x0, initialStates, grid, options);
        return run.Execute();
    }
}

internal sealed class Run<TStepper, TBrownian>
    where TStepper : struct, IEnsembleStepper
    where TBrownian : struct, IBrownianIncrements
{
    private readonly TStepper _stepper;
    private readonly TBrownian _brownian;
    private readonly double[] _x0;
    private readonly InitialStates? _initialStates;
    private readonly TimeGrid _grid;
    private readonly EnsembleOptions _options;
    private readonly EnsembleAccumulator _accumulator;
    private readonly int _d, _m, _stepsPerGroup;
    private readonly long _chunks;
    private volatile bool _cancelled;

    public Run(TStepper stepper, TBrownian brownian, double[] x0, InitialStates? initialStates, TimeGrid grid, EnsembleOptions options)
    {
        _stepper = stepper;
        _brownian = brownian;
        _x0 = x0;
        _initialStates = initialStates;
        _grid = grid;
        _options = options;
        _d = stepper.Dimension;
        _m = stepper.NoiseDimension;
        // Philox yields normals in pairs: group two steps when one step draws an odd number of rows.
        _stepsPerGroup = _m % 2 == 0 ? 1 : 2;
        _accumulator = new EnsembleAccumulator(_d, grid.SaveIndices.Length, options);
        _chunks = _accumulator.ChunkCount;
    }

    public EnsembleSolution Execute()
    {
        ChunkScheduler.Run(_options.Threads, _chunks, () => new Worker(this), (worker, chunk) => worker.Solve(chunk));
        var perStep = _stepper.CountersPerStep;
        long steps = _grid.Steps;
        var counters = new SolveCounters(steps, steps * perStep.DriftEvaluations, steps * perStep.DiffusionEvaluations);
        var times = _grid.SaveIndices.Select(i => _grid.Times[i]).ToArray();
        return _accumulator.Finish(times, _cancelled, counters);
    }

    /// <summary>One worker's reusable buffers and private results.</summary>
    private sealed class Worker
    {
        private readonly Run<TStepper, TBrownian> _run;
        private TStepper _stepper;
        private TBrownian _brownian;
        private readonly SolverScratch _scratch = new();
        private readonly double[] _x, _dW, _levy;
        private readonly bool[] _diverged;
        private readonly QuantileSketch[]? _sketches;
        private readonly List<Divergence> _divergences = [];

        public Worker(Run<TStepper, TBrownian> run)
        {
            _run = run;
            _stepper = run._stepper;
            _brownian = run._brownian;
            int c = run._options.ChunkSize;
            _x = new double[run._d * c];
            _dW = new double[run._stepsPerGroup * run._m * c];
            _levy = run._stepper.NeedsLevyArea ? new double[run._stepsPerGroup * run._m * c] : [];
            _diverged = new bool[c];
            _sketches = run._accumulator.CreateSketches();
        }

        /// <summary>Solves one chunk; false when the run was cancelled.</summary>
        public bool Solve(long index)
        {
            var run = _run;
            var accumulator = run._accumulator;
            var chunk = accumulator.BeginChunk(index);
            int d = run._d, m = run._m, n = chunk.Paths;
            long first = run._options.FirstPath + chunk.Offset;
            var x = _x.AsSpan(0, d * n);
            var times = run._grid.Times;
            var saveAt = run._grid.SaveIndices;
            Array.Clear(_diverged, 0, n);
            _divergences.Clear();
            int divergedHere = 0;

            if (run._initialStates is { } init) init(first, n, x);
            else for (int i = 0; i < d; i++) x.Slice(i * n, n).Fill(run._x0[i]);
            if (!Elementwise.AllFinite(x)) divergedHere += Divergences.Mark(x, d, n, first, times[0], _diverged, _divergences);
            _scratch.FirstPath = first;
            _stepper.Start(_scratch, times[0], x, n);

            int save = 0;
            if (saveAt[0] == 0) accumulator.Record(chunk, save++, x, _diverged, _sketches);
            int steps = run._grid.Steps, group = run._stepsPerGroup, rows = m * n;
            for (int k0 = 0; k0 < steps; k0 += group)
            {
                int count = Math.Min(group, steps - k0);
                if (m > 0)
                    _brownian.Fill(first, n, times, k0, count, m, _dW.AsSpan(0, count * rows), _levy.AsSpan(0, _levy.Length == 0 ? 0 : count * rows), n);
                for (int s = 0; s < count; s++)
                {
                    int k = k0 + s;
                    double t = times[k];
                    var levy = _levy.Length == 0 ? default : _levy.AsSpan(s * rows, rows);
                    _stepper.Step(_scratch, t, times[k + 1] - t, _dW.AsSpan(s * rows, rows), levy, x, n);
                    if (!Elementwise.AllFinite(x)) divergedHere += Divergences.Mark(x, d, n, first, times[k + 1], _diverged, _divergences);
                    if (save < saveAt.Length && saveAt[save] == k + 1) accumulator.Record(chunk, save++, x, _diverged, _sketches);
                }
                if (run._options.CancellationToken.IsCancellationRequested)
                {
                    run._cancelled = true;
                    return false;
                }
            }
            accumulator.Submit(chunk, _divergences, divergedHere);
            return true;
        }
    }
}

/// <summary>Finding and recording paths whose state stopped being finite.</summary>
internal static class Divergences
{
    /// <summary>Flags paths of a batch whose state is newly non-finite, records why, and zeroes them so later checks stay cheap.</summary>
    /// <returns>The number of newly flagged paths.</returns>
    public static int Mark(Span<double> x, int d, int n, long first, double time, bool[] flags, List<Divergence> sink)
    {
        int newly = 0;
        for (int p = 0; p < n; p++)
        {
            for (int i = 0; i < d; i++)
            {
                double v = x[i * n + p];
                if (double.IsFinite(v)) continue;
                if (!flags[p])
                {
                    flags[p] = true;
                    newly++;
                    sink.Add(new Divergence(first + p, time, i, v, StepFailure.CauseOf(v)));
                }
                for (int j = 0; j < d; j++) x[j * n + p] = 0.0;
                break;
            }
        }
        return newly;
    }
}
