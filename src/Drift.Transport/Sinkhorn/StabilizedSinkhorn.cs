using Drift.Solve;

namespace Drift.Transport.Sinkhorn;

/// <summary>
/// Stabilised Sinkhorn with absorption (Schmitzer 2019): scaling iterations on the kernel
/// K̃ᵢⱼ = exp((αᵢ + βⱼ − Cᵢⱼ)/ε), P = diag(u) K̃ diag(v). When a relative scaling uᵢ/âᵢ or vⱼ/b̂ⱼ leaves [1/τ, τ] it is
/// absorbed into the potentials, α ← α + ε log(u/â), β ← β + ε log(v/b̂), and K̃ is recomputed. Iterations cost what
/// scaling Sinkhorn costs; absorptions cost one pass of exponentials. The potentials start from one log-domain sweep.
/// </summary>
public static class StabilizedSinkhorn
{
    /// <summary>Solves the entropic problem; stops when ‖P1 − a‖₁ + ‖Pᵀ1 − b‖₁ ≤ tolerance (relative to the mass).</summary>
    /// <exception cref="ArgumentException">Negative, non-finite or unequal masses, mismatched sizes, or invalid options.</exception>
    public static TransportResult Solve(ReadOnlySpan<double> a, ReadOnlySpan<double> b, CostMatrix cost, TransportOptions? options = null)
    {
        options ??= TransportOptions.Default;
        var p = new EntropicProblem(a, b, cost, options);
        int iterations = 0;
        var (status, message) = SweepLoop.Run(p.LogSweep, 1, options.Tolerance, options.CancellationToken, ref iterations);
        if (status == SolveStatus.MaxSteps && options.MaxIterations > 1)
        {
            var k = new double[(long)p.N * p.M];
            var u = new double[p.N];
            var v = (double[])p.B.Clone();
            double logTau = Math.Log(options.AbsorptionThreshold);
            p.FillKernel(k, p.F, p.G);
            int absorptions = 0;
            double Sweep()
            {
                double err = p.ScalingSweep(k, u, v);
                if (double.IsNaN(err) || err <= options.Tolerance) return err;
                if (NeedsAbsorption(p.A, u, logTau) || NeedsAbsorption(p.B, v, logTau))
                {
                    Absorb(p.F, p.A, u, p.Eps);
                    Absorb(p.G, p.B, v, p.Eps);
                    p.FillKernel(k, p.F, p.G);
                    absorptions++;
                }
                return err;
            }
            (status, message) = SweepLoop.Run(Sweep, options.MaxIterations - 1, options.Tolerance, options.CancellationToken, ref iterations);
            message += $" ({absorptions} absorptions)";
            Absorb(p.F, p.A, u, p.Eps);
            Absorb(p.G, p.B, v, p.Eps);
            if (status != SolveStatus.NonFinite) p.CompleteZeroMassPotentials();
        }
        return p.Finish(TransportMethod.SinkhornStabilized, iterations, status, message);
    }

    private static bool NeedsAbsorption(double[] w, double[] s, double logTau)
    {
        for (int i = 0; i < w.Length; i++)
        {
            if (w[i] > 0 && Math.Abs(Math.Log(s[i] / w[i])) > logTau) return true;
        }
        return false;
    }

    /// <summary>α ← α + ε log(s/w), s ← w on the positive-mass entries.</summary>
    private static void Absorb(double[] potential, double[] w, double[] s, double eps)
    {
        for (int i = 0; i < w.Length; i++)
        {
            if (w[i] > 0)
            {
                potential[i] += eps * Math.Log(s[i] / w[i]);
                s[i] = w[i];
            }
        }
    }
}
