using Drift.Generative.Schedules;

namespace Drift.Generative.Tests.Schedules;

public class ScheduleTests
{
    public static TheoryData<string> Names => new() { "vp", "vp-cosine", "subvp", "ve", "edm", "rf", "mr" };

    internal static NoiseSchedule Make(string name) => name switch
    {
        "vp" => new VpLinearSchedule(),
        "vp-cosine" => new VpCosineSchedule(),
        "subvp" => new SubVpSchedule(),
        "ve" => new VeSchedule(),
        "edm" => new EdmSchedule(),
        "rf" => new RectifiedFlowSchedule(),
        "mr" => new MeanRevertingSchedule(stationaryStd: 0.7),
        _ => throw new ArgumentException(name),
    };

    private static IEnumerable<double> Interior(NoiseSchedule s)
    {
        for (int i = 1; i < 40; i++) yield return s.MinTime + (s.MaxTime - s.MinTime) * i / 40.0;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Drift_and_diffusion_match_the_marginals_alpha_and_sigma(string name)
    {
        var s = Make(name);
        foreach (double t in Interior(s))
        {
            double h = 1e-6 * (s.MaxTime - s.MinTime);
            double dLogAlpha = (s.LogAlpha(t + h) - s.LogAlpha(t - h)) / (2 * h);
            double dSigma2 = (Math.Pow(s.Sigma(t + h), 2) - Math.Pow(s.Sigma(t - h), 2)) / (2 * h);
            double f = s.DriftCoefficient(t);
            Assert.Equal(dLogAlpha, f, 1e-5 * Math.Max(1, Math.Abs(f)));
            double g2 = dSigma2 - 2 * f * Math.Pow(s.Sigma(t), 2);
            Assert.Equal(g2, s.DiffusionSquared(t), 1e-5 * Math.Max(1, Math.Abs(g2)));
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Log_snr_is_strictly_decreasing_and_inverted_by_time_of_log_snr(string name)
    {
        var s = Make(name);
        double previous = double.PositiveInfinity;
        foreach (double t in Interior(s))
        {
            double l = s.LogSnr(t);
            Assert.True(l < previous);
            previous = l;
            Assert.Equal(t, s.TimeOfLogSnr(l), 1e-9 * Math.Max(1, s.MaxTime));
            Assert.Equal(Math.Log(s.Alpha(t) / s.Sigma(t)), l, 1e-9 * Math.Max(1, Math.Abs(l)));
        }
    }

    [Fact]
    public void Variance_preserving_schedules_keep_alpha_squared_plus_sigma_squared_one()
    {
        foreach (var s in new NoiseSchedule[] { new VpLinearSchedule(), new VpCosineSchedule() })
            foreach (double t in Interior(s))
                Assert.Equal(1.0, Math.Pow(s.Alpha(t), 2) + Math.Pow(s.Sigma(t), 2), 1e-12);
    }

    [Fact]
    public void Named_schedules_have_their_published_end_points()
    {
        var vp = new VpLinearSchedule();
        Assert.Equal(0.1, vp.DiffusionSquared(0), 12);
        Assert.Equal(20, vp.DiffusionSquared(1), 12);
        var ve = new VeSchedule();
        Assert.Equal(0.01, ve.Sigma(0), 12);
        Assert.Equal(50, ve.Sigma(1), 9);
        var rf = new RectifiedFlowSchedule();
        Assert.Equal(0.7, rf.Alpha(0.3), 12);
        Assert.Equal(0.3, rf.Sigma(0.3), 12);
        Assert.Equal(2.5, new EdmSchedule().Sigma(2.5));
        var mr = new MeanRevertingSchedule(0.1, 10, 0.7);
        Assert.Equal(0.7 * Math.Sqrt(1 - Math.Exp(-2 * 5.05)), mr.Sigma(1), 12);
    }

    [Fact]
    public void Bad_parameters_and_times_are_rejected_with_their_names()
    {
        Assert.Equal("betaMax", Assert.Throws<ArgumentException>(() => new VpLinearSchedule(1, 0.5)).ParamName);
        Assert.Equal("sigmaMax", Assert.Throws<ArgumentException>(() => new VeSchedule(1, 0.5)).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new VpLinearSchedule().CheckTime(1.5, "t"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VpLinearSchedule().CheckTime(double.NaN, "t"));
    }
}
