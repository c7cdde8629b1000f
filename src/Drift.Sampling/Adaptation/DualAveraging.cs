using System.Runtime.CompilerServices;

namespace Drift.Sampling.Adaptation;

/// <summary>
/// Nesterov dual averaging of log ε (Hoffman &amp; Gelman 2014, Algorithm 5), exactly as Stan's
/// <c>stan::mcmc::stepsize_adaptation</c> (stan-dev/stan, src/stan/mcmc/stepsize_adaptation.hpp). After the m-th
/// adaptation statistic αₘ (clipped to 1):
/// <code>
///   η = 1/(m + t₀);  s̄ ← (1 − η) s̄ + η (δ − αₘ)
///   x = μ − s̄ √m / γ;  ε = eˣ
///   x̄ ← (1 − m^−κ) x̄ + m^−κ x
/// </code>
/// and when adaptation ends ε = e^x̄. Stan's defaults (CmdStan <c>adapt delta=0.8 gamma=0.05 kappa=0.75 t0=10</c>)
/// are the defaults here; μ = log(10 ε₀) is reset after each metric update.
/// </summary>
public sealed class DualAveraging
{
    private double _counter, _sBar, _xBar;

    /// <summary>A dual-averaging state with target statistic <paramref name="delta"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When δ ∉ (0, 1) or γ, κ, t₀ are not positive.</exception>
    public DualAveraging(double delta = 0.8, double gamma = 0.05, double kappa = 0.75, double t0 = 10)
    {
        if (!(delta > 0 && delta < 1)) throw new ArgumentOutOfRangeException(nameof(delta), delta, "the target acceptance must lie in (0, 1).");
        if (!(gamma > 0)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "must be positive.");
        if (!(kappa > 0)) throw new ArgumentOutOfRangeException(nameof(kappa), kappa, "must be positive.");
        if (!(t0 > 0)) throw new ArgumentOutOfRangeException(nameof(t0), t0, "must be positive.");
        Delta = delta; Gamma = gamma; Kappa = kappa; T0 = t0;
    }

    /// <summary>Target value δ of the adaptation statistic.</summary>
    public double Delta { get; }
    /// <summary>Adaptation scale γ.</summary>
    public double Gamma { get; }
    /// <summary>Shrinkage exponent κ.</summary>
    public double Kappa { get; }
    /// <summary>Effective starting iteration t₀.</summary>
    public double T0 { get; }
    /// <summary>The point μ that log ε is shrunk towards (Stan sets log(10 ε₀)).</summary>
    public double Mu { get; set; }

    /// <summary>Forgets the iterates (counter, s̄, x̄), keeping μ.</summary>
    public void Restart() { _counter = 0; _sBar = 0; _xBar = 0; }

    /// <summary>One update with statistic <paramref name="acceptStatistic"/>; returns the new step size eˣ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public double Learn(double acceptStatistic)
    {
        _counter++;
        double a = acceptStatistic > 1 ? 1 : acceptStatistic;
        if (double.IsNaN(a)) a = 0;
        double eta = 1 / (_counter + T0);
        _sBar = (1 - eta) * _sBar + eta * (Delta - a);
        double x = Mu - _sBar * Math.Sqrt(_counter) / Gamma;
        double xEta = Math.Pow(_counter, -Kappa);
        _xBar = (1 - xEta) * _xBar + xEta * x;
        return Math.Exp(x);
    }

    /// <summary>The final step size e^x̄.</summary>
    public double Final => Math.Exp(_xBar);
}
