using Drift.Numerics;
using Drift.Solve;
using Drift.Transport.Plans;

namespace Drift.Transport.Sinkhorn;

/// <summary>
/// Workspace of the entropic solvers for one problem: the normalised marginals â = a/M, b̂ = b/M, the potentials (f, g)
/// and reusable buffers. Plans are Pᵢⱼ = M âᵢ b̂ⱼ exp((fᵢ + gⱼ − Cᵢⱼ)/ε). All sweeps are allocation-free.
/// </summary>
internal sealed class EntropicProblem
{
    private const double Tiny = 1e-250;
    private const double Huge = 1e250;

    private readonly Action<int> logChunk;
    private readonly Action<int> scalingChunk;
    private double[] kernel = [];
    private double[] scaleU = [];
    private double[] scaleV = [];
    private int failures;
    private readonly double[] chunkChange;

    public EntropicProblem(ReadOnlySpan<double> a, ReadOnlySpan<double> b, CostMatrix cost, TransportOptions options, bool balanced = true)
    {
        options.Validate();
        Mass = balanced ? Guard.Balanced(a, b, cost) : Guard.Shape(a, b, cost);
        Guard.Weights(b, nameof(b));
        N = cost.Rows;
        M = cost.Columns;
        C = cost.Values;
        A = new double[N];
        B = new double[M];
        LogA = new double[N];
        LogB = new double[M];
        double ma = balanced ? Mass : 1, mb = balanced ? Mass : 1;
        if (!balanced) Mass = 1;
        for (int i = 0; i < N; i++) { A[i] = a[i] / ma; LogA[i] = Math.Log(A[i]); }
        for (int j = 0; j < M; j++) { B[j] = b[j] / mb; LogB[j] = Math.Log(B[j]); }
        F = new double[N];
        G = new double[M];
        T = new double[M];
        Options = options;
        Chunks = new RowChunks(N, M, options.WorkerCount);
        chunkChange = new double[Chunks.Count];
        Eps = options.Epsilon;
        logChunk = LogChunk;
        scalingChunk = ScalingChunk;
    }

    public int N { get; }

    public int M { get; }

    public double[] C { get; }

    public double Mass { get; }

    public double[] A { get; }

    public double[] B { get; }

    public double[] LogA { get; }

    public double[] LogB { get; }

    public double[] F { get; }

    public double[] G { get; }

    /// <summary>Column totals of the last sweep.</summary>
    public double[] T { get; }

    public TransportOptions Options { get; }

    public RowChunks Chunks { get; }

    public double Eps { get; set; }

    /// <summary>Damping λ = ρ/(ρ + ε) of the unbalanced updates f ← λ·softmin (1 for balanced transport).</summary>
    public double Lambda { get; set; } = 1;

    /// <summary>Largest |Δf|, |Δg| over the last log-domain sweep, in cost units.</summary>
    public double MaxChange { get; private set; }

    /// <summary>
    /// One log-domain Sinkhorn iteration, fused into one pass over C with one exponential per entry:
    /// fᵢ ← −ε log Σⱼ b̂ⱼ exp((gⱼ − Cᵢⱼ)/ε), then gⱼ ← −ε log Σᵢ âᵢ exp((fᵢ − Cᵢⱼ)/ε).
    /// The sums are shifted by the previous potentials (eᵢⱼ = exp((fᵢ + gⱼ − Cᵢⱼ)/ε) = Pᵢⱼ/(âᵢ b̂ⱼ)), which is exact;
    /// a row or column whose shifted sum leaves [1e-250, 1e250] is recomputed with the max-shifted log-sum-exp.
    /// Returns ‖Pᵀ1 − b̂‖₁ of the plan after the f-update (its row marginal is exact), or NaN on failure.
    /// </summary>
    public double LogSweep()
    {
        failures = 0;
        Chunks.Run(logChunk);
        Chunks.Reduce(T);
        double err = 0, change = 0;
        foreach (double x in chunkChange) change = Math.Max(change, x);
        for (int j = 0; j < M; j++)
        {
            double t = T[j], softmin;
            if (t >= Tiny && t <= Huge)
            {
                err += Math.Abs(B[j] * t - B[j]);
                softmin = G[j] - Eps * Math.Log(t);
            }
            else
            {
                softmin = ColumnSoftMin(j);
                if (!double.IsFinite(softmin)) return double.NaN;
                // The column mass of the intermediate plan, computed stably: b̂ⱼ exp((gⱼ − g*ⱼ)/ε).
                err += Math.Abs(B[j] * Math.Exp((G[j] - softmin) / Eps) - B[j]);
            }
            double gNew = Lambda * softmin;
            change = Math.Max(change, Math.Abs(gNew - G[j]));
            G[j] = gNew;
        }
        MaxChange = change;
        return failures > 0 ? double.NaN : err;
    }

