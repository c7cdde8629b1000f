using Drift.Random;
using Drift.Solve;

namespace Drift.Analysis;

/// <summary>
/// Lyapunov spectra of flows dx/dt = f(x) by the Benettin/QR method: the state and k tangent vectors
/// obey dx/dt = f(x), dQ/dt = J(x) Q, integrated together with RK4; every few steps Q is re-orthonormalised
/// by modified Gram–Schmidt (Q = Q'R) and λ_i = (1/T) Σ log R_ii. Trajectories start at x0 + s·Z
/// (Z ~ N(0, I) drawn from Philox keyed by (seed, trajectory)), discard a transient, and are averaged.
/// </summary>
public static class Lyapunov
{
    /// <summary>Estimates the spectrum of <paramref name="system"/> started near <paramref name="initialState"/>.</summary>
    /// <typeparam name="TSystem">A drift with a Jacobian (only t and the drift are used: any noise is ignored).</typeparam>
    /// <exception cref="ArgumentException">Bad options or initial state.</exception>
    /// <exception cref="ArithmeticException">A trajectory left the finite numbers (the step is too large or the flow diverges).</exception>
    public static LyapunovSpectrum Spectrum<TSystem>(TSystem system, IReadOnlyList<double> initialState, LyapunovOptions options)
        where TSystem : struct, IDrift, IJacobian
    {
        ArgumentNullException.ThrowIfNull(initialState);
        ArgumentNullException.ThrowIfNull(options);
        int d = system.Dimension;
        if (initialState.Count != d) throw new ArgumentException($"initial state has {initialState.Count} components, the system {d}.", nameof(initialState));
        foreach (double v in initialState)
            if (!double.IsFinite(v)) throw new ArgumentException($"initial state must be finite, got {v}.", nameof(initialState));
        options.Validate();
        if (options.Exponents > d) throw new ArgumentException($"a {d}-dimensional system has at most {d} exponents, {options.Exponents} were asked for.", nameof(options));
        int k = options.Exponents ?? d;
        var results = new double[options.Trajectories][];
        int done = 0;
        long transientSteps = (long)Math.Ceiling(options.Transient / options.Step);
        long steps = (long)Math.Ceiling(options.Time / options.Step);
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = options.Threads == 0 ? Environment.ProcessorCount : options.Threads,
            CancellationToken = options.CancellationToken,
        };
        double[] x0 = [.. initialState];
        try
        {
            Parallel.For(0, options.Trajectories, parallel, r =>
            {
                results[r] = OneTrajectory(system, x0, r, k, transientSteps, steps, options);
                options.Progress?.Report(new SolveProgress(Interlocked.Increment(ref done), options.Trajectories));
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0 && e.InnerExceptions[0] is ArithmeticException arithmetic)
        {
            throw new ArithmeticException(arithmetic.Message, e);
        }
        return new LyapunovSpectrum(results, d, steps * options.Step, transientSteps + steps);
    }

    private static double[] OneTrajectory<TSystem>(TSystem system, double[] x0, int trajectory, int k, long transientSteps, long steps, LyapunovOptions options)
        where TSystem : struct, IDrift, IJacobian
    {
        int d = system.Dimension, n = d + d * k;
        var normals = new PhiloxNormals(SeedMixer.Derive(options.Seed, 0x4C59));
        var z = new double[n];
        for (int i = 0; i < d; i++) z[i] = x0[i] + options.Spread * normals.Draw((ulong)trajectory, (ulong)i);
        var w = new Workspace(n, d);
        double h = options.Step, t = 0;
        for (long s = 0; s < transientSteps; s++, t += h)
        {
            Rk4(ref system, t, h, z, w, d, 0);
            if ((s & 1023) == 0) Check(z, t, trajectory, options);
        }
        for (int j = 0; j < k; j++) z[d + j * d + j] = 1;
        var logs = new double[k];
        for (long s = 1; s <= steps; s++, t += h)
        {
            Rk4(ref system, t, h, z, w, d, k);
            if (s % options.ReorthonormaliseEvery == 0 || s == steps)
            {
                GramSchmidt(z.AsSpan(d), d, k, logs);
                if ((s & 1023) == 0) Check(z, t, trajectory, options);
            }
        }
        Check(z, t, trajectory, options);
        double time = steps * h;
        for (int j = 0; j < k; j++) logs[j] /= time;
        return logs;
    }

    private static void Check(double[] z, double t, int trajectory, LyapunovOptions options)
    {
        options.CancellationToken.ThrowIfCancellationRequested();
        foreach (double v in z)
            if (!double.IsFinite(v))
                throw new ArithmeticException($"trajectory {trajectory} left the finite numbers at t = {t:G6}; use a smaller step or check the initial state.");
    }

    private sealed class Workspace(int n, int d)
    {
        public readonly double[] K1 = new double[n], K2 = new double[n], K3 = new double[n], K4 = new double[n], Stage = new double[n];
        public readonly double[] J = new double[d * d];
    }

    /// <summary>One RK4 step of the state (first d entries) and k tangent vectors (columns of d entries each).</summary>
    private static void Rk4<TSystem>(ref TSystem system, double t, double h, double[] z, Workspace w, int d, int k)
        where TSystem : struct, IDrift, IJacobian
    {
        int n = d + d * k;
        Derivative(ref system, t, z, w.K1, w, d, k);
        for (int i = 0; i < n; i++) w.Stage[i] = z[i] + 0.5 * h * w.K1[i];
        Derivative(ref system, t + 0.5 * h, w.Stage, w.K2, w, d, k);
        for (int i = 0; i < n; i++) w.Stage[i] = z[i] + 0.5 * h * w.K2[i];
        Derivative(ref system, t + 0.5 * h, w.Stage, w.K3, w, d, k);
        for (int i = 0; i < n; i++) w.Stage[i] = z[i] + h * w.K3[i];
        Derivative(ref system, t + h, w.Stage, w.K4, w, d, k);
        for (int i = 0; i < n; i++) z[i] += h / 6 * (w.K1[i] + 2 * (w.K2[i] + w.K3[i]) + w.K4[i]);
    }

    private static void Derivative<TSystem>(ref TSystem system, double t, double[] z, double[] dz, Workspace w, int d, int k)
        where TSystem : struct, IDrift, IJacobian
    {
        system.Evaluate(t, z.AsSpan(0, d), dz.AsSpan(0, d), 1);
        if (k == 0) return;
        system.Jacobian(t, z.AsSpan(0, d), w.J);
        for (int j = 0; j < k; j++)
        {
            int c = d + j * d;
            for (int r = 0; r < d; r++)
            {
                double acc = 0;
                for (int m = 0; m < d; m++) acc += w.J[r * d + m] * z[c + m];
                dz[c + r] = acc;
            }
        }
    }

    /// <summary>Modified Gram–Schmidt on k columns of length d; adds log of each R_jj to <paramref name="logs"/>.</summary>
    private static void GramSchmidt(Span<double> q, int d, int k, double[] logs)
    {
        for (int j = 0; j < k; j++)
        {
            var cj = q.Slice(j * d, d);
            for (int i = 0; i < j; i++)
            {
                var ci = q.Slice(i * d, d);
                double dot = 0;
                for (int m = 0; m < d; m++) dot += ci[m] * cj[m];
                for (int m = 0; m < d; m++) cj[m] -= dot * ci[m];
            }
            double norm = 0;
            for (int m = 0; m < d; m++) norm += cj[m] * cj[m];
            norm = Math.Sqrt(norm);
            logs[j] += Math.Log(norm);
            for (int m = 0; m < d; m++) cj[m] /= norm;
        }
    }
}
