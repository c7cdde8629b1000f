using Drift.Ensembles;
using Drift.Models.Finance;
using Drift.Solve;
using Drift.Solve.Sde;

namespace Drift.Tests.Models;

public class FinanceTests
{
    [Fact]
    public void Black_Scholes_closed_form_matches_the_textbook_value_and_parity()
    {
        // Hull, Options, Futures and Other Derivatives: S = K = 100, T = 1, r = 5%, σ = 20% gives C = 10.4506.
        Assert.Equal(10.4506, BlackScholes.Call(100, 100, 1, 0.05, 0.2), 4);
        double c = BlackScholes.Call(90, 100, 0.5, 0.03, 0.3), p = BlackScholes.Put(90, 100, 0.5, 0.03, 0.3);
        Assert.Equal(c - p, 90 - 100 * Math.Exp(-0.03 * 0.5), 12);
        Assert.Equal(0.5, BlackScholes.NormalCdf(0), 15);
        Assert.Equal(0.9750021048517795, BlackScholes.NormalCdf(1.96), 13);
        Assert.Throws<ArgumentException>(() => BlackScholes.Call(-1, 100, 1, 0.05, 0.2));
    }

    [Fact]
    public void Monte_Carlo_call_under_Black_Scholes_lies_within_four_standard_errors()
    {
        double exact = BlackScholes.Call(100, 110, 1, 0.05, 0.25);
        var anti = EuropeanMonteCarlo.BlackScholes(100, 110, 1, 0.05, 0.25, OptionKind.Call, new MonteCarloOptions { Paths = 200_000, Seed = 11 });
        var plain = EuropeanMonteCarlo.BlackScholes(100, 110, 1, 0.05, 0.25, OptionKind.Call, new MonteCarloOptions { Paths = 200_000, Seed = 11, Antithetic = false });
        Assert.True(Math.Abs(anti.Price - exact) < 4 * anti.StandardError, $"antithetic {anti.Price} ± {anti.StandardError}, exact {exact}");
        Assert.True(Math.Abs(plain.Price - exact) < 4 * plain.StandardError, $"plain {plain.Price} ± {plain.StandardError}, exact {exact}");
        Assert.True(anti.StandardError < plain.StandardError, "antithetic pairs reduce the standard error at equal paths");
        var put = EuropeanMonteCarlo.BlackScholes(100, 110, 1, 0.05, 0.25, OptionKind.Put, new MonteCarloOptions { Paths = 200_000, Seed = 12 });
        Assert.True(Math.Abs(put.Price - BlackScholes.Put(100, 110, 1, 0.05, 0.25)) < 4 * put.StandardError);
    }

    [Fact]
    public void Target_standard_error_doubles_paths_until_met()
    {
        var r = EuropeanMonteCarlo.BlackScholes(100, 100, 1, 0.05, 0.2, OptionKind.Call, new MonteCarloOptions { Paths = 4096, TargetStandardError = 0.01, Seed = 5 });
        Assert.True(r.ReachedTarget);
        Assert.True(r.StandardError <= 0.01, $"se {r.StandardError}");
        Assert.True(r.Paths > 4096);
        Assert.True(Math.Abs(r.Price - BlackScholes.Call(100, 100, 1, 0.05, 0.2)) < 4 * r.StandardError, $"{r.Price} ± {r.StandardError}");
        var capped = EuropeanMonteCarlo.BlackScholes(100, 100, 1, 0.05, 0.2, OptionKind.Call, new MonteCarloOptions { Paths = 4096, MaxPaths = 8192, TargetStandardError = 1e-6 });
        Assert.False(capped.ReachedTarget);
        Assert.Equal(8192, capped.Paths);
    }

