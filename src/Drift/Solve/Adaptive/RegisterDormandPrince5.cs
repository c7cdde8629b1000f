using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Drift.Solve.Adaptive;

/// <summary>
/// <see cref="DormandPrince5"/>'s step loop for a right-hand side of dimension d ≤ 4 that implements
/// <see cref="IVectorDrift"/>: state, stages and error estimate live in 256-bit registers (lane i = component i) and f
/// takes and returns them in registers, so no stage goes through memory (issue 15). It performs the general loop's
/// operations in the same order, lane by lane — the stage sums y + (w₁k₁ + w₂k₂ + …) summed left to right, the error
/// norm √((Σᵢ qᵢ²)/d) summed over i = 0 … d − 1 in order, the same controller — so results, statistics, statuses and
/// messages are those of <see cref="AdaptiveLoop"/> to the bit (tested against it and against the golden Lorenz bits).
/// It covers the solves that need no dense output: no save times, no saving or recording of steps, no events or
/// callbacks, no fixed step and no hand-over to a stiff method; the caller sends the rest to the general loop.
/// </summary>
internal static class RegisterDormandPrince5
{
    /// <summary>Whether this loop can run the solve (otherwise <see cref="AdaptiveLoop"/> runs it).</summary>
    public static bool Applies(int d, AdaptiveOptions o)
        => Vector256.IsHardwareAccelerated && d >= 1 && d <= VectorDrift.MaxDimension
            && (o.SaveTimes is null || o.SaveTimes.Count == 0) && !o.SaveSteps && !o.RecordSteps && !o.StopWhenStiff
            && o.Events is null && o.Callbacks is null && !(o.Controller.FixedStep > 0);

    /// <summary>f(t, x) through the register form; for a struct that implements it the JIT removes the box and inlines the call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> F<TDrift>(ref TDrift f, double t, Vector256<double> x) where TDrift : struct, IDrift
        => ((IVectorDrift)f).Evaluate(t, x);

