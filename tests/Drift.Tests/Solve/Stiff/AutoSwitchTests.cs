using Drift.Solve;
using Drift.Solve.Adaptive;
using Drift.Solve.Stiff;

using static Drift.Tests.Solve.Stiff.StiffOptions;

namespace Drift.Tests.Solve.Stiff;

public class AutoSwitchTests
{
    private static readonly AutoSwitch<Tsitouras5, Rodas5P> Auto = new(new Tsitouras5(), new Rodas5P());

    /// <summary>
    /// Van der Pol at μ = 1000 over [0, 2000] (one relaxation period and the next jump): Tsit5 hands over to Rodas5P where
    /// the slow manifold makes it stiff and back across the fast jumps; the switch times are recorded, the answer matches
    /// Rodas5P alone at rtol 10⁻¹⁰ at the saved times, and it costs far fewer evaluations than Tsit5 alone.
    /// </summary>
    [Fact]
    public void Van_der_Pol_at_mu_1000_switches_in_place_and_costs_less_than_Tsit5_alone()
    {
        var times = new[] { 250.0, 500.0, 1000.0, 1500.0, 2000.0 };
        var problem = new OdeProblem<VanDerPol>(new VanDerPol(1000), [2.0, 0.0], 0, 2000);
        var reference = StiffOde.Solve(problem, new Rodas5P(), Tol(1e-10, 1e-10, times));
        var auto = Auto.Solve(problem, Tol(1e-6, 1e-6, times));
        Assert.Equal(SolveStatus.Success, auto.Status);
        var switches = auto.Statistics.SwitchTimes;
        Assert.True(switches.Count >= 2, $"switches at {string.Join(", ", switches)}");
        Assert.True(switches[0] < 10, $"first hand-over at {switches[0]}");
        Assert.Equal(switches[0], auto.Statistics.StiffnessDetectedAt);
        for (int k = 1; k < switches.Count; k++) Assert.True(switches[k] > switches[k - 1]);
        Assert.Equal(times, auto.Times.ToArray());
        for (int k = 0; k < times.Length; k++)
            Assert.True(Math.Abs(auto.State(k)[0] - reference.State(k)[0]) < 1e-3, $"y1({times[k]}) = {auto.State(k)[0]} vs {reference.State(k)[0]}");
        Assert.True(auto.Statistics.JacobianEvaluations > 0);

        // Tsit5 alone is held to h ≲ 3.5/|λ| ≈ 10⁻³ on the slow manifold: on [0, 50] it already spends more evaluations
        // than the switching solve over all of [0, 2000] (measured: about 3·10⁵ against 2·10⁴).
        var shortSpan = new OdeProblem<VanDerPol>(new VanDerPol(1000), [2.0, 0.0], 0, 50);
        var tsit5 = AdaptiveOde.Solve(shortSpan, new Tsitouras5(), new AdaptiveOptions { Controller = new PidController { RelativeTolerance = 1e-6, AbsoluteTolerance = 1e-6, MaxSteps = 1_000_000 }, DetectStiffness = false });
        var autoShort = Auto.Solve(shortSpan, Tol(1e-6, 1e-6));
        Assert.Equal(SolveStatus.Success, tsit5.Status);
        Assert.True(Math.Abs(tsit5.FinalState[0] - autoShort.FinalState[0]) < 1e-4, $"t = 50: tsit5 {tsit5.FinalState[0]} vs auto {autoShort.FinalState[0]}");
        Assert.True(tsit5.Statistics.FunctionEvaluations > auto.Statistics.FunctionEvaluations,
            $"tsit5 on [0, 50]: {tsit5.Statistics.FunctionEvaluations} evaluations vs auto on [0, 2000]: {auto.Statistics.FunctionEvaluations}");
        Assert.True(tsit5.Statistics.FunctionEvaluations > 10 * autoShort.Statistics.FunctionEvaluations,
            $"on [0, 50]: tsit5 {tsit5.Statistics.FunctionEvaluations} vs auto {autoShort.Statistics.FunctionEvaluations}");
    }