    private void LogChunk(int c)
    {
        var acc = Chunks.Accumulators[c].AsSpan();
        var buf = Chunks.Buffers[c].AsSpan();
        acc.Clear();
        double eps = Eps, kappa = 1 / eps;
        double change = 0, lambda = Lambda;
        for (int i = Chunks.Start[c]; i < Chunks.Start[c + 1]; i++)
        {
            var ci = C.AsSpan(i * M, M);
            double fOld = F[i], shift = fOld;
            double s = GibbsRow.ExpRow(shift, G, ci, kappa, B, buf);
            if (!(s >= Tiny && s <= Huge))
            {
                shift = GibbsRow.SoftMin(G, ci, LogB, eps);
                if (!double.IsFinite(shift)) { Interlocked.Increment(ref failures); continue; }
                s = GibbsRow.ExpRow(shift, G, ci, kappa, B, buf);
                if (!(s > 0 && s < double.PositiveInfinity)) { Interlocked.Increment(ref failures); continue; }
            }
            double softmin = shift - eps * Math.Log(s);
            double fNew = lambda == 1 ? softmin : lambda * softmin;
            change = Math.Max(change, Math.Abs(fNew - fOld));
            F[i] = fNew;
            // Column accumulation of âᵢ exp((fNew + gⱼ − Cᵢⱼ)/ε) = âᵢ exp((fNew − shift)/ε) · bufⱼ.
            if (A[i] > 0) Dense.Axpy(lambda == 1 ? A[i] / s : A[i] * Math.Exp((fNew - shift) / eps), buf, acc);
        }
        chunkChange[c] = change;
    }

    /// <summary>Exact gⱼ = −ε log Σᵢ âᵢ exp((fᵢ − Cᵢⱼ)/ε) by a strided max-shifted pass over column j.</summary>
    public double ColumnSoftMin(int j)
    {
        double max = double.NegativeInfinity;
        for (int i = 0; i < N; i++)
        {
            double t = LogA[i] + (F[i] - C[i * M + j]) / Eps;
            if (t > max) max = t;
        }
        if (!double.IsFinite(max)) return double.NaN;
        double s = 0;
        for (int i = 0; i < N; i++) s += Math.Exp(LogA[i] + (F[i] - C[i * M + j]) / Eps - max);
        return -Eps * (max + Math.Log(s));
    }

    /// <summary>Exact fᵢ = −ε log Σⱼ b̂ⱼ exp((gⱼ − Cᵢⱼ)/ε).</summary>
    public double RowSoftMin(int i) => GibbsRow.SoftMin(G, C.AsSpan(i * M, M), LogB, Eps);

    /// <summary>Fills K with Kᵢⱼ = exp((αᵢ + βⱼ − Cᵢⱼ)/ε).</summary>
    public void FillKernel(double[] k, double[] alpha, double[] beta)
    {
        double kappa = 1 / Eps;
        Chunks.Run(c =>
        {
            for (int i = Chunks.Start[c]; i < Chunks.Start[c + 1]; i++)
                GibbsRow.ExpRow(alpha[i], beta, C.AsSpan(i * M, M), kappa, B, k.AsSpan(i * M, M));
        });
    }

