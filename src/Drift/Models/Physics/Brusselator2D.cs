using Drift.Numerics;
using Drift.Solve;

namespace Drift.Models.Physics;

/// <summary>
/// The two-dimensional Brusselator reaction–diffusion system on the unit square with periodic boundaries, as in the
/// DifferentialEquations.jl and SUNDIALS stiff benchmarks (Hairer &amp; Wanner II §IV.10):
/// ∂u/∂t = 1 + u²v − 4.4u + α∇²u + F(x, y, t),  ∂v/∂t = 3.4u − u²v + α∇²v,  α = 10,
/// F = 5 when (x − 0.3)² + (y − 0.6)² ≤ 0.1² and t ≥ 1.1, else 0;
/// u(x, y, 0) = 22(y(1 − y))^{3/2}, v(x, y, 0) = 27(x(1 − x))^{3/2}.
/// Discretised on the N × N grid xᵢ = i/(N − 1), yⱼ = j/(N − 1) (i, j = 0 … N − 1) with the five-point Laplacian
/// α(u_{i−1,j} + u_{i+1,j} + u_{i,j−1} + u_{i,j+1} − 4u_{i,j})/Δx², Δx = 1/(N − 1), indices wrapped periodically
/// (0 − 1 → N − 1, N − 1 + 1 → 0). State layout (d = 2N²): u_{i,j} at i + N·j, v_{i,j} at N² + i + N·j, so the
/// natural ordering has bandwidth N² (the u–v coupling) and the periodic wrap widens it further: the Jacobian's
/// pattern (<see cref="Sparsity"/>) has 6 entries a row, and reverse Cuthill–McKee narrows its band to about 4N.
/// The Laplacian's eigenvalues reach −8α/Δx² (−76 880 at N = 32): stiff. N = 32 (2048 unknowns) is the benchmark size.
/// </summary>
/// <param name="n">Grid points per side N ≥ 3.</param>
public readonly struct Brusselator2D(int n) : IDrift
{
    /// <summary>Diffusion coefficient α.</summary>
    public const double Alpha = 10.0;

    /// <summary>N, grid points per side.</summary>
    public int N { get; } = n >= 3 ? n : throw new ArgumentOutOfRangeException(nameof(n), n, "the grid needs at least 3 points per side.");

    /// <summary>d = 2N².</summary>
    public int Dimension => 2 * N * N;

    /// <summary>The initial state u(x, y, 0) = 22(y(1 − y))^{3/2}, v(x, y, 0) = 27(x(1 − x))^{3/2} on the grid.</summary>
    public double[] InitialState()
    {
        int m = N, sq = m * m;
        var x0 = new double[2 * sq];
        for (int j = 0; j < m; j++)
            for (int i = 0; i < m; i++)
            {
                double x = (double)i / (m - 1), y = (double)j / (m - 1);
                x0[i + m * j] = 22 * Math.Pow(y * (1 - y), 1.5);
                x0[sq + i + m * j] = 27 * Math.Pow(x * (1 - x), 1.5);
            }
        return x0;
    }

    /// <summary>The Jacobian's sparsity pattern: each uᵢⱼ and vᵢⱼ row couples to its four periodic neighbours, itself and the other species at the same point.</summary>
    public SparsityPattern Sparsity()
    {
        int m = N, sq = m * m;
        var entries = new List<(int, int)>(12 * sq);
        for (int j = 0; j < m; j++)
            for (int i = 0; i < m; i++)
            {
                int p = i + m * j;
                int[] stencil = [p, Wrap(i - 1) + m * j, Wrap(i + 1) + m * j, i + m * Wrap(j - 1), i + m * Wrap(j + 1)];
                foreach (int q in stencil) { entries.Add((p, q)); entries.Add((sq + p, sq + q)); }
                entries.Add((p, sq + p));
                entries.Add((sq + p, p));
            }
        return SparsityPattern.FromEntries(2 * sq, entries);
    }

    private int Wrap(int i) => i < 0 ? N - 1 : i >= N ? 0 : i;

    /// <summary>Writes the right-hand side for every path (component-major rows).</summary>
    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        int m = N, sq = m * m;
        double h = 1.0 / (m - 1), c = Alpha / (h * h);
        for (int p = 0; p < paths; p++)
            for (int j = 0; j < m; j++)
            {
                int jm = Wrap(j - 1), jp = Wrap(j + 1);
                double y = j * h;
                for (int i = 0; i < m; i++)
                {
                    int im = Wrap(i - 1), ip = Wrap(i + 1);
                    int k = i + m * j;
                    double u = x[k * paths + p], v = x[(sq + k) * paths + p];
                    double lu = x[(im + m * j) * paths + p] + x[(ip + m * j) * paths + p] + x[(i + m * jm) * paths + p] + x[(i + m * jp) * paths + p] - 4 * u;
                    double lv = x[(sq + im + m * j) * paths + p] + x[(sq + ip + m * j) * paths + p] + x[(sq + i + m * jm) * paths + p] + x[(sq + i + m * jp) * paths + p] - 4 * v;
                    double xi = i * h;
                    double forcing = t >= 1.1 && (xi - 0.3) * (xi - 0.3) + (y - 0.6) * (y - 0.6) <= 0.1 * 0.1 ? 5.0 : 0.0;
                    double uuv = u * u * v;
                    dx[k * paths + p] = 1 + uuv - 4.4 * u + c * lu + forcing;
                    dx[(sq + k) * paths + p] = 3.4 * u - uuv + c * lv;
                }
            }
    }
}
