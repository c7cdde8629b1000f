using Drift.Numerics;

namespace Drift.Transport.Sinkhorn;

/// <summary>
/// The Newton machinery of Sinkhorn–Newton–Sparse on the normalised dual
/// D(x, y) = ⟨â, x⟩ + ⟨b̂, y⟩ − Σᵢⱼ âᵢ b̂ⱼ exp(xᵢ + yⱼ − Cᵢⱼ/ε) + 1 (x = f/ε, y = g/ε), which is concave with gradient
/// (â − P1, b̂ − Pᵀ1) and Hessian −[[diag(P1), P], [Pᵀ, diag(Pᵀ1)]]. The off-diagonal block is sparsified to the
/// largest entries of P (a power-of-two threshold picked from an exponent histogram in the same O(nm) pass).
/// </summary>
internal sealed class NewtonSystem
{
    private readonly EntropicProblem p;
    private readonly double[] plan;
    private readonly int[][] histograms;
    private readonly double[][] massHistograms;
    private readonly double[] r, c, gx, gy, dx, dy, fTrial, gTrial;
    private readonly double[] res, z, dir, q;
    private int[] rowStart, cols;
    private double[] vals;

    public NewtonSystem(EntropicProblem problem)
    {
        p = problem;
        int n = p.N, m = p.M;
        plan = new double[(long)n * m];
        histograms = new int[p.Chunks.Count][];
        massHistograms = new double[p.Chunks.Count][];
        for (int k = 0; k < histograms.Length; k++)
        {
            histograms[k] = new int[2048];
            massHistograms[k] = new double[2048];
        }
        r = new double[n]; gx = new double[n]; dx = new double[n]; fTrial = new double[n];
        c = new double[m]; gy = new double[m]; dy = new double[m]; gTrial = new double[m];
        res = new double[n + m]; z = new double[n + m]; dir = new double[n + m]; q = new double[n + m];
        rowStart = new int[n + 1];
        cols = new int[4 * (n + m)];
        vals = new double[cols.Length];
    }

    /// <summary>Dual value D at the current potentials (after <see cref="Evaluate"/>).</summary>
    public double Dual { get; private set; }

    /// <summary>Conjugate-gradient iterations so far.</summary>
    public int CgIterations { get; private set; }

    /// <summary>Number of stored Hessian entries at the last sparsification.</summary>
    public int Stored { get; private set; }

    /// <summary>Computes P, its marginals, the gradient and D at (F, G); returns ‖∇D‖₁ (the marginal error), NaN on overflow.</summary>
    public double Evaluate()
    {
        int n = p.N, m = p.M;
        double kappa = 1 / p.Eps;
        p.Chunks.Run(k =>
        {
            var acc = p.Chunks.Accumulators[k].AsSpan();
            acc.Clear();
            var hist = histograms[k];
            var massHist = massHistograms[k];
            Array.Clear(hist);
            Array.Clear(massHist);
            for (int i = p.Chunks.Start[k]; i < p.Chunks.Start[k + 1]; i++)
            {
                var row = plan.AsSpan(i * m, m);
                double s = GibbsRow.ExpRow(p.F[i], p.G, p.C.AsSpan(i * m, m), kappa, p.B, row);
                double ai = p.A[i];
                for (int j = 0; j < m; j++)
                {
                    double v = ai * p.B[j] * row[j];
                    row[j] = v;
                    int bucket = (int)(BitConverter.DoubleToInt64Bits(v) >>> 52) & 2047;
                    hist[bucket]++;
                    massHist[bucket] += v;
                }
                r[i] = ai * s;
                Dense.Axpy(1.0, row, acc);
            }
        });
        p.Chunks.Reduce(c);
        double err = 0, dual = 0, total = 0;
        for (int i = 0; i < n; i++)
        {
            gx[i] = p.A[i] - r[i];
            err += Math.Abs(gx[i]);
            total += r[i];
            if (p.A[i] > 0) dual += p.A[i] * p.F[i];
        }
        for (int j = 0; j < m; j++)
        {
            gy[j] = p.B[j] - c[j];
            err += Math.Abs(gy[j]);
            if (p.B[j] > 0) dual += p.B[j] * p.G[j];
        }
        Dual = dual - p.Eps * (total - 1);
        return double.IsFinite(err) && double.IsFinite(Dual) ? err : double.NaN;
    }

