namespace Drift.Learning.Optimisers;

/// <summary>A learning rate as a function of the (0-based) step number.</summary>
public abstract record LearningRateSchedule
{
    /// <summary>The rate for step <paramref name="step"/> (the first update is step 0).</summary>
    public abstract double Rate(long step);

    /// <summary>η for every step.</summary>
    public static LearningRateSchedule Constant(double rate) => new ConstantSchedule(Check(rate));

    /// <summary>η·(s + 1)/w for the first w steps, then <paramref name="after"/> (shifted by w) or η.</summary>
    public static LearningRateSchedule LinearWarmup(double rate, long warmupSteps, LearningRateSchedule? after = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        return new WarmupSchedule(Check(rate), warmupSteps, after ?? Constant(rate));
    }

    /// <summary>
    /// Cosine decay from η to η_min over <paramref name="totalSteps"/>: η_min + ½(η − η_min)(1 + cos(π s/S)),
    /// then η_min; with an optional linear warm-up of w steps first (the cosine then runs over S − w).
    /// </summary>
    public static LearningRateSchedule Cosine(double rate, long totalSteps, double minimum = 0, long warmupSteps = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(totalSteps);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        if (warmupSteps >= totalSteps) throw new ArgumentOutOfRangeException(nameof(warmupSteps), warmupSteps, "The warm-up must be shorter than the schedule.");
        var cosine = new CosineSchedule(Check(rate), totalSteps - warmupSteps, Check(minimum));
        return warmupSteps == 0 ? cosine : new WarmupSchedule(rate, warmupSteps, cosine);
    }

    /// <summary>η·γ^⌊s/k⌋: multiply by γ every k steps (PyTorch's StepLR).</summary>
    public static LearningRateSchedule Step(double rate, long stepSize, double gamma)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(stepSize);
        if (!(gamma > 0)) throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be positive.");
        return new StepSchedule(Check(rate), stepSize, gamma);
    }

    static double Check(double rate) =>
        rate >= 0 && double.IsFinite(rate) ? rate : throw new ArgumentOutOfRangeException(nameof(rate), rate, "A learning rate must be finite and non-negative.");

    sealed record ConstantSchedule(double Value) : LearningRateSchedule
    {
        public override double Rate(long step) => Value;
    }

    sealed record WarmupSchedule(double Value, long Warmup, LearningRateSchedule After) : LearningRateSchedule
    {
        public override double Rate(long step) => step < Warmup ? Value * (step + 1) / Warmup : After.Rate(step - Warmup);
    }

    sealed record CosineSchedule(double Value, long Steps, double Minimum) : LearningRateSchedule
    {
        public override double Rate(long step) =>
            step >= Steps ? Minimum : Minimum + 0.5 * (Value - Minimum) * (1 + Math.Cos(Math.PI * step / Steps));
    }

    sealed record StepSchedule(double Value, long Size, double Gamma) : LearningRateSchedule
    {
        public override double Rate(long step) => Value * Math.Pow(Gamma, step / Size);
    }
}
