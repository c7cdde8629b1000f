using Drift.Solve;

namespace Drift.Tests.Solve;

/// <summary>A one-dimensional SDE given by scalar functions, evaluated path by path (tests only).</summary>
internal readonly struct ScalarSde(Func<double, double, double> drift, Func<double, double, double> diffusion, NoiseKind kind = NoiseKind.Scalar, bool timeIndependent = false) : IDrift, IDiffusion
{
    public int Dimension => 1;
    public bool TimeIndependent => timeIndependent;
    public int NoiseDimension => 1;
    public NoiseKind Noise => kind;

    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        for (int p = 0; p < paths; p++) dx[p] = drift(t, x[p]);
    }

    void IDiffusion.Evaluate(double t, ReadOnlySpan<double> x, Span<double> g, int paths)
    {
        for (int p = 0; p < paths; p++) g[p] = diffusion(t, x[p]);
    }
}

/// <summary>The rotation x' = −y, y' = x, solved by (cos t, sin t) from (1, 0).</summary>
internal readonly struct Rotation : IDrift
{
    public int Dimension => 2;

    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        for (int p = 0; p < paths; p++)
        {
            dx[p] = -x[paths + p];
            dx[paths + p] = x[p];
        }
    }
}

/// <summary>A blow-up: dx/dt = x², infinite at t = 1/x0.</summary>
internal readonly struct Quadratic : IDrift, IDiffusion
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