    [Fact]
    public void Monte_Carlo_simulates_the_requested_paths_and_never_more_than_MaxPaths()
    {
        // Paths = MaxPaths = 5000 used to run three 2048-path blocks (6144 paths): the cap never applied without a target.
        var o = new MonteCarloOptions { Paths = 5000, MaxPaths = 5000, Seed = 3 };
        Assert.Equal(5000, EuropeanMonteCarlo.BlackScholes(100, 100, 1, 0.05, 0.2, OptionKind.Call, o).Paths);
        Assert.Equal(5000, EuropeanMonteCarlo.BlackScholes(100, 100, 1, 0.05, 0.2, OptionKind.Call, o with { Antithetic = false }).Paths);
        Assert.Equal(1000, EuropeanMonteCarlo.Heston(HestonParameters.Example, 100, 1, OptionKind.Call, o with { Paths = 1000, MaxPaths = 1000, Steps = 4 }).Paths);
        // An odd count: antithetic pairs round Paths up and MaxPaths down.
        Assert.Equal(5002, EuropeanMonteCarlo.BlackScholes(100, 100, 1, 0.05, 0.2, OptionKind.Call, o with { Paths = 5001, MaxPaths = 6000 }).Paths);
        Assert.Equal(5000, EuropeanMonteCarlo.BlackScholes(100, 100, 1, 0.05, 0.2, OptionKind.Call, o with { Paths = 5001, MaxPaths = 5001 }).Paths);
        // Doubling towards an unreachable target: 5000, 10000, then capped at 12001 (12000 in pairs, 12001 single).
        var capped = EuropeanMonteCarlo.BlackScholes(100, 100, 1, 0.05, 0.2, OptionKind.Call, o with { MaxPaths = 12_001, TargetStandardError = 1e-9 });
        Assert.False(capped.ReachedTarget);
        Assert.Equal(12_000, capped.Paths);
        var single = EuropeanMonteCarlo.BlackScholes(100, 100, 1, 0.05, 0.2, OptionKind.Call, o with { MaxPaths = 12_001, TargetStandardError = 1e-9, Antithetic = false });
        Assert.Equal(12_001, single.Paths);
        Assert.True(Math.Abs(single.Price - BlackScholes.Call(100, 100, 1, 0.05, 0.2)) < 4 * single.StandardError, $"{single.Price} ± {single.StandardError}");
        // A partial last block (5000 = 4·1024 + 904) is still independent of the thread count.
        var first = EuropeanMonteCarlo.BlackScholes(100, 100, 1, 0.05, 0.2, OptionKind.Call, o with { Antithetic = false, Threads = 1 });
        var again = EuropeanMonteCarlo.BlackScholes(100, 100, 1, 0.05, 0.2, OptionKind.Call, o with { Antithetic = false, Threads = 2 });
        Assert.Equal(first, again);
    }

    [Fact]
    public void Prices_do_not_depend_on_the_thread_count()
    {
        var o = new MonteCarloOptions { Paths = 20_000, Steps = 20, Seed = 9 };
        var a = EuropeanMonteCarlo.Heston(HestonParameters.Example, 100, 1, OptionKind.Call, o with { Threads = 1 });
        var b = EuropeanMonteCarlo.Heston(HestonParameters.Example, 100, 1, OptionKind.Call, o with { Threads = 2 });
        Assert.Equal(a, b);
    }

    [Theory]
    [InlineData(100.0, 1.0)]
    [InlineData(90.0, 0.5)]
    [InlineData(115.0, 2.0)]
    public void Heston_Monte_Carlo_matches_the_semi_analytic_price_within_four_standard_errors(double strike, double maturity)
    {
        var m = HestonParameters.Example;
        double exact = HestonAnalytic.Call(m, strike, maturity);
        var mc = EuropeanMonteCarlo.Heston(m, strike, maturity, OptionKind.Call, new MonteCarloOptions { Paths = 100_000, Steps = 100, Seed = 21 });
        Assert.True(Math.Abs(mc.Price - exact) < 4 * mc.StandardError, $"K = {strike}, T = {maturity}: MC {mc.Price} ± {mc.StandardError}, semi-analytic {exact}");
    }

