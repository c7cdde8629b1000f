using Drift.Generative.Grids;
using Drift.Generative.Schedules;

namespace Drift.Generative.Steering;

/// <summary>
/// A Gaussian reverse transition of a stochastic sampler, M_k(x' | x) = N(c_x x + c₀ x̂₀(x), v_k I), used by
/// <see cref="TwistedSmc"/> as the reference kernel whose density enters the weights.
/// </summary>
/// <remarks>
/// <para><b>Euler–Maruyama</b> on the reverse SDE (score s = (α x̂₀ − x)/σ²):
/// c_x = 1 + fΔt + g²Δt/σ², c₀ = −g²Δt α/σ², v = g²|Δt| (Δt = t_{k+1} − t_k &lt; 0).</para>
/// <para><b>DDIM(η)</b> (η = 1: DDPM ancestral, the exact posterior q(x_{t'} | x_t, x̂₀)): with h = λ' − λ the
/// log-SNR step, ρ = √(1 − η²(1 − e^{−2h})), c_x = σ′ρ/σ and, as in
/// <see cref="Samplers.DdimSampler"/>: c₀ = α'(−expm1(−h) + e^{−h}(1 − ρ)), v = (η σ')²(1 − e^{−2h}).</para>
/// </remarks>
public sealed class ReverseTransition
{
    private readonly double _eta;

    private ReverseTransition(string name, double eta)
    {
        Name = name;
        _eta = eta;
    }

    /// <summary>Euler–Maruyama on the reverse SDE.</summary>
    public static ReverseTransition EulerMaruyama { get; } = new("euler-maruyama", -1);

    /// <summary>DDPM ancestral sampling (DDIM with η = 1).</summary>
    public static ReverseTransition Ddpm { get; } = new("ddpm", 1);

    /// <summary>Stochastic DDIM with 0 &lt; η ≤ 1.</summary>
    /// <exception cref="ArgumentException">η outside (0, 1] (η = 0 is deterministic and has no transition density).</exception>
    public static ReverseTransition Ddim(double eta)
    {
        if (!(eta > 0 && eta <= 1)) throw new ArgumentException($"eta must lie in (0, 1] for a stochastic transition, got {eta}.", nameof(eta));
        return eta == 1 ? Ddpm : new($"ddim-eta{eta}", eta);
    }

    /// <summary>Parses a CLI name: euler-maruyama, ddpm, ddim-etaX.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static ReverseTransition Parse(string name) => name switch
    {
        "euler-maruyama" => EulerMaruyama,
        "ddpm" => Ddpm,
        _ when name.StartsWith("ddim-eta", StringComparison.Ordinal)
            && double.TryParse(name.AsSpan(8), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double eta) => Ddim(eta),
        _ => throw new ArgumentException($"unknown transition '{name}'; choose euler-maruyama, ddpm or ddim-etaX (0 < X ≤ 1).", nameof(name)),
    };

    /// <summary>The name (euler-maruyama, ddpm, ddim-etaX).</summary>
    public string Name { get; }

    /// <summary>(c_x, c₀, √v) of the step from grid time k to k + 1.</summary>
    internal (double Cx, double C0, double Std) Coefficients(SamplingGrid grid, int k)
    {
        if (_eta < 0)
        {
            var sch = grid.Schedule;
            double t = grid.Time(k), dt = grid.Time(k + 1) - t, a = grid.Alpha(k), s = grid.Sigma(k);
            double g2 = sch.DiffusionSquared(t);
            return (1 + sch.DriftCoefficient(t) * dt + g2 * dt / (s * s), -g2 * dt * a / (s * s), Math.Sqrt(g2 * -dt));
        }
        double h = grid.LogSnr(k + 1) - grid.LogSnr(k);
        double rho = Math.Sqrt(1 + _eta * _eta * NoiseSchedule.ExpM1(-2 * h));
        return (grid.Sigma(k + 1) * rho / grid.Sigma(k), grid.Alpha(k + 1) * (-NoiseSchedule.ExpM1(-h) + Math.Exp(-h) * (1 - rho)),
            _eta * grid.Sigma(k + 1) * Math.Sqrt(-NoiseSchedule.ExpM1(-2 * h)));
    }
}