    public static OdeSolution Run<TDrift>(ref TDrift f, ReadOnlySpan<double> x0, double t0, double t1, AdaptiveOptions o)
        where TDrift : struct, IDrift
    {
        var c = o.Controller;
        int d = x0.Length;
        var m = default(DormandPrince5);
        Span<double> scratch = stackalloc double[4 * VectorDrift.MaxDimension];
        Span<double> yOut = scratch[..d];
        x0.CopyTo(yOut);
        var y = Load(yOut);
        var save = new SaveBuffer(d, 1);

        double rtol = c.RelativeTolerance, atol = c.AbsoluteTolerance;
        double k = m.ErrorOrder + 1;
        double e1 = -c.Beta1 / k, e2 = -c.Beta2 / k, e3 = -c.Beta3 / k;
        bool detectStiffness = o.DetectStiffness;
        long nfev = 0, accepted = 0, rejected = 0;
        int suspicious = 0, calm = 0;
        double stiffAt = double.NaN;
        var status = SolveStatus.Success;
        string message = string.Empty;
        double t = t0;

        var k1 = F(ref f, t0, y);
        nfev++;
        int bad = FirstNonFinite(k1, d);
        if (bad >= 0)
            return AdaptiveLoop.Finish(d, save, yOut, t, SolveStatus.NonFinite, AdaptiveLoop.NonFiniteStartMessage(t0, bad, k1.GetElement(bad)),
                nfev, accepted, rejected, stiffAt, null);

        double h;
        if (c.InitialStep > 0) h = c.InitialStep;
        else
        {
            var rows = new Rows<TDrift>(f);
            Store(k1, scratch.Slice(4, d));
            h = AdaptiveLoop.InitialStep(ref rows, t0, t1, yOut, scratch.Slice(4, d), scratch.Slice(8, d), scratch.Slice(12, d), rtol, atol, k);
            nfev++;
        }
        h = Math.Min(h, c.MaxStep);

        double safety = c.Safety, minFactor = c.MinFactor, maxFactor = c.MaxFactor, maxStep = c.MaxStep, minStep = c.MinStep;
        long maxSteps = c.MaxSteps;
        var vatol = Vector256.Create(atol);
        var vrtol = Vector256.Create(rtol);
        double logOld1 = 0, logOld2 = 0;
        bool lastRejected = false;
        string? nonFiniteCause = null;
        var cancellation = o.CancellationToken;
        while (t < t1)
        {
            if (cancellation.IsCancellationRequested)
            {
                status = SolveStatus.Cancelled;
                message = AdaptiveLoop.CancelledMessage(t, accepted);
                break;
            }
            if (accepted + rejected >= maxSteps)
            {
                status = SolveStatus.MaxSteps;
                message = AdaptiveLoop.MaxStepsMessage(c.MaxSteps, accepted, rejected, t1, t);
                break;
            }
            bool last = false;
            if (t + 1.01 * h >= t1)
            {
                h = t1 - t;
                last = true;
            }
            else if (AdaptiveLoop.BelowMinimumStep(h, minStep, t))
            {
                (status, message) = AdaptiveLoop.MinimumStepFailure(t, h, minStep, nonFiniteCause);
                break;
            }

            // DormandPrince5.Step with the stages in registers: the same weights h·aᵢⱼ, sums and norm, lane by lane.
            var k2 = F(ref f, t + h * (1.0 / 5.0), y + k1 * (h * (1.0 / 5.0)));
            var k3 = F(ref f, t + h * (3.0 / 10.0), y + (k1 * (h * (3.0 / 40.0)) + k2 * (h * (9.0 / 40.0))));
            var k4 = F(ref f, t + h * (4.0 / 5.0), y + (k1 * (h * (44.0 / 45.0)) + k2 * (h * (-56.0 / 15.0)) + k3 * (h * (32.0 / 9.0))));
            var k5 = F(ref f, t + h * (8.0 / 9.0), y + (k1 * (h * (19372.0 / 6561.0)) + k2 * (h * (-25360.0 / 2187.0)) + k3 * (h * (64448.0 / 6561.0))
                + k4 * (h * (-212.0 / 729.0))));
            var y6 = y + (k1 * (h * (9017.0 / 3168.0)) + k2 * (h * (-355.0 / 33.0)) + k3 * (h * (46732.0 / 5247.0)) + k4 * (h * (49.0 / 176.0))
                + k5 * (h * (-5103.0 / 18656.0)));
            var k6 = F(ref f, t + h, y6);
            var yNew = y + (k1 * (h * (35.0 / 384.0)) + k3 * (h * (500.0 / 1113.0)) + k4 * (h * (125.0 / 192.0)) + k5 * (h * (-2187.0 / 6784.0))
                + k6 * (h * (11.0 / 84.0)));
            var k7 = F(ref f, t + h, yNew);
            var e = k1 * (h * (71.0 / 57600.0)) + k3 * (h * (-71.0 / 16695.0)) + k4 * (h * (71.0 / 1920.0)) + k5 * (h * (-17253.0 / 339200.0))
                + k6 * (h * (22.0 / 525.0)) + k7 * (h * (-1.0 / 40.0));
            var q = e / (vatol + vrtol * Larger(Vector256.Abs(y), Vector256.Abs(yNew)));
            double err = Math.Sqrt(SumOfSquares(q * q, d) / d);
            nfev += m.EvaluationsPerStep;

            double tNew = last ? t1 : t + h;
            bad = FirstNonFinite(yNew, d);
            if (bad >= 0 || !double.IsFinite(err))
            {
                rejected++;
                nonFiniteCause = AdaptiveLoop.NonFiniteStepCause(t, h, bad, bad >= 0 ? yNew.GetElement(bad) : double.NaN);
                h *= minFactor;
                lastRejected = true;
                continue;
            }

            if (err <= 1)
            {
                accepted++;
                nonFiniteCause = null;
                if (detectStiffness && double.IsNaN(stiffAt) && (accepted % AdaptiveLoop.StiffnessInterval == 0 || suspicious > 0))
                {
                    double stiffness = Stiffness(h, k7, k6, yNew, y6, d, scratch);
                    if (stiffness > AdaptiveLoop.StiffnessFraction * m.StabilityBoundary)
                    {
                        calm = 0;
                        if (++suspicious == 15) stiffAt = t;
                    }
                    else if (++calm == 6)
                    {
                        suspicious = 0;
                    }
                }
                k1 = k7;
                y = yNew;
                t = tNew;

                // The general loop's controller (AdaptiveLoop.Run), operation for operation.
                double logErr = Math.Log(err > 1e-300 ? err : 1e-300);
                double factor = err == 0 ? maxFactor : safety * Math.Exp(e1 * logErr + e2 * logOld1 + e3 * logOld2);
                factor = Math.Clamp(factor, minFactor, maxFactor);
                if (lastRejected) factor = Math.Min(factor, 1.0);
                logOld2 = logOld1;
                logOld1 = Math.Max(logErr, AdaptiveLoop.LogFloor);
                double hNext = h * factor;
                h = hNext < maxStep ? hNext : maxStep;
                lastRejected = false;
            }
            else
            {
                rejected++;
                h *= Math.Max(minFactor, safety * Math.Pow(err, e1));
                lastRejected = true;
            }
        }

        Store(y, yOut);
        if (status == SolveStatus.Success) save.Add(t, yOut);
        return AdaptiveLoop.Finish(d, save, yOut, t, status, message, nfev, accepted, rejected, stiffAt, null);
    }

