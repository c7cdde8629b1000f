using Drift.Solve;

namespace Drift.Tests.Solve.Implicit;

/// <summary>dX = λX dt + μX dW, optionally with its analytic Jacobian (tests only).</summary>
internal readonly struct LinearSde(double lambda, double mu) : IDrift, IDiffusion
{
    public int Dimension => 1;
    public int NoiseDimension => 1;
    public NoiseKind Noise => NoiseKind.Scalar;

    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        for (int p = 0; p < paths; p++) dx[p] = lambda * x[p];
    }

    void IDiffusion.Evaluate(double t, ReadOnlySpan<double> x, Span<double> g, int paths)
    {
        for (int p = 0; p < paths; p++) g[p] = mu * x[p];
    }
}

/// <summary>The same SDE as <see cref="LinearSde"/>, with J = λ given analytically.</summary>
internal readonly struct LinearSdeWithJacobian(double lambda, double mu) : IDrift, IDiffusion, IJacobian
{
    private readonly LinearSde _sde = new(lambda, mu);
    public int Dimension => 1;
    public int NoiseDimension => 1;
    public NoiseKind Noise => NoiseKind.Scalar;
    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths) => _sde.Evaluate(t, x, dx, paths);
    void IDiffusion.Evaluate(double t, ReadOnlySpan<double> x, Span<double> g, int paths) => ((IDiffusion)_sde).Evaluate(t, x, g, paths);
    public void Jacobian(double t, ReadOnlySpan<double> x, Span<double> jacobian) => jacobian[0] = lambda;
}

/// <summary>
/// A stiff 2-D system with additive noise: a slow nonlinear mode x' = −x + sin(y) and a fast one y' = −k(y − x)
/// (eigenvalues ≈ −1 and −k), noise σ on both components (two independent Brownian motions).
/// </summary>
internal readonly struct StiffPair(double k, double sigma) : IDrift, IDiffusion
{
    public int Dimension => 2;
    public int NoiseDimension => 2;
    public NoiseKind Noise => NoiseKind.Additive;

    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        for (int p = 0; p < paths; p++)
        {
            double a = x[p], b = x[paths + p];
            dx[p] = -a + Math.Sin(b);
            dx[paths + p] = -k * (b - a);
        }
    }

    void IDiffusion.Evaluate(double t, ReadOnlySpan<double> x, Span<double> g, int paths)
    {
        // Additive layout: element (i, j) in row i·m + j.
        g[..(4 * paths)].Clear();
        g.Slice(0, paths).Fill(sigma);
        g.Slice(3 * paths, paths).Fill(sigma);
    }
}

/// <summary>dX = X² dt (no noise): the implicit equation y = r + h y² has no real root once 4hr &gt; 1.</summary>
internal readonly struct Riccati : IDrift, IDiffusion
{
    public int Dimension => 1;
    public int NoiseDimension => 1;
    public NoiseKind Noise => NoiseKind.Additive;

    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        for (int p = 0; p < paths; p++) dx[p] = x[p] * x[p];
    }

    void IDiffusion.Evaluate(double t, ReadOnlySpan<double> x, Span<double> g, int paths) => g[..paths].Clear();
}