    /// <summary>Keeps the entries of P at or above a power-of-two threshold, the largest one such that at least ρnm entries
    /// (and at least 4(n + m)) survive and the dropped entries carry at most δ of the mass; stored in CSR form.</summary>
    public void Sparsify(double rho, double droppedMass)
    {
        int n = p.N, m = p.M;
        long target = Math.Max((long)(rho * n * m), 4L * (n + m));
        double total = 0;
        for (int k = 0; k < massHistograms.Length; k++)
            for (int b = 0; b < 2048; b++) total += massHistograms[k][b];
        long count = 0;
        double kept = 0;
        int e = 2047;
        for (; e > 0; e--)
        {
            for (int k = 0; k < histograms.Length; k++)
            {
                count += histograms[k][e];
                kept += massHistograms[k][e];
            }
            if (count >= target && total - kept <= droppedMass * total) break;
        }
        double threshold = e <= 0 ? 0 : BitConverter.Int64BitsToDouble((long)e << 52);
        if (count > cols.Length)
        {
            cols = new int[count + count / 4];
            vals = new double[cols.Length];
        }
        int nnz = 0;
        for (int i = 0; i < n; i++)
        {
            rowStart[i] = nnz;
            var row = plan.AsSpan(i * m, m);
            for (int j = 0; j < m; j++)
            {
                double v = row[j];
                if (v >= threshold && v > 0)
                {
                    if (nnz == cols.Length)
                    {
                        Array.Resize(ref cols, 2 * nnz);
                        Array.Resize(ref vals, 2 * nnz);
                    }
                    cols[nnz] = j;
                    vals[nnz++] = v;
                }
            }
        }
        rowStart[n] = nnz;
        Stored = nnz;
    }

    /// <summary>Solves [[diag r, S], [Sᵀ, diag c]] (dx, dy) = ∇D by Jacobi-preconditioned conjugate gradient to the
    /// relative residual <paramref name="relTol"/>; returns ∇D·(dx, dy) (positive: an ascent direction).</summary>
    public double SolveDirection(double relTol, int maxIterations)
    {
        int n = p.N, m = p.M;
        Array.Clear(z);
        for (int i = 0; i < n; i++) res[i] = gx[i];
        for (int j = 0; j < m; j++) res[n + j] = gy[j];
        var x = new Span<double>(dx);
        var y = new Span<double>(dy);
        x.Clear();
        y.Clear();
        double rz = Precondition(res, z);
        z.CopyTo(dir, 0);
        double norm0 = Math.Sqrt(Dense.Dot(res, res));
        for (int it = 0; it < maxIterations; it++)
        {
            Apply(dir, q);
            double pq = Dense.Dot(dir, q);
            if (!(pq > 0)) break;
            double alpha = rz / pq;
            Dense.Axpy(alpha, dir.AsSpan(0, n), x);
            Dense.Axpy(alpha, dir.AsSpan(n, m), y);
            Dense.Axpy(-alpha, q, res);
            CgIterations++;
            if (Math.Sqrt(Dense.Dot(res, res)) <= relTol * norm0) break;
            double rzNew = Precondition(res, z);
            double beta = rzNew / rz;
            rz = rzNew;
            for (int k = 0; k < dir.Length; k++) dir[k] = z[k] + beta * dir[k];
        }
        return Dense.Dot(gx, dx) + Dense.Dot(gy, dy);
    }

    private double Precondition(double[] v, double[] w)
    {
        int n = p.N;
        double s = 0;
        for (int i = 0; i < n; i++) { w[i] = r[i] > 0 ? v[i] / r[i] : 0; s += w[i] * v[i]; }
        for (int j = 0; j < p.M; j++) { w[n + j] = c[j] > 0 ? v[n + j] / c[j] : 0; s += w[n + j] * v[n + j]; }
        return s;
    }

    private void Apply(double[] v, double[] w)
    {
        int n = p.N, m = p.M;
        for (int j = 0; j < m; j++) w[n + j] = c[j] * v[n + j];
        for (int i = 0; i < n; i++)
        {
            double vi = v[i], s = r[i] * vi;
            for (int k = rowStart[i]; k < rowStart[i + 1]; k++)
            {
                int j = cols[k];
                s += vals[k] * v[n + j];
                w[n + j] += vals[k] * vi;
            }
            w[i] = s;
        }
    }

    /// <summary>Backtracking line search along ε·(dx, dy): accepts the first t ∈ {1, ½, ¼, …} with the Armijo condition
    /// D(z + tΔ) ≥ D(z) + 10⁻⁴ t ε ∇D·Δ, or, once the change in D is below its rounding resolution, with a smaller marginal
    /// error. The accepted point is left evaluated (as by <see cref="Evaluate"/>); returns its marginal error, or NaN if
    /// none of 30 halvings is accepted (then (F, G) and the evaluation are restored).</summary>
    public double LineSearch(double slope, double err)
    {
        int n = p.N, m = p.M;
        double eps = p.Eps;
        double dual = Dual;
        p.F.CopyTo(fTrial, 0);
        p.G.CopyTo(gTrial, 0);
        double t = 1;
        for (int trial = 0; trial < 30; trial++, t *= 0.5)
        {
            for (int i = 0; i < n; i++) p.F[i] = fTrial[i] + t * eps * dx[i];
            for (int j = 0; j < m; j++) p.G[j] = gTrial[j] + t * eps * dy[j];
            double e = Evaluate();
            if (double.IsNaN(e)) continue;
            bool armijo = Dual >= dual + 1e-4 * t * eps * slope;
            bool flat = Math.Abs(Dual - dual) <= 1e-13 * (Math.Abs(dual) + eps) && e < err;
            if (armijo || flat) return e;
        }
        fTrial.CopyTo(p.F, 0);
        gTrial.CopyTo(p.G, 0);
        Evaluate();
        return double.NaN;
    }
}
