namespace Drift.Analysis;

/// <summary>
/// Lyapunov exponents λ₁ ≥ … ≥ λ_k (per unit time) averaged over independent trajectories, with standard
/// errors and 95 % Student-t confidence intervals across trajectories.
/// </summary>
public sealed class LyapunovSpectrum
{
    internal LyapunovSpectrum(double[][] perTrajectory, int dimension, double time, long steps)
    {
        PerTrajectory = perTrajectory;
        int k = perTrajectory[0].Length, n = perTrajectory.Length;
        var mean = new double[k];
        var se = new double[k];
        for (int i = 0; i < k; i++)
        {
            double m = 0;
            for (int r = 0; r < n; r++) m += perTrajectory[r][i];
            m /= n;
            double ss = 0;
            for (int r = 0; r < n; r++) ss += (perTrajectory[r][i] - m) * (perTrajectory[r][i] - m);
            mean[i] = m;
            se[i] = Math.Sqrt(ss / (n - 1) / n);
        }
        Exponents = mean;
        StandardErrors = se;
        Dimension = dimension;
        Time = time;
        Steps = steps;
        var ky = new double[n];
        for (int r = 0; r < n; r++) ky[r] = KaplanYorke(perTrajectory[r], dimension);
        double kyMean = ky.Average();
        KaplanYorkeDimension = KaplanYorke(mean, dimension);
        KaplanYorkeStandardError = Math.Sqrt(ky.Sum(v => (v - kyMean) * (v - kyMean)) / (n - 1) / n);
        double sumMean = perTrajectory.Average(row => row.Sum());
        Sum = sumMean;
        SumStandardError = Math.Sqrt(perTrajectory.Sum(row => (row.Sum() - sumMean) * (row.Sum() - sumMean)) / (n - 1) / n);
    }

    /// <summary>Mean exponents over trajectories, largest first.</summary>
    public IReadOnlyList<double> Exponents { get; }
    /// <summary>Standard error of each mean exponent across trajectories.</summary>
    public IReadOnlyList<double> StandardErrors { get; }
    /// <summary>Each trajectory's exponents (row per trajectory).</summary>
    public IReadOnlyList<IReadOnlyList<double>> PerTrajectory { get; }
    /// <summary>The maximal exponent λ₁.</summary>
    public double Maximal => Exponents[0];
    /// <summary>Σ λ_i over the computed exponents, averaged over trajectories (for all d exponents it is the mean phase-space contraction rate, the time average of div f).</summary>
    public double Sum { get; }
    /// <summary>Standard error of <see cref="Sum"/>.</summary>
    public double SumStandardError { get; }
    /// <summary>
    /// Kaplan–Yorke dimension D = j + (λ₁ + … + λ_j)/|λ_{j+1}| of the mean spectrum, j the largest index with a non-negative
    /// partial sum (D = 0 when λ₁ &lt; 0; the number of computed exponents when every partial sum is non-negative).
    /// </summary>
    public double KaplanYorkeDimension { get; }
    /// <summary>Standard error of the Kaplan–Yorke dimension across trajectories.</summary>
    public double KaplanYorkeStandardError { get; }
    /// <summary>State dimension d.</summary>
    public int Dimension { get; }
    /// <summary>Measurement time per trajectory.</summary>
    public double Time { get; }
    /// <summary>Steps per trajectory, transient included.</summary>
    public long Steps { get; }
    /// <summary>Trajectories averaged.</summary>
    public int Trajectories => PerTrajectory.Count;

    /// <summary>Half-width of the 95 % confidence interval of exponent i: t₀.₉₇₅,ₙ₋₁ · standard error.</summary>
    public double ConfidenceHalfWidth(int i) => StudentT975(Trajectories - 1) * StandardErrors[i];

    /// <summary>The Kaplan–Yorke dimension of a spectrum (sorted in place of a copy, largest first).</summary>
    public static double KaplanYorke(IReadOnlyList<double> exponents, int dimension)
    {
        ArgumentNullException.ThrowIfNull(exponents);
        var l = exponents.OrderDescending().ToArray();
        if (l.Length == 0 || l[0] < 0) return 0;
        double partial = 0;
        for (int j = 0; j < l.Length; j++)
        {
            if (partial + l[j] < 0) return j + partial / Math.Abs(l[j]);
            partial += l[j];
        }
        return Math.Min(l.Length, dimension);
    }

    /// <summary>The 0.975 quantile of Student's t with ν degrees of freedom (exact table to ν = 30, then Cornish–Fisher).</summary>
    public static double StudentT975(int nu)
    {
        ReadOnlySpan<double> table =
        [
            12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
            2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
        ];
        if (nu < 1) throw new ArgumentOutOfRangeException(nameof(nu), nu, "degrees of freedom must be at least 1.");
        if (nu <= table.Length) return table[nu - 1];
        const double z = 1.959963984540054;
        double z3 = z * z * z, z5 = z3 * z * z;
        return z + (z3 + z) / (4 * nu) + (5 * z5 + 16 * z3 + 3 * z) / (96.0 * nu * nu);
    }
}
