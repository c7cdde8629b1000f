using System.Globalization;
using Drift.Solve.Adaptive;

namespace Drift.Solve.Stiff;

/// <summary>
/// What every stiff loop shares: option checks, the Jacobian (analytic from <see cref="IJacobian"/>, else forward
/// differences with δⱼ = √(ε·max(10⁻⁵, |yⱼ|)), Hairer's choice), Hairer's RMS error norm
/// √((1/d) Σ (eᵢ / (atol + rtol·max(|yᵢ|, |ŷᵢ|)))²), the starting step and the result.
/// </summary>
internal static class StiffCommon
{
    internal const double Unit = 2.220446049250313e-16; // the machine epsilon 2⁻⁵²

    /// <summary>
    /// Checks the controller and the save times; <paramref name="allowFixedStep"/> says whether the loop honours
    /// <see cref="PidController.FixedStep"/>, <paramref name="allowEvents"/> whether it locates events and runs callbacks.
    /// </summary>
    internal static void Validate<TDrift>(OdeProblem<TDrift> problem, AdaptiveOptions options, bool allowFixedStep, bool allowEvents = false) where TDrift : struct, IDrift
    {
        AdaptiveOde.Validate(options, problem.T0, problem.T1);
        if (!allowFixedStep && options.Controller.FixedStep > 0) throw new ArgumentException("this stiff method chooses its own steps; FixedStep is not supported.", nameof(options));
        if (!allowEvents && (options.Events is not null || options.Callbacks is not null))
            throw new ArgumentException("events and callbacks are located on the Rosenbrock methods' dense output (rosenbrock23, rodas4, rodas5p) and the explicit pairs'; this method does not support them yet.", nameof(options));
    }

    /// <summary>J (row-major; skipped when <paramref name="timeOnly"/>) and, unless <paramref name="dfdt"/> is empty, ∂f/∂t at (t, y), given f0 = f(t, y): analytic J when available, else forward differences.</summary>
    internal static void Jacobian<TDrift>(ref TDrift f, IJacobian? analytic, double t, Span<double> y, ReadOnlySpan<double> f0,
        Span<double> jac, Span<double> dfdt, Span<double> scratch, ref long nfev, bool timeOnly = false) where TDrift : struct, IDrift
    {
        int d = y.Length;
        var fp = scratch[..d];
        if (timeOnly) { }
        else if (analytic is not null) analytic.Jacobian(t, y, jac);
        else
        {
            for (int j = 0; j < d; j++)
            {
                double saved = y[j];
                double delta = Math.Sqrt(Unit * Math.Max(1e-5, Math.Abs(saved)));
                y[j] = saved + delta;
                delta = y[j] - saved; // the step actually taken
                f.Evaluate(t, y, fp, 1);
                y[j] = saved;
                for (int i = 0; i < d; i++) jac[i * d + j] = (fp[i] - f0[i]) / delta;
            }
            nfev += d;
        }
        if (dfdt.IsEmpty) return;
        double dt = Math.Sqrt(Unit) * Math.Max(1.0, Math.Abs(t));
        double tp = t + dt;
        dt = tp - t;
        f.Evaluate(tp, y, fp, 1);
        nfev++;
        for (int i = 0; i < d; i++) dfdt[i] = (fp[i] - f0[i]) / dt;
    }

    internal static double Norm(ReadOnlySpan<double> e, ReadOnlySpan<double> y, ReadOnlySpan<double> yNew, double rtol, double atol)
    {
        double sum = 0;
        for (int i = 0; i < e.Length; i++)
        {
            double q = e[i] / (atol + rtol * Math.Max(Math.Abs(y[i]), Math.Abs(yNew[i])));
            sum += q * q;
        }
        return Math.Sqrt(sum / e.Length);
    }

    internal static int Largest(ReadOnlySpan<double> e, ReadOnlySpan<double> y, ReadOnlySpan<double> yNew, double rtol, double atol)
    {
        int best = 0;
        double max = -1;
        for (int i = 0; i < e.Length; i++)
        {
            double q = Math.Abs(e[i]) / (atol + rtol * Math.Max(Math.Abs(y[i]), Math.Abs(yNew[i])));
            if (q > max) { max = q; best = i; }
        }
        return best;
    }

    /// <summary>A starting step h = min(0.01·‖y‖/‖f‖ (10⁻⁶ when either is tiny), span), scaled by the tolerance to the 1/k power.</summary>
    internal static double InitialStep(ReadOnlySpan<double> y, ReadOnlySpan<double> f0, double rtol, double atol, int k, double span)
    {
        double d0 = 0, d1 = 0;
        for (int i = 0; i < y.Length; i++)
        {
            double sc = atol + rtol * Math.Abs(y[i]);
            d0 += y[i] / sc * (y[i] / sc);
            d1 += f0[i] / sc * (f0[i] / sc);
        }
        d0 = Math.Sqrt(d0 / y.Length);
        d1 = Math.Sqrt(d1 / y.Length);
        double h = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * d0 / d1;
        return Math.Min(Math.Max(h, 1e-10 * span), span);
    }

    internal static int FirstNonFinite(ReadOnlySpan<double> v)
    {
        for (int i = 0; i < v.Length; i++)
            if (!double.IsFinite(v[i])) return i;
        return -1;
    }

    /// <summary>The RMS norm √((1/d) Σ (eᵢ/wᵢ)²) with given weights wᵢ.</summary>
    internal static double Rms(ReadOnlySpan<double> e, ReadOnlySpan<double> weights)
    {
        double sum = 0;
        for (int i = 0; i < e.Length; i++)
        {
            double q = e[i] / weights[i];
            sum += q * q;
        }
        return Math.Sqrt(sum / e.Length);
    }

    internal static string Text(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
