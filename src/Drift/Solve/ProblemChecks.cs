namespace Drift.Solve;

internal static class ProblemChecks
{
    public static void Validate(int dimension, double[] initialState, double t0, double t1)
    {
        if (dimension < 1) throw new ArgumentException($"state dimension must be at least 1, got {dimension}.");
        if (initialState.Length != dimension)
            throw new ArgumentException($"initial state has {initialState.Length} values but the system has dimension {dimension}.", nameof(initialState));
        for (int i = 0; i < initialState.Length; i++)
            if (!double.IsFinite(initialState[i]))
                throw new ArgumentException($"initial state component {i} is {initialState[i]}; it must be finite.", nameof(initialState));
        if (!double.IsFinite(t0) || !double.IsFinite(t1))
            throw new ArgumentException($"times must be finite, got t0 = {t0}, t1 = {t1}.");
        if (!(t1 > t0)) throw new ArgumentException($"t1 = {t1} must exceed t0 = {t0}.", nameof(t1));
    }
}
