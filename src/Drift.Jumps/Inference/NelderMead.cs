namespace Drift.Jumps.Inference;

/// <summary>
/// Minimises f: ℝⁿ → ℝ ∪ {+∞} by the Nelder–Mead simplex method (Nelder &amp; Mead 1965) with the standard
/// coefficients (reflection 1, expansion 2, contraction ½, shrink ½), from the simplex x₀, x₀ + δeᵢ, restarted once
/// from the best vertex after convergence (the spread of f below the tolerance and every vertex within 10⁻⁴ of the
/// best in every coordinate) (a restart guards against a collapsed simplex; Lagarias et al. 1998).
/// </summary>
internal static class NelderMead
{
    public static (double[] X, double F, int Evaluations, bool Converged) Minimise(Func<double[], double> f, double[] start, double step, double tolerance, int maxEvaluations)
    {
        int evaluations = 0;
        var (x, fx, converged) = Run(f, start, step, tolerance, maxEvaluations, ref evaluations);
        if (converged)
        {
            var (x2, f2, c2) = Run(f, x, step / 10, tolerance, maxEvaluations, ref evaluations);
            if (f2 <= fx) (x, fx) = (x2, f2);
            converged = c2;
        }
        return (x, fx, evaluations, converged);
    }

    private static (double[] X, double F, bool Converged) Run(Func<double[], double> f, double[] start, double step, double tolerance, int maxEvaluations, ref int evaluations)
    {
        int n = start.Length;
        var points = new double[n + 1][];
        var values = new double[n + 1];
        for (int i = 0; i <= n; i++)
        {
            points[i] = (double[])start.Clone();
            if (i > 0) points[i][i - 1] += step;
            values[i] = Evaluate(f, points[i], ref evaluations);
        }
        var order = new int[n + 1];
        var centroid = new double[n];
        while (true)
        {
            for (int i = 0; i <= n; i++) order[i] = i;
            Array.Sort(order, (a, b) => values[a].CompareTo(values[b]));
            int best = order[0], worst = order[n], second = order[n - 1];
            double spread = values[worst] - values[best];
            double size = 0;
            for (int i = 0; i <= n; i++)
                for (int k = 0; k < n; k++) size = Math.Max(size, Math.Abs(points[i][k] - points[best][k]));
            if (double.IsFinite(values[best]) && spread <= tolerance && size <= 1e-4) return (points[best], values[best], true);
            if (evaluations >= maxEvaluations) return (points[best], values[best], false);
            Array.Clear(centroid);
            for (int i = 0; i <= n; i++)
                if (i != worst)
                    for (int k = 0; k < n; k++) centroid[k] += points[i][k] / n;
            var reflected = Along(centroid, points[worst], -1);
            double fr = Evaluate(f, reflected, ref evaluations);
            if (fr < values[best])
            {
                var expanded = Along(centroid, points[worst], -2);
                double fe = Evaluate(f, expanded, ref evaluations);
                if (fe < fr) Replace(worst, expanded, fe);
                else Replace(worst, reflected, fr);
                continue;
            }
            if (fr < values[second])
            {
                Replace(worst, reflected, fr);
                continue;
            }
            bool outside = fr < values[worst];
            var contracted = Along(centroid, outside ? reflected : points[worst], 0.5);
            double fc = Evaluate(f, contracted, ref evaluations);
            if (fc < (outside ? fr : values[worst]))
            {
                Replace(worst, contracted, fc);
                continue;
            }
            for (int i = 0; i <= n; i++)
            {
                if (i == best) continue;
                for (int k = 0; k < n; k++) points[i][k] = points[best][k] + 0.5 * (points[i][k] - points[best][k]);
                values[i] = Evaluate(f, points[i], ref evaluations);
            }
        }

        void Replace(int i, double[] point, double value)
        {
            points[i] = point;
            values[i] = value;
        }
    }

    /// <summary>centroid + α·(point − centroid).</summary>
    private static double[] Along(double[] centroid, double[] point, double alpha)
    {
        var r = new double[centroid.Length];
        for (int k = 0; k < r.Length; k++) r[k] = centroid[k] + alpha * (point[k] - centroid[k]);
        return r;
    }

    private static double Evaluate(Func<double[], double> f, double[] x, ref int evaluations)
    {
        evaluations++;
        double v = f(x);
        return double.IsNaN(v) ? double.PositiveInfinity : v;
    }
}