    [Fact]
    public void Cir_and_Heston_structs_have_the_closed_form_means_under_Euler()
    {
        const int n = 200_000, steps = 200;
        var cir = new CoxIngersollRoss(2, 0.05, 0.3);
        var s = DiffEq.Solve(new SdeProblem<CoxIngersollRoss, CoxIngersollRoss>(cir, cir, [0.02], 0, 1), new EulerMaruyama(),
            new SolveOptions { Controller = ConstantStep.WithSteps(steps), Paths = n, Seed = 4, KeepPaths = true, TrackQuantiles = false });
        var r = s.PathsAt(s.Times.Count - 1, 0);
        double mean = 0, m2 = 0, m4 = 0;
        foreach (double v in r) mean += v;
        mean /= n;
        foreach (double v in r) { double d2 = (v - mean) * (v - mean); m2 += d2; m4 += d2 * d2; }
        m2 /= n;
        m4 /= n;
        double meanSe = Math.Sqrt(m2 / n), varianceSe = Math.Sqrt((m4 - m2 * m2) / n);

        // What Euler itself converges to: the first two moments of r_{k+1} = r_k + κ(θ − r_k)h + σ√(r_k h)Z obey a linear
        // recursion (the truncation at zero practically never acts: Feller holds, 2κθ/σ² = 2.2). Its h → 0 limit
        // (Richardson on 10⁵ and 2·10⁵ steps) is an independent check of the closed forms. At h = 1/200 Euler's bias is
        // 0.6 SE in the mean and 1.3 SE in the variance, so the sample is compared with the recursion at that step.
        // 200 000 paths make 5 SE a 2.4 % window on the variance (before: a fixed 5 % at 50 000 paths, 5.2 SE).
        static (double Mean, double Variance) Recursion(CoxIngersollRoss m, double r0, int steps)
        {
            double h = 1.0 / steps, mu = r0, second = r0 * r0, a = 1 - m.Kappa * h, b = m.Kappa * m.Theta * h;
            for (int k = 0; k < steps; k++)
            {
                second = a * a * second + 2 * a * b * mu + b * b + m.Sigma * m.Sigma * h * mu;
                mu = a * mu + b;
            }
            return (mu, second - mu * mu);
        }
        var (fineMean, fineVariance) = Recursion(cir, 0.02, 200_000);
        var (coarseMean, coarseVariance) = Recursion(cir, 0.02, 100_000);
        Assert.Equal(cir.Mean(0.02, 1), 2 * fineMean - coarseMean, 1e-9 * cir.Mean(0.02, 1));
        Assert.Equal(cir.Variance(0.02, 1), 2 * fineVariance - coarseVariance, 1e-9 * cir.Variance(0.02, 1));
        var (eulerMean, eulerVariance) = Recursion(cir, 0.02, steps);
        Assert.True(Math.Abs(mean - eulerMean) < 5 * meanSe, $"E r = {mean} ± {meanSe}, Euler {eulerMean}");
        Assert.True(Math.Abs(m2 - eulerVariance) < 5 * varianceSe, $"Var r = {m2} ± {varianceSe}, Euler {eulerVariance}");
        Assert.True(Math.Abs(s.Final(0).Mean - cir.Mean(0.02, 1)) < 5 * meanSe, $"{s.Final(0).Mean} vs {cir.Mean(0.02, 1)}");

        // Heston's variance under full-truncation Euler: E v_T = θ + (v₀ − θ)e^{−κT}. Without truncation Euler's mean is
        // θ + (v₀ − θ)(1 − κh)^N, 7e-5 (0.5 SE) from the closed form; truncation (Feller fails, 2κθ/ξ² = 0.48) adds
        // κh E[v⁻] per step. The estimate lies 0.3 SE from the closed form (before: 4 SE plus a fixed 1e-3, 7.3 SE in all).
        var m = HestonParameters.Example with { Variance = 0.09 };
        var heston = new Heston(m);
        var hs = DiffEq.Solve(new SdeProblem<Heston, Heston>(heston, heston, heston.InitialState, 0, 1), new EulerMaruyama(),
            new SolveOptions { Controller = ConstantStep.WithSteps(steps), Paths = n, Seed = 4 });
        double meanV = m.Theta + (m.Variance - m.Theta) * Math.Exp(-m.Kappa);
        Assert.True(Math.Abs(hs.Final(1).Mean - meanV) < 5 * hs.Final(1).StandardError, $"E v = {hs.Final(1).Mean} ± {hs.Final(1).StandardError}, exact {meanV}");
    }
}
