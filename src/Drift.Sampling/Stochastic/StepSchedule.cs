namespace Drift.Sampling.Stochastic;

/// <summary>
/// The step size ε_t of stochastic-gradient MCMC at iteration t = 0, 1, …, and whether iteration t explores
/// (optimises without injected noise) or samples. Made by <see cref="Constant"/>, <see cref="Polynomial"/> and
/// <see cref="Cyclical"/>.
/// </summary>
public abstract class StepSchedule
{
    private protected StepSchedule()
    {
    }

    /// <summary>ε_t (positive).</summary>
    public abstract double StepSize(long iteration);

    /// <summary>True when iteration t belongs to an exploration stage: the update then injects no noise (SGD, or SGD
    /// with momentum for SGHMC) and its state is never kept as a draw. False for every iteration of a constant or
    /// polynomial schedule.</summary>
    public virtual bool IsExploring(long iteration) => false;

    private static void CheckPositive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be finite and positive.");
    }

    /// <summary>ε_t = ε for every t.</summary>
    /// <exception cref="ArgumentOutOfRangeException">When ε is not finite and positive.</exception>
    public static StepSchedule Constant(double stepSize)
    {
        CheckPositive(stepSize, nameof(stepSize));
        return new ConstantSchedule(stepSize);
    }

    /// <summary>
    /// Welling &amp; Teh's (2011) decreasing schedule ε_t = a (b + t)^{−γ}; γ ∈ (0.5, 1] satisfies Robbins–Monro
    /// (Σ ε_t = ∞, Σ ε_t² &lt; ∞).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">When a or b is not finite and positive, or γ is outside [0, 1].</exception>
    public static StepSchedule Polynomial(double a, double b, double gamma)
    {
        CheckPositive(a, nameof(a));
        CheckPositive(b, nameof(b));
        if (!(gamma >= 0 && gamma <= 1)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must lie in [0, 1] (Welling & Teh use (0.5, 1]).");
        return new PolynomialSchedule(a, b, gamma);
    }

    /// <summary>
    /// The cyclical cosine schedule of Zhang, Li, Zhang, Chen &amp; Wilson (2020, "Cyclical stochastic gradient MCMC for
    /// Bayesian deep learning", eq. (1)): with K iterations in M cycles of length L = ⌈K/M⌉ and r(t) = (t mod L)/L,
    /// ε_t = (ε₀/2)(cos(π r(t)) + 1). An iteration with r(t) &lt; β explores (the paper's exploration stage, plain
    /// optimisation); the rest of each cycle samples.
    /// </summary>
    /// <param name="initialStepSize">ε₀, the step at the start of each cycle.</param>
    /// <param name="iterations">K, the run's total number of iterations.</param>
    /// <param name="cycles">M ≥ 1.</param>
    /// <param name="explorationFraction">β ∈ [0, 1): the exploration share of each cycle.</param>
    /// <exception cref="ArgumentOutOfRangeException">When a value is outside its range.</exception>
    public static StepSchedule Cyclical(double initialStepSize, long iterations, int cycles, double explorationFraction)
    {
        CheckPositive(initialStepSize, nameof(initialStepSize));
        if (cycles < 1) throw new ArgumentOutOfRangeException(nameof(cycles), cycles, "at least one cycle is needed.");
        if (iterations < cycles) throw new ArgumentOutOfRangeException(nameof(iterations), iterations, $"iterations must be at least the number of cycles ({cycles}).");
        if (!(explorationFraction >= 0 && explorationFraction < 1)) throw new ArgumentOutOfRangeException(nameof(explorationFraction), explorationFraction, "the exploration fraction must lie in [0, 1).");
        return new CyclicalSchedule(initialStepSize, (iterations + cycles - 1) / cycles, explorationFraction);
    }

    private sealed class ConstantSchedule(double epsilon) : StepSchedule
    {
        public override double StepSize(long iteration) => epsilon;
        public override string ToString() => $"constant({epsilon})";
    }

    private sealed class PolynomialSchedule(double a, double b, double gamma) : StepSchedule
    {
        public override double StepSize(long iteration) => a * Math.Pow(b + iteration, -gamma);
        public override string ToString() => $"polynomial({a}, {b}, {gamma})";
    }

    private sealed class CyclicalSchedule(double epsilon0, long cycleLength, double beta) : StepSchedule
    {
        private double Position(long iteration) => (double)(iteration % cycleLength) / cycleLength;

        // At r → 1 the cosine step tends to 0; ε stays positive because r ≤ 1 − 1/L.
        public override double StepSize(long iteration) => 0.5 * epsilon0 * (Math.Cos(Math.PI * Position(iteration)) + 1);

        public override bool IsExploring(long iteration) => Position(iteration) < beta;

        public override string ToString() => $"cyclical({epsilon0}, L = {cycleLength}, beta = {beta})";
    }
}
