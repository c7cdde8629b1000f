namespace Drift.Transport;

/// <summary>Input validation that names the parameter and the offending value.</summary>
internal static class Guard
{
    public static void PositiveFinite(double x, string name)
    {
        if (!(x > 0) || double.IsInfinity(x))
            throw new ArgumentException($"{name} must be positive and finite, got {x}.", name);
    }

    public static void Positive(int x, string name)
    {
        if (x <= 0) throw new ArgumentException($"{name} must be positive, got {x}.", name);
    }

    /// <summary>Checks that every weight is finite and non-negative and that the total is positive; returns the total.</summary>
    public static double Weights(ReadOnlySpan<double> w, string name)
    {
        if (w.Length == 0) throw new ArgumentException($"{name} must not be empty.", name);
        double sum = 0;
        for (int i = 0; i < w.Length; i++)
        {
            double x = w[i];
            if (!double.IsFinite(x) || x < 0)
                throw new ArgumentException($"{name}[{i}] = {x}: weights must be finite and non-negative.", name);
            sum += x;
        }
        if (!(sum > 0)) throw new ArgumentException($"{name} has total mass {sum}; it must be positive.", name);
        return sum;
    }

    /// <summary>Validates a, b against the cost shape and equal total mass; returns the common mass.</summary>
    public static double Balanced(ReadOnlySpan<double> a, ReadOnlySpan<double> b, CostMatrix cost)
    {
        double ma = Shape(a, b, cost);
        double mb = Weights(b, nameof(b));
        if (Math.Abs(ma - mb) > 1e-9 * Math.Max(ma, mb))
            throw new ArgumentException($"b has total mass {mb:R} but a has {ma:R}; balanced transport needs equal masses (relative tolerance 1e-9).", nameof(b));
        return ma;
    }

    /// <summary>Validates the lengths of a and b against the cost matrix and the weights of a; returns the mass of a.</summary>
    public static double Shape(ReadOnlySpan<double> a, ReadOnlySpan<double> b, CostMatrix cost)
    {
        ArgumentNullException.ThrowIfNull(cost);
        if (a.Length != cost.Rows)
            throw new ArgumentException($"a has length {a.Length} but the cost matrix has {cost.Rows} rows.", nameof(a));
        if (b.Length != cost.Columns)
            throw new ArgumentException($"b has length {b.Length} but the cost matrix has {cost.Columns} columns.", nameof(b));
        return Weights(a, nameof(a));
    }
}
