using System.Runtime.Intrinsics;
using Drift.Solve;
using Drift.Solve.Adaptive;

namespace Drift.Tests.Solve.Adaptive;

/// <summary>
/// DP5 on a register right-hand side (<see cref="IVectorDrift"/>, stages in 256-bit registers) against the general span
/// loop on the same f: every solve must give the same bits — final state, step counts, evaluations, stiffness time,
/// status and message — for d = 1 … 4, both controllers, failures included; and on Lorenz-63 the golden bits of
/// <see cref="LorenzGoldenBitsTests"/>. The span loop is forced by <see cref="SpanOnly{TDrift}"/>, which hides the register form.
/// </summary>
public class RegisterDriftTests
{
    private static AdaptiveOptions Options(double tol, bool integral = false, long maxSteps = 100_000) => new()
    {
        Controller = (integral ? PidController.Integral : new PidController()) with
        {
            RelativeTolerance = tol, AbsoluteTolerance = tol, MaxSteps = maxSteps,
        },
    };

    private static void AssertSameSolve<TDrift>(TDrift f, double[] x0, double t0, double t1, AdaptiveOptions options)
        where TDrift : struct, IVectorDrift
    {
        var register = AdaptiveOde.Solve(new OdeProblem<TDrift>(f, x0, t0, t1), new DormandPrince5(), options);
        var span = AdaptiveOde.Solve(new OdeProblem<SpanOnly<TDrift>>(new SpanOnly<TDrift>(f), x0, t0, t1), new DormandPrince5(), options);
        Assert.Equal(span.Status, register.Status);
        Assert.Equal(span.Message, register.Message);
        Assert.Equal(BitConverter.DoubleToInt64Bits(span.FinalTime), BitConverter.DoubleToInt64Bits(register.FinalTime));
        Assert.Equal(span.FinalState.ToArray().Select(BitConverter.DoubleToInt64Bits), register.FinalState.ToArray().Select(BitConverter.DoubleToInt64Bits));
        Assert.Equal((span.Statistics.AcceptedSteps, span.Statistics.RejectedSteps, span.Statistics.FunctionEvaluations),
            (register.Statistics.AcceptedSteps, register.Statistics.RejectedSteps, register.Statistics.FunctionEvaluations));
        Assert.Equal(BitConverter.DoubleToInt64Bits(span.Statistics.StiffnessDetectedAt), BitConverter.DoubleToInt64Bits(register.Statistics.StiffnessDetectedAt));
        Assert.Equal(span.Times.ToArray(), register.Times.ToArray());
    }

    [Theory]
    [InlineData(false, 4304L, 195L, 26996L, 0.7105459729806052, 1.7893324098303687, 18.98833444036318)]
    [InlineData(true, 4143L, 510L, 27920L, 2.7803420780860004, -2.1260139246641594, 28.09574373187507)]
    public void Lorenz_through_the_entry_point_gives_the_golden_bits(bool integral, long accepted, long rejected, long evaluations, double x, double y, double z)
    {
        var s = DiffEq.Solve(Ode.Problem(default(LorenzV), [1.0, 1.0, 1.0], 0, 100), new DormandPrince5(),
            new SolveOptions { Controller = Options(1e-6, integral).Controller });
        Assert.Equal(SolveStatus.Success, s.Status);
        Assert.Equal((accepted, rejected, evaluations), (s.Statistics.AcceptedSteps, s.Statistics.RejectedSteps, s.Statistics.DriftEvaluations));
        Assert.Equal(new[] { x, y, z }.Select(BitConverter.DoubleToInt64Bits), s.FinalState.Select(BitConverter.DoubleToInt64Bits));
    }

