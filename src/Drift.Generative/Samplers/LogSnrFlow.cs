using Drift.Generative.Models;
using Drift.Generative.Schedules;
using Drift.Solve;

namespace Drift.Generative.Samplers;

/// <summary>
/// The probability-flow ODE of one sample with logSNR λ as the independent variable:
/// dx/dλ = (d log σ/dλ)·x + α·x̂₀(x, t(λ)), which is dx/dt = f x − ½g²∇log p_t divided by dλ/dt
/// (Lu et al. 2022, data-prediction form). In λ the flow has Lipschitz constant ≈ 1 on VP and EDM
/// schedules, so an adaptive solver sees no stiffness near the data end.
/// </summary>
/// <remarks>Called by the engine's adaptive loop with one path (a span of d values).</remarks>
internal readonly struct LogSnrFlow : IDrift
{
    private readonly IDiffusionModel _model;

    public LogSnrFlow(IDiffusionModel model) => _model = model;

    public int Dimension => _model.Dimension;

    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        var sch = _model.Schedule;
        double time = sch.TimeOfLogSnr(t);
        int n = paths * _model.Dimension;
        _model.Evaluate(time, x[..n], dx[..n], paths);
        PredictionConverter.Convert(sch, time, x[..n], dx[..n], _model.Prediction, Prediction.Data);
        double a = sch.Alpha(time), c = LogSigmaSlope(sch, time);
        for (int i = 0; i < n; i++) dx[i] = c * x[i] + a * dx[i];
    }

    /// <summary>d log σ/dλ = (σ'/σ)/(f − σ'/σ), since λ' = α'/α − σ'/σ (−α² on VP schedules, −1 on EDM).</summary>
    public static double LogSigmaSlope(NoiseSchedule schedule, double t)
    {
        double r = schedule.SigmaDerivative(t) / schedule.Sigma(t);
        return r / (schedule.DriftCoefficient(t) - r);
    }
}
