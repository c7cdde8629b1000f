using Drift.Generative.Models;
using Drift.Generative.Samplers;
using Drift.Solve;

namespace Drift.Generative.Likelihood;

/// <summary>
/// The probability-flow ODE of one sample augmented with its divergence, run backwards in logSNR with
/// u = −λ as the (increasing) variable: state (x, ℓ) of d + 1 values,
/// dx/du = −[(d log σ/dλ)x + α x̂₀], dℓ/du = −∇·(dx/dλ) = −[d(d log σ/dλ + 1) + σ²∇·s],
/// using α∇·x̂₀ = d + σ²∇·s. ∇·s is the model's analytic one when it has it, else central differences
/// along the d axes (2d extra evaluations).
/// </summary>
internal readonly struct AugmentedLogSnrFlow : IDrift
{
    private readonly IDiffusionModel _model;
    private readonly double[] _plus, _minus, _sPlus, _sMinus;
    private readonly double[] _div;

    public AugmentedLogSnrFlow(IDiffusionModel model)
    {
        _model = model;
        int d = model.Dimension;
        _plus = new double[d];
        _minus = new double[d];
        _sPlus = new double[d];
        _sMinus = new double[d];
        _div = new double[1];
    }

    public int Dimension => _model.Dimension + 1;

    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        var sch = _model.Schedule;
        int d = _model.Dimension;
        double time = sch.TimeOfLogSnr(-t);
        var xs = x[..d];
        var v = dx[..d];
        _model.Evaluate(time, xs, v, 1);
        PredictionConverter.Convert(sch, time, xs, v, _model.Prediction, Prediction.Data);
        double a = sch.Alpha(time), sigma = sch.Sigma(time), c = LogSnrFlow.LogSigmaSlope(sch, time);
        for (int i = 0; i < d; i++) v[i] = -(c * xs[i] + a * v[i]);
        dx[d] = -(d * (c + 1) + sigma * sigma * ScoreDivergence(time, xs));
    }

    private double ScoreDivergence(double time, ReadOnlySpan<double> x)
    {
        if (_model is IScoreDivergence exact)
        {
            exact.ScoreDivergence(time, x, _div, 1);
            return _div[0];
        }
        int d = _model.Dimension;
        double delta = 1e-4 * Math.Max(1, _model.Schedule.Sigma(time)), sum = 0;
        for (int j = 0; j < d; j++)
        {
            x.CopyTo(_plus);
            x.CopyTo(_minus);
            _plus[j] += delta;
            _minus[j] -= delta;
            Score(time, _plus, _sPlus);
            Score(time, _minus, _sMinus);
            sum += (_sPlus[j] - _sMinus[j]) / (2 * delta);
        }
        return sum;
    }

    private void Score(double time, double[] x, double[] s)
    {
        _model.Evaluate(time, x, s, 1);
        PredictionConverter.Convert(_model.Schedule, time, x, s, _model.Prediction, Prediction.Score);
    }
}
