namespace Drift.Solve.Ode;

/// <summary>A fixed-step explicit ODE solver advancing a batch of paths by one step.</summary>
public interface IOdeSolver : IOdeMethod
{
    /// <summary>Right-hand side evaluations per step.</summary>
    int EvaluationsPerStep { get; }

    /// <summary>Advances <paramref name="x"/> (d rows of <paramref name="paths"/>) from t to t + h in place.</summary>
    void Step<TDrift>(ref TDrift f, SolverScratch scratch, double t, double h, Span<double> x, int paths)
        where TDrift : struct, IDrift;
}