    [Theory]
    [InlineData(1e-3, false)]
    [InlineData(1e-8, true)]
    public void Every_dimension_gives_the_span_loops_bits(double tol, bool integral)
    {
        AssertSameSolve(new LinearDecayV(), [2.0], 0, 5, Options(tol, integral));
        AssertSameSolve(new VanDerPolV(5.0), [2.0, 0.0], 0, 20, Options(tol, integral));
        AssertSameSolve(new LorenzV(), [1.0, 1.0, 1.0], 0, 10, Options(tol, integral));
        AssertSameSolve(new ForcedOscillatorsV(), [1.0, 0.0, 0.5, -0.5], 0, 10, Options(tol, integral));
    }

    [Fact]
    public void Failures_and_stiffness_give_the_span_loops_status_message_and_counts()
    {
        AssertSameSolve(new RiccatiV(), [0.0], 0, 2, Options(1e-6)); // blows up at π/2
        AssertSameSolve(new NaNAfterHalfV(), [0.0], 0, 1, Options(1e-6));
        AssertSameSolve(new LorenzV(), [1.0, 1.0, 1.0], 0, 100, Options(1e-6, maxSteps: 500));
        AssertSameSolve(new NaNAfterHalfV(), [0.0], 0.75, 1, Options(1e-6)); // f(t0, x0) not finite
        AssertSameSolve(new VanDerPolV(1000.0), [2.0, 0.0], 0, 3, Options(1e-6)); // stiff: Hairer's test fires
        var stiff = AdaptiveOde.Solve(new OdeProblem<VanDerPolV>(new VanDerPolV(1000.0), [2.0, 0.0], 0, 3), new DormandPrince5(), Options(1e-6));
        Assert.False(double.IsNaN(stiff.Statistics.StiffnessDetectedAt));
    }

    [Fact]
    public void Solves_with_dense_output_fall_back_to_the_span_loop_with_the_same_result()
    {
        var options = Options(1e-7) with { SaveTimes = [0.5, 1.0, 2.5, 4.0] };
        AssertSameSolve(new VanDerPolV(2.0), [2.0, 0.0], 0, 4, options);
    }

    [Fact]
    public void The_register_loop_runs_without_the_span_form_and_without_allocating_per_step()
    {
        if (!Vector256.IsHardwareAccelerated) return; // the span loop runs instead (the AVX-off CI pass): nothing to show
        var problem = new OdeProblem<RegisterOnlyLorenz>(default, [1.0, 1.0, 1.0], 0, 100);
        var options = Options(1e-6);
        AdaptiveOde.Solve(problem, new DormandPrince5(), options); // JIT
        long before = GC.GetAllocatedBytesForCurrentThread();
        var s = AdaptiveOde.Solve(problem, new DormandPrince5(), options);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(SolveStatus.Success, s.Status);
        Assert.Equal(BitConverter.DoubleToInt64Bits(0.7105459729806052), BitConverter.DoubleToInt64Bits(s.FinalState[0]));
        // 26 996 evaluations: a boxed f would allocate ≥ 24 bytes each (≥ 640 KB); the solution objects are ≈ 1 KB.
        Assert.True(allocated < 16_384, $"{allocated} bytes allocated by one solve");
    }

    [Fact]
    public void EvaluateRows_checks_dimension_and_lengths()
    {
        var dx = new double[6];
        VectorDrift.EvaluateRows(new LorenzV(), 0, [1.0, 2.0, 1.0, 2.0, 1.0, 2.0], dx, 2);
        Assert.Equal([10.0 * (1 - 1), 10.0 * (2 - 2), 1 * (28.0 - 1) - 1, 2 * (28.0 - 2) - 2, 1.0 * 1 - 8.0 / 3.0 * 1, 2.0 * 2 - 8.0 / 3.0 * 2], dx);
        var e = Assert.Throws<ArgumentException>(() => VectorDrift.EvaluateRows(new LorenzV(), 0, [1.0, 2.0], dx, 2));
        Assert.Contains("3·2", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => VectorDrift.EvaluateRows(new TooWide(), 0, new double[5], new double[5], 1));
    }