    /// <summary>max(a, b) as the general loop's error scale takes it, a &gt; b ? a : b (vmaxpd computes exactly that).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> Larger(Vector256<double> a, Vector256<double> b)
        => Avx.IsSupported ? Avx.Max(a, b) : Vector256.ConditionalSelect(Vector256.GreaterThan(a, b), a, b);

    /// <summary>((0 + s₀) + s₁) + … over the first d lanes, the general norm's order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static double SumOfSquares(Vector256<double> s, int d)
    {
        double sum = 0;
        sum += s.GetElement(0);
        if (d > 1) sum += s.GetElement(1);
        if (d > 2) sum += s.GetElement(2);
        if (d > 3) sum += s.GetElement(3);
        return sum;
    }

    /// <summary>The first lane i &lt; d that is not finite (x − x is 0 exactly for finite x), or −1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FirstNonFinite(Vector256<double> v, int d)
    {
        uint mask = (~Vector256.Equals(v - v, Vector256<double>.Zero)).ExtractMostSignificantBits() & ((1u << d) - 1);
        return mask == 0 ? -1 : System.Numerics.BitOperations.TrailingZeroCount(mask);
    }

    /// <summary>Hairer's stiffness indicator as <see cref="DormandPrince5.StiffnessEstimate"/> computes it (rarely called: stored and passed on).</summary>
    private static double Stiffness(double h, Vector256<double> k7, Vector256<double> k6, Vector256<double> yNew, Vector256<double> y6, int d, Span<double> scratch)
    {
        Store(k7, scratch[..d]);
        Store(k6, scratch.Slice(4, d));
        Store(yNew, scratch.Slice(8, d));
        Store(y6, scratch.Slice(12, d));
        return ErrorNorm.Stiffness(h, scratch[..d], scratch.Slice(4, d), scratch.Slice(8, d), scratch.Slice(12, d));
    }

    private static Vector256<double> Load(ReadOnlySpan<double> x)
        => Vector256.Create(x[0], x.Length > 1 ? x[1] : 0.0, x.Length > 2 ? x[2] : 0.0, x.Length > 3 ? x[3] : 0.0);

    private static void Store(Vector256<double> v, Span<double> x)
    {
        for (int i = 0; i < x.Length; i++) x[i] = v.GetElement(i);
    }

    /// <summary>The register form seen through the span contract (one path per call), for the starting-step heuristic.</summary>
    private readonly struct Rows<TDrift>(TDrift f) : IDrift where TDrift : struct, IDrift
    {
        private readonly TDrift f = f;

        public int Dimension => f.Dimension;

        public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths)
        {
            var g = f;
            Store(F(ref g, t, Load(x[..Dimension])), dx[..Dimension]);
        }
    }
}
