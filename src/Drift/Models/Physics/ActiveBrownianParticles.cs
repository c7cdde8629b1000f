using Drift.Solve;

namespace Drift.Models.Physics;

/// <summary>
/// N active Brownian particles in a periodic 2-D box of side L (Romanczuk et al. 2012, Eur. Phys. J. ST 202; Fily &amp;
/// Marchetti 2012): dr_i = (v₀ e(θ_i) + Σ_j F_ij) dt + √(2D_t) dW_i, dθ_i = √(2D_r) dW_θi, e(θ) = (cos θ, sin θ),
/// unit mobility, with soft harmonic repulsion F_ij = k(σ − |r_ij|) r_ij/|r_ij| for |r_ij| &lt; σ, r_ij the minimum
/// image of r_i − r_j. Free particles (k = 0) have the mean-square displacement
/// ⟨|Δr|²⟩ = 4D_t t + 2v₀²τ_r²(t/τ_r − 1 + e^{−t/τ_r}), τ_r = 1/D_r.
/// </summary>
/// <remarks>
/// State (d = 3N): rows x₁ … x_N, then y₁ … y_N, then θ₁ … θ_N. Positions are kept unwrapped (so displacements are
/// physical); only the forces use the periodic minimum image. Diagonal noise (m = d). Pair forces cost O(N²) per path.
/// </remarks>
/// <param name="particles">N ≥ 1.</param>
/// <param name="speed">Self-propulsion speed v₀.</param>
/// <param name="translationalDiffusion">D_t ≥ 0.</param>
/// <param name="rotationalDiffusion">D_r ≥ 0.</param>
/// <param name="stiffness">Repulsion stiffness k ≥ 0 (0: free particles).</param>
/// <param name="diameter">Interaction range σ &gt; 0.</param>
/// <param name="box">Box side L ≥ 2σ.</param>
public readonly struct ActiveBrownianParticles(int particles, double speed, double translationalDiffusion, double rotationalDiffusion,
    double stiffness, double diameter, double box) : IDrift, IAdditiveNoise
{
    /// <summary>N.</summary>
    public int Particles { get; } = particles >= 1 ? particles : throw new ArgumentOutOfRangeException(nameof(particles), particles, "at least one particle is needed.");
    /// <summary>v₀.</summary>
    public double Speed { get; } = double.IsFinite(speed) ? speed : throw new ArgumentOutOfRangeException(nameof(speed), speed, "the speed must be finite.");
    /// <summary>D_t.</summary>
    public double TranslationalDiffusion { get; } = translationalDiffusion >= 0 && double.IsFinite(translationalDiffusion) ? translationalDiffusion
        : throw new ArgumentOutOfRangeException(nameof(translationalDiffusion), translationalDiffusion, "D_t must be non-negative and finite.");
    /// <summary>D_r.</summary>
    public double RotationalDiffusion { get; } = rotationalDiffusion >= 0 && double.IsFinite(rotationalDiffusion) ? rotationalDiffusion
        : throw new ArgumentOutOfRangeException(nameof(rotationalDiffusion), rotationalDiffusion, "D_r must be non-negative and finite.");
    /// <summary>k.</summary>
    public double Stiffness { get; } = stiffness >= 0 && double.IsFinite(stiffness) ? stiffness : throw new ArgumentOutOfRangeException(nameof(stiffness), stiffness, "the stiffness must be non-negative and finite.");
    /// <summary>σ.</summary>
    public double Diameter { get; } = diameter > 0 && double.IsFinite(diameter) ? diameter : throw new ArgumentOutOfRangeException(nameof(diameter), diameter, "the diameter must be positive and finite.");
    /// <summary>L.</summary>
    public double Box { get; } = box >= 2 * diameter && double.IsFinite(box) ? box : throw new ArgumentOutOfRangeException(nameof(box), box, "the box must be finite and at least twice the diameter.");
    /// <summary>d = 3N.</summary>
    public int Dimension => 3 * Particles;
    /// <summary>m = 3N.</summary>
    public int NoiseDimension => 3 * Particles;
    /// <inheritdoc/>
    public NoiseKind Noise => NoiseKind.Diagonal;
    /// <summary>True: g = diag(√(2D_t), …, √(2D_r)) is constant (additive noise in a diagonal layout).</summary>
    public bool StateIndependent => true;

    /// <summary>The exact free-particle mean-square displacement 4D_t t + 2v₀²τ_r²(t/τ_r − 1 + e^{−t/τ_r}) (4D_t t + v₀²t² when D_r = 0).</summary>
    public double FreeMeanSquareDisplacement(double t)
    {
        if (RotationalDiffusion == 0) return 4 * TranslationalDiffusion * t + Speed * Speed * t * t;
        double tau = 1 / RotationalDiffusion;
        return 4 * TranslationalDiffusion * t + 2 * Speed * Speed * tau * tau * (t / tau - 1 + Math.Exp(-t / tau));
    }

    /// <summary>An initial state: particles on a square lattice filling the box, headings 2πi/N.</summary>
    public double[] LatticeInitialState()
    {
        int n = Particles, side = (int)Math.Ceiling(Math.Sqrt(n));
        var x0 = new double[3 * n];
        double spacing = Box / side;
        for (int i = 0; i < n; i++)
        {
            x0[i] = (i % side + 0.5) * spacing;
            x0[n + i] = (i / side + 0.5) * spacing;
            x0[2 * n + i] = 2 * Math.PI * i / n;
        }
        return x0;
    }

    /// <summary>True: the self-propulsion and interaction forces and the constant noise do not depend on t (adaptive ensembles step it in SIMD lanes).</summary>
    public bool TimeIndependent => true;

    /// <summary>Writes (v₀cos θ_i + F_i,x, v₀sin θ_i + F_i,y, 0).</summary>
    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        int n = Particles;
        for (int i = 0; i < n; i++)
        {
            for (int p = 0; p < paths; p++)
            {
                double theta = x[(2 * n + i) * paths + p];
                dx[i * paths + p] = Speed * Math.Cos(theta);
                dx[(n + i) * paths + p] = Speed * Math.Sin(theta);
                dx[(2 * n + i) * paths + p] = 0;
            }
        }
        if (Stiffness == 0 || n < 2) return;
        double sigma = Diameter, box = Box, k = Stiffness;
        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                for (int p = 0; p < paths; p++)
                {
                    double rx = x[i * paths + p] - x[j * paths + p], ry = x[(n + i) * paths + p] - x[(n + j) * paths + p];
                    rx -= box * Math.Round(rx / box);
                    ry -= box * Math.Round(ry / box);
                    double r2 = rx * rx + ry * ry;
                    if (r2 >= sigma * sigma || r2 == 0) continue;
                    double r = Math.Sqrt(r2), f = k * (sigma - r) / r;
                    dx[i * paths + p] += f * rx;
                    dx[(n + i) * paths + p] += f * ry;
                    dx[j * paths + p] -= f * rx;
                    dx[(n + j) * paths + p] -= f * ry;
                }
            }
        }
    }

    void IDiffusion.Evaluate(double t, ReadOnlySpan<double> x, Span<double> g, int paths)
    {
        int n = Particles;
        g[..(2 * n * paths)].Fill(Math.Sqrt(2 * TranslationalDiffusion));
        g.Slice(2 * n * paths, n * paths).Fill(Math.Sqrt(2 * RotationalDiffusion));
    }
}