    /// <summary>
    /// One scaling iteration on the kernel K fused into one pass: uᵢ ← âᵢ / (Kv)ᵢ while accumulating Kᵀu, then
    /// vⱼ ← b̂ⱼ / (Kᵀu)ⱼ. Returns ‖v ⊙ Kᵀu − b̂‖₁ (the column error before the v-update), or NaN if a sum vanished or overflowed.
    /// </summary>
    public double ScalingSweep(double[] k, double[] u, double[] v)
    {
        kernel = k;
        scaleU = u;
        scaleV = v;
        failures = 0;
        Chunks.Run(scalingChunk);
        Chunks.Reduce(T);
        double err = 0;
        for (int j = 0; j < M; j++)
        {
            double t = T[j];
            err += Math.Abs(v[j] * t - B[j]);
            v[j] = B[j] > 0 ? B[j] / t : 0;
            if (!double.IsFinite(v[j]) || (B[j] > 0 && v[j] == 0)) failures++;
        }
        return failures > 0 || !double.IsFinite(err) ? double.NaN : err;
    }

    private void ScalingChunk(int c)
    {
        var acc = Chunks.Accumulators[c].AsSpan();
        acc.Clear();
        var v = scaleV;
        for (int i = Chunks.Start[c]; i < Chunks.Start[c + 1]; i++)
        {
            var ki = kernel.AsSpan(i * M, M);
            double s = Dense.Dot(ki, v);
            double ui = A[i] / s;
            if (A[i] > 0 && !(ui < double.PositiveInfinity)) { Interlocked.Increment(ref failures); ui = 0; }
            if (A[i] == 0) ui = 0;
            scaleU[i] = ui;
            if (ui != 0) Dense.Axpy(ui, ki, acc);
        }
    }

    /// <summary>Replaces non-finite potentials of zero-mass points by their exact soft c-transforms.</summary>
    public void CompleteZeroMassPotentials()
    {
        for (int j = 0; j < M; j++) if (B[j] == 0) G[j] = ColumnSoftMin(j);
        for (int i = 0; i < N; i++) if (A[i] == 0) F[i] = RowSoftMin(i);
        for (int j = 0; j < M; j++) if (B[j] == 0) G[j] = ColumnSoftMin(j);
    }

    /// <summary>Builds the dense plan Pᵢⱼ = M âᵢ b̂ⱼ exp((fᵢ + gⱼ − Cᵢⱼ)/ε) from (F, G) and the result's diagnostics.</summary>
    public TransportResult Finish(TransportMethod method, int iterations, SolveStatus status, string message,
        int newtonSteps = 0, int cgIterations = 0, IReadOnlyList<double>? newtonErrors = null)
    {
        var p = new double[(long)N * M];
        var rows = new double[N];
        var cols = new double[M];
        double cost = 0, primal = 0, total = 0;
        double kappa = 1 / Eps;
        var buf = new double[M];
        for (int i = 0; i < N; i++)
        {
            var ci = C.AsSpan(i * M, M);
            GibbsRow.ExpRow(F[i], G, ci, kappa, B, buf);
            var pi = p.AsSpan(i * M, M);
            double rs = 0;
            for (int j = 0; j < M; j++)
            {
                double q = A[i] * B[j] * buf[j];
                if (A[i] == 0 || B[j] == 0) q = 0;
                pi[j] = Mass * q;
                rs += q;
                cols[j] += q;
                cost += q * ci[j];
                if (q > 0) primal += q * (F[i] + G[j]);
            }
            rows[i] = rs;
            total += rs;
        }
        double err = 0, dual = 0;
        for (int i = 0; i < N; i++) { err += Math.Abs(rows[i] - A[i]); if (A[i] > 0) dual += A[i] * F[i]; }
        for (int j = 0; j < M; j++) { err += Math.Abs(cols[j] - B[j]); if (B[j] > 0) dual += B[j] * G[j]; }
        primal -= Eps * (total - 1);
        dual -= Eps * (total - 1);
        bool finite = double.IsFinite(cost) && double.IsFinite(err);
        if (!finite && status is SolveStatus.Success or SolveStatus.MaxSteps)
        {
            status = SolveStatus.NonFinite;
            message = $"{message}; the plan has non-finite entries";
        }
        return new TransportResult(method, new DenseTransportPlan(p, N, M), (double[])F.Clone(), (double[])G.Clone(),
            Mass * cost, Mass * primal, Mass * dual, err, iterations, status, message)
        { Epsilon = Eps, NewtonSteps = newtonSteps, ConjugateGradientIterations = cgIterations, NewtonErrors = newtonErrors ?? [] };
    }
}