    /// <summary>
    /// Robertson at rtol 10⁻⁸ (atol 10⁻¹⁴) over [0, 10⁵]: after the transient Tsit5's step is held at its stability
    /// boundary while Hairer's two-stage estimate of h·|λ| still reads 0.1–0.7 of it (the stiff mode has decayed out of
    /// the stages), so that test alone handed over only near t ≈ 12, after about 8000 explicit steps. The power-iteration
    /// check of ρ(J) hands over within the first 0.1 time units (measured: t ≈ 0.07), and the whole solve then costs
    /// about as many steps as Rodas5P alone (measured: 349 against 310) with the same answer.
    /// </summary>
    [Fact]
    public void Robertson_at_a_tight_tolerance_hands_over_early_by_the_spectral_radius_check()
    {
        var problem = new OdeProblem<Robertson>(default, [1.0, 0.0, 0.0], 0, 1e5);
        var options = Tol(1e-8, 1e-14);
        var auto = Auto.Solve(problem, options);
        var rodas = StiffOde.Solve(problem, new Rodas5P(), options);
        Assert.Equal(SolveStatus.Success, auto.Status);
        Assert.True(auto.Statistics.SwitchTimes.Count >= 1 && auto.Statistics.SwitchTimes[0] < 0.5, $"switches at {string.Join(", ", auto.Statistics.SwitchTimes)}");
        Assert.True(auto.Statistics.AcceptedSteps < 2 * rodas.Statistics.AcceptedSteps, $"auto {auto.Statistics.AcceptedSteps} steps, Rodas5P {rodas.Statistics.AcceptedSteps}");
        for (int i = 0; i < 3; i++)
            Assert.True(Math.Abs(auto.FinalState[i] - rodas.FinalState[i]) <= 1e-7 * Math.Abs(rodas.FinalState[i]) + 1e-13, $"y{i + 1}: {auto.FinalState[i]} vs {rodas.FinalState[i]}");
    }

    [Fact]
    public void A_non_stiff_problem_never_switches_and_equals_Tsit5()
    {
        var problem = new OdeProblem<Kaps>(new Kaps(1), [1.0, 1.0], 0, 5);
        var options = Tol(1e-8, 1e-10, steps: true);
        var auto = Auto.Solve(problem, options);
        var tsit5 = AdaptiveOde.Solve(problem, new Tsitouras5(), options);
        Assert.Equal(SolveStatus.Success, auto.Status);
        Assert.Empty(auto.Statistics.SwitchTimes);
        Assert.True(double.IsNaN(auto.Statistics.StiffnessDetectedAt));
        Assert.Equal(tsit5.Statistics.AcceptedSteps, auto.Statistics.AcceptedSteps);
        Assert.Equal(tsit5.Times.ToArray(), auto.Times.ToArray());
        Assert.Equal(tsit5.FinalState.ToArray(), auto.FinalState.ToArray());
        Assert.True(Math.Abs(auto.FinalState[0] - Math.Exp(-10)) < 1e-8);
        Assert.Throws<ArgumentException>(() => Auto.Solve(problem, options with { SaveTimes = [1.0] }));
    }

    [Fact]
    public void Every_step_saves_continue_across_switches_without_repeats()
    {
        var problem = new OdeProblem<VanDerPol>(new VanDerPol(1000), [2.0, 0.0], 0, 100);
        var s = Auto.Solve(problem, Tol(1e-5, 1e-5, steps: true));
        Assert.Equal(SolveStatus.Success, s.Status);
        Assert.NotEmpty(s.Statistics.SwitchTimes);
        Assert.Equal(0.0, s.Times[0]);
        Assert.Equal(100.0, s.Times[^1]);
        for (int k = 1; k < s.Count; k++) Assert.True(s.Times[k] > s.Times[k - 1], $"t[{k}] = {s.Times[k]} after {s.Times[k - 1]}");
        foreach (double t in s.Statistics.SwitchTimes) Assert.Contains(t, s.Times.ToArray());
    }
}
