using Drift.Learning.Optimisers;

namespace Drift.Learning.Tests.Optimisers;

public class LearningRateScheduleTests
{
    const double Eta = 3e-3;

    static void Close(double expected, double actual, string what) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-15 * Math.Abs(expected), $"{what}: expected {expected:R}, got {actual:R}");

    static double CosineFormula(double eta, double min, long s, long steps) => min + 0.5 * (eta - min) * (1 + Math.Cos(Math.PI * s / steps));

    [Fact]
    public void Constant_gives_the_rate_at_every_step()
    {
        var s = LearningRateSchedule.Constant(Eta);
        foreach (long step in new long[] { 0, 1, 17, 1_000_000 }) Assert.Equal(Eta, s.Rate(step));
    }

    [Fact]
    public void LinearWarmup_rises_as_eta_times_s_plus_one_over_w_then_hands_over_shifted_by_w()
    {
        const long w = 8;
        var plain = LearningRateSchedule.LinearWarmup(Eta, w);
        for (long s = 0; s < w; s++) Close(Eta * (s + 1) / w, plain.Rate(s), $"warm-up step {s}");
        Assert.Equal(Eta, plain.Rate(w - 1));
        for (long s = w; s < w + 5; s++) Assert.Equal(Eta, plain.Rate(s));

        var then = LearningRateSchedule.LinearWarmup(Eta, w, LearningRateSchedule.Step(Eta, 3, 0.5));
        for (long s = 0; s < 12; s++) Close(Eta * Math.Pow(0.5, s / 3), then.Rate(w + s), $"after warm-up, step {s}");
    }

    [Theory]
    [InlineData(100, 0.0)]
    [InlineData(64, 1e-4)]
    public void Cosine_runs_from_eta_to_the_minimum_through_the_half_way_value_monotonically(long total, double minimum)
    {
        var s = LearningRateSchedule.Cosine(Eta, total, minimum);
        Assert.Equal(Eta, s.Rate(0));
        Close(minimum + (Eta - minimum) / 2, s.Rate(total / 2), "midpoint");
        Assert.Equal(minimum, s.Rate(total));
        Assert.Equal(minimum, s.Rate(total + 7));
        for (long k = 0; k <= total; k++)
        {
            if (k < total) Close(CosineFormula(Eta, minimum, k, total), s.Rate(k), $"step {k}");
            if (k > 0) Assert.True(s.Rate(k) <= s.Rate(k - 1), $"rate rose at step {k}");
        }
    }

    [Fact]
    public void Cosine_with_warm_up_rises_linearly_to_eta_then_follows_the_cosine_over_the_remaining_steps()
    {
        const long total = 50, w = 10;
        const double min = 2e-4;
        var s = LearningRateSchedule.Cosine(Eta, total, min, warmupSteps: w);
        for (long k = 0; k < w; k++)
        {
            Close(Eta * (k + 1) / w, s.Rate(k), $"warm-up step {k}");
            if (k > 0) Assert.True(s.Rate(k) > s.Rate(k - 1));
        }
        Assert.Equal(Eta, s.Rate(w));
        Close(min + (Eta - min) / 2, s.Rate(w + (total - w) / 2), "midpoint of the cosine");
        Assert.Equal(min, s.Rate(total));
        Assert.Equal(min, s.Rate(total + 100));
        for (long k = w; k <= total; k++)
        {
            if (k < total) Close(CosineFormula(Eta, min, k - w, total - w), s.Rate(k), $"step {k}");
            if (k > w) Assert.True(s.Rate(k) <= s.Rate(k - 1), $"rate rose at step {k}");
        }
    }

    [Fact]
    public void Step_multiplies_by_gamma_every_k_steps()
    {
        var s = LearningRateSchedule.Step(Eta, 5, 0.1);
        for (long k = 0; k < 23; k++) Close(Eta * Math.Pow(0.1, k / 5), s.Rate(k), $"step {k}");
        Assert.Equal(Eta, s.Rate(4));
        Close(Eta * 0.1, s.Rate(5), "first drop");
    }

    [Fact]
    public void Invalid_schedules_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Constant(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Constant(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.LinearWarmup(Eta, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Cosine(Eta, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Cosine(Eta, 10, warmupSteps: 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Step(Eta, 0, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => LearningRateSchedule.Step(Eta, 3, 0));
    }
}
