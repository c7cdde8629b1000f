using Drift.Solve;
using Drift.Solve.Ode;
using Drift.Solve.Sde;

namespace Drift.Ensembles;

/// <summary>One step of a batch, whatever the equation: the ensemble loop is generic over this.</summary>
internal interface IBatchStepper
{
    int Dimension { get; }
    int NoiseDimension { get; }
    bool NeedsLevyArea { get; }
    SolveCounters CountersPerStep { get; }
    void Start(SolverScratch scratch, double t, ReadOnlySpan<double> x, int paths);
    void Step(SolverScratch scratch, double t, double h, ReadOnlySpan<double> dW, ReadOnlySpan<double> levy, Span<double> x, int paths);
}

internal struct SdeStepper<TDrift, TDiffusion, TSolver>(TDrift drift, TDiffusion diffusion, TSolver solver) : IBatchStepper
    where TDrift : struct, IDrift
    where TDiffusion : struct, IDiffusion
    where TSolver : struct, ISdeSolver
{
    private TDrift _drift = drift;
    private TDiffusion _diffusion = diffusion;
    private TSolver _solver = solver;

    public readonly int Dimension => _drift.Dimension;
    public readonly int NoiseDimension => _diffusion.NoiseDimension;
    public readonly bool NeedsLevyArea => _solver.NeedsLevyArea;
    public readonly SolveCounters CountersPerStep => new(1, _solver.DriftEvaluationsPerStep, _solver.DiffusionEvaluationsPerStep);

    public void Start(SolverScratch scratch, double t, ReadOnlySpan<double> x, int paths) =>
        _solver.Start(ref _drift, ref _diffusion, scratch, t, x, paths);

    public void Step(SolverScratch scratch, double t, double h, ReadOnlySpan<double> dW, ReadOnlySpan<double> levy, Span<double> x, int paths) =>
        _solver.Step(ref _drift, ref _diffusion, scratch, t, h, dW, levy, x, paths);
}

internal struct OdeStepper<TDrift, TSolver>(TDrift drift, TSolver solver) : IBatchStepper
    where TDrift : struct, IDrift
    where TSolver : struct, IOdeSolver
{
    private TDrift _drift = drift;
    private TSolver _solver = solver;

    public readonly int Dimension => _drift.Dimension;
    public readonly int NoiseDimension => 0;
    public readonly bool NeedsLevyArea => false;
    public readonly SolveCounters CountersPerStep => new(1, _solver.EvaluationsPerStep, 0);

    public readonly void Start(SolverScratch scratch, double t, ReadOnlySpan<double> x, int paths)
    {
    }

    public void Step(SolverScratch scratch, double t, double h, ReadOnlySpan<double> dW, ReadOnlySpan<double> levy, Span<double> x, int paths) =>
        _solver.Step(ref _drift, scratch, t, h, x, paths);
}

/// <summary>The Brownian source of an ODE: nothing to draw.</summary>
internal readonly struct NoBrownian : Brownian.IBrownianIncrements
{
    public void Fill(long firstPath, int paths, ReadOnlySpan<double> times, long firstStep, int steps, int noiseDimension,
        Span<double> dW, Span<double> levy, int rowStride)
    {
    }
}
