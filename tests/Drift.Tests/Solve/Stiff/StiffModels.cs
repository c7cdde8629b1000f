using Drift.Solve;
using Drift.Solve.Adaptive;

namespace Drift.Tests.Solve.Stiff;

/// <summary>Robertson's chemical kinetics (Robertson 1966; Hairer &amp; Wanner II §IV.1), with its analytic Jacobian.</summary>
internal readonly struct Robertson : IDrift, IJacobian
{
    public int Dimension => 3;

    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        double a = x[0], b = x[1], c = x[2];
        dx[0] = -0.04 * a + 1e4 * b * c;
        dx[1] = 0.04 * a - 1e4 * b * c - 3e7 * b * b;
        dx[2] = 3e7 * b * b;
    }

    public void Jacobian(double t, ReadOnlySpan<double> x, Span<double> j)
    {
        double b = x[1], c = x[2];
        j[0] = -0.04; j[1] = 1e4 * c; j[2] = 1e4 * b;
        j[3] = 0.04; j[4] = -1e4 * c - 6e7 * b; j[5] = -1e4 * b;
        j[6] = 0; j[7] = 6e7 * b; j[8] = 0;
    }
}

/// <summary>Robertson without a Jacobian, so the solver differentiates numerically.</summary>
internal readonly struct RobertsonNoJacobian : IDrift
{
    public int Dimension => 3;
    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths) => default(Robertson).Evaluate(t, x, dx, paths);
}

/// <summary>Van der Pol y'' − μ(1 − y²)y' + y = 0 as y₁' = y₂, y₂' = μ(1 − y₁²)y₂ − y₁.</summary>
internal readonly struct VanDerPol(double mu) : IDrift, IJacobian
{
    public int Dimension => 2;

    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        dx[0] = x[1];
        dx[1] = mu * (1 - x[0] * x[0]) * x[1] - x[0];
    }

    public void Jacobian(double t, ReadOnlySpan<double> x, Span<double> j)
    {
        j[0] = 0; j[1] = 1;
        j[2] = -2 * mu * x[0] * x[1] - 1; j[3] = mu * (1 - x[0] * x[0]);
    }
}

/// <summary>Prothero–Robinson y' = λ(y − sin t) + cos t, solved by y = sin t from y(0) = 0 for every λ.</summary>
internal readonly struct ProtheroRobinson(double lambda) : IDrift
{
    public int Dimension => 1;
    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths) => dx[0] = lambda * (x[0] - Math.Sin(t)) + Math.Cos(t);
}

/// <summary>y' = A y with A = [[998, 1998], [−999, −1999]] (eigenvalues −1 and −1000): y = (2e^{−t} − e^{−1000t}, −e^{−t} + e^{−1000t}) from (1, 0).</summary>
internal readonly struct StiffLinear : IDrift, IJacobian
{
    public int Dimension => 2;

    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        dx[0] = 998 * x[0] + 1998 * x[1];
        dx[1] = -999 * x[0] - 1999 * x[1];
    }

    public void Jacobian(double t, ReadOnlySpan<double> x, Span<double> j)
    {
        j[0] = 998; j[1] = 1998; j[2] = -999; j[3] = -1999;
    }

    public static double[] Exact(double t) => [2 * Math.Exp(-t) - Math.Exp(-1000 * t), -Math.Exp(-t) + Math.Exp(-1000 * t)];
}

/// <summary>
/// Kaps' problem y₁′ = −(μ + 2)y₁ + μy₂², y₂′ = y₁ − y₂ − y₂², exact y = (e^{−2t}, e^{−t}) from (1, 1) for every μ:
/// nonlinear, stiff for large μ.
/// </summary>
internal readonly struct Kaps(double mu) : IDrift, IJacobian
{
    public int Dimension => 2;

    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
    {
        dx[0] = -(mu + 2) * x[0] + mu * x[1] * x[1];
        dx[1] = x[0] - x[1] - x[1] * x[1];
    }

    public void Jacobian(double t, ReadOnlySpan<double> x, Span<double> j)
    {
        j[0] = -(mu + 2); j[1] = 2 * mu * x[1]; j[2] = 1; j[3] = -1 - 2 * x[1];
    }
}

/// <summary>A drift whose Jacobian is NaN: the iteration matrix can never be factored.</summary>
internal readonly struct BrokenJacobian : IDrift, IJacobian
{
    public int Dimension => 2;
    public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths) { dx[0] = -x[0]; dx[1] = -x[1]; }
    public void Jacobian(double t, ReadOnlySpan<double> x, Span<double> j) { j.Clear(); j[3] = double.NaN; }
}

/// <summary>Options of the stiff tests: tolerances, save times or every step, and a generous step limit.</summary>
internal static class StiffOptions
{
    public static AdaptiveOptions Tol(double rtol, double atol, IReadOnlyList<double>? save = null, bool steps = false) => new()
    {
        Controller = new PidController { RelativeTolerance = rtol, AbsoluteTolerance = atol, MaxSteps = 1_000_000 },
        SaveTimes = save,
        SaveSteps = steps,
    };
}
