using Drift.Solve;
using Drift.Solve.Ode;
using Drift.Solve.Sde;

namespace Drift.Ensembles;

internal struct SdeStepper<TDrift, TDiffusion, TSolver>(TDrift drift, TDiffusion diffusion, TSolver solver) : IEnsembleStepper
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

internal struct OdeStepper<TDrift, TSolver>(TDrift drift, TSolver solver) : IEnsembleStepper
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
