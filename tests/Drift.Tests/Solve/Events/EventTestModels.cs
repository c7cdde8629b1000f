using Drift.Solve;
using Drift.Solve.Events;

namespace Drift.Tests.Solve.Events;

/// <summary>A ball under gravity: x' = v, v' = −g (x the height); the solution is a parabola between impacts.</summary>
internal readonly struct FallingBall(double gravity) : IDrift
{
    public int Dimension => 2;

    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        for (int p = 0; p < paths; p++)
        {
            dx[p] = x[paths + p];
            dx[paths + p] = -gravity;
        }
    }
}

/// <summary>x' = λx, component by component.</summary>
internal readonly struct LinearDecay(double lambda, int dimension = 1) : IDrift
{
    public int Dimension => dimension;

    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        for (int j = 0; j < x.Length; j++) dx[j] = lambda * x[j];
    }
}

/// <summary>The harmonic oscillator x' = y, y' = −x (x = sin t, y = cos t from (0, 1)).</summary>
internal readonly struct Oscillator : IDrift
{
    public int Dimension => 2;

    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        for (int p = 0; p < paths; p++)
        {
            dx[p] = x[paths + p];
            dx[paths + p] = -x[p];
        }
    }
}

/// <summary>g(t, x) = x_component − level.</summary>
internal readonly struct Level(int component, double level) : IEventFunction
{
    public int Count => 1;

    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> g) => g[0] = x[component] - level;
}

/// <summary>g = (x₀, x₁): both components of the state.</summary>
internal readonly struct BothComponents : IEventFunction
{
    public int Count => 2;

    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> g)
    {
        g[0] = x[0];
        g[1] = x[1];
    }
}