    /// <summary>Hides a register right-hand side's register form, so that solvers take the span loop.</summary>
    private readonly struct SpanOnly<TDrift>(TDrift f) : IDrift where TDrift : struct, IVectorDrift
    {
        private readonly TDrift f = f;
        public int Dimension => f.Dimension;
        public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths) => f.Evaluate(t, x, dx, paths);
    }

    private readonly struct LorenzV : IVectorDrift
    {
        public int Dimension => 3;
        public Vector256<double> Evaluate(double t, Vector256<double> v)
        {
            double a = v[0], b = v[1], c = v[2];
            return Vector256.Create(10.0 * (b - a), a * (28.0 - c) - b, a * b - 8.0 / 3.0 * c, 0.0);
        }
        public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths) => VectorDrift.EvaluateRows(this, t, x, dx, paths);
    }

    /// <summary>Lorenz-63 whose span form throws: only the register loop can solve it.</summary>
    private readonly struct RegisterOnlyLorenz : IVectorDrift
    {
        public int Dimension => 3;
        public Vector256<double> Evaluate(double t, Vector256<double> v) => default(LorenzV).Evaluate(t, v);
        public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths) => throw new InvalidOperationException("span form called");
    }

    /// <summary>x' = −x + sin t (d = 1, time-dependent).</summary>
    private readonly struct LinearDecayV : IVectorDrift
    {
        public int Dimension => 1;
        public Vector256<double> Evaluate(double t, Vector256<double> v) => Vector256.Create(-v[0] + Math.Sin(t), 0, 0, 0);
        public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths) => VectorDrift.EvaluateRows(this, t, x, dx, paths);
    }

    /// <summary>Van der Pol, x' = y, y' = μ(1 − x²)y − x (d = 2; stiff for large μ).</summary>
    private readonly struct VanDerPolV(double mu) : IVectorDrift
    {
        public int Dimension => 2;
        public Vector256<double> Evaluate(double t, Vector256<double> v)
        {
            double x = v[0], y = v[1];
            return Vector256.Create(y, mu * (1 - x * x) * y - x, 0, 0);
        }
        public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths) => VectorDrift.EvaluateRows(this, t, x, dx, paths);
    }

    /// <summary>Two forced, coupled oscillators (d = 4, time-dependent).</summary>
    private readonly struct ForcedOscillatorsV : IVectorDrift
    {
        public int Dimension => 4;
        public Vector256<double> Evaluate(double t, Vector256<double> v)
        {
            double a = v[0], b = v[1], c = v[2], d = v[3];
            return Vector256.Create(b, -a + 0.3 * (c - a) + 0.1 * Math.Cos(t), d, -4 * c - 0.1 * d + 0.3 * (a - c));
        }
        public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths) => VectorDrift.EvaluateRows(this, t, x, dx, paths);
    }

    /// <summary>x' = 1 + x² (x = tan t: infinite at π/2).</summary>
    private readonly struct RiccatiV : IVectorDrift
    {
        public int Dimension => 1;
        public Vector256<double> Evaluate(double t, Vector256<double> v) => Vector256.Create(1 + v[0] * v[0], 0, 0, 0);
        public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths) => VectorDrift.EvaluateRows(this, t, x, dx, paths);
    }

    /// <summary>x' = 1 until t = 0.5, then NaN.</summary>
    private readonly struct NaNAfterHalfV : IVectorDrift
    {
        public int Dimension => 1;
        public Vector256<double> Evaluate(double t, Vector256<double> v) => Vector256.Create(t > 0.5 ? double.NaN : 1.0, 0, 0, 0);
        public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths) => VectorDrift.EvaluateRows(this, t, x, dx, paths);
    }

    private readonly struct TooWide : IVectorDrift
    {
        public int Dimension => 5;
        public Vector256<double> Evaluate(double t, Vector256<double> v) => v;
        public void Evaluate(double t, ReadOnlySpan<double> x, Span<double> dx, int paths) => VectorDrift.EvaluateRows(this, t, x, dx, paths);
    }
}
