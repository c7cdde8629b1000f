namespace Drift.Brownian.Construction;

/// <summary>
/// Maps n standard normals to the n Brownian increments ΔW_k = W(t_k) − W(t_{k−1}) on the uniform grid t_k = kT/n,
/// by one of the <see cref="PathConstruction"/>s. Every construction is exact: W = A z with A Aᵀ = (min(t_i, t_j)),
/// so with i.i.d. normals all three give Brownian motion in law; they differ in which normals carry the variance,
/// which is what matters for quasi-Monte Carlo (the first Sobol' coordinates are the best distributed).
/// </summary>
/// <remarks>
/// <para>Brownian bridge: z₀ gives W(T) = √T z₀; then, breadth first, an interval (l, r) with W known at both ends has its
/// midpoint m = ⌊(l + r)/2⌋ filled by W_m = ((t_r − t_m)W_l + (t_m − t_l)W_r)/(t_r − t_l) + √((t_m − t_l)(t_r − t_m)/(t_r − t_l)) z
/// (Glasserman, Monte Carlo Methods in Financial Engineering, 2004, §3.1; any n, not only powers of two).</para>
/// <para>Principal components, in closed form for the uniform grid: the matrix Δt·min(i, j) has eigenvalues
/// λ_k = Δt / (4 sin²((2k − 1)π / (2(2n + 1)))) and unit eigenvectors e_k(i) = (2/√(2n + 1)) sin((2k − 1)iπ/(2n + 1)),
/// k, i = 1..n, λ₁ largest (Åkesson &amp; Lehoczky 1998); the construction costs O(n²) per path, the others O(n).</para>
/// </remarks>
public sealed class BrownianPathBuilder
{
    private readonly int[] _mid = [], _left = [], _right = [];
    private readonly double[] _wl = [], _wr = [], _sd = [];
    private readonly double[] _pca = []; // [i * n + k] = √λ_k e_k(i)

    /// <summary>A builder for <paramref name="steps"/> increments over [0, <paramref name="horizon"/>].</summary>
    /// <exception cref="ArgumentException">steps &lt; 1, a non-positive or non-finite horizon, or an unknown construction.</exception>
    public BrownianPathBuilder(int steps, double horizon, PathConstruction construction)
    {
        if (steps < 1) throw new ArgumentOutOfRangeException(nameof(steps), steps, "steps must be at least 1.");
        if (!(horizon > 0) || !double.IsFinite(horizon)) throw new ArgumentOutOfRangeException(nameof(horizon), horizon, "horizon must be positive and finite.");
        Steps = steps;
        Horizon = horizon;
        Construction = construction;
        double dt = horizon / steps;
        switch (construction)
        {
            case PathConstruction.Incremental:
                break;
            case PathConstruction.BrownianBridge:
            {
                // Points 0..n on the grid (W_0 = 0); normal 0 fills point n; then breadth-first midpoints.
                _mid = new int[steps]; _left = new int[steps]; _right = new int[steps];
                _wl = new double[steps]; _wr = new double[steps]; _sd = new double[steps];
                _mid[0] = steps; _left[0] = 0; _right[0] = 0; _sd[0] = Math.Sqrt(horizon);
                var queue = new Queue<(int L, int R)>();
                queue.Enqueue((0, steps));
                int next = 1;
                while (queue.Count > 0)
                {
                    var (l, r) = queue.Dequeue();
                    if (r - l < 2) continue;
                    int m = (l + r) / 2;
                    double tl = l * dt, tm = m * dt, tr = r * dt;
                    _mid[next] = m; _left[next] = l; _right[next] = r;
                    _wl[next] = (tr - tm) / (tr - tl); _wr[next] = (tm - tl) / (tr - tl);
                    _sd[next] = Math.Sqrt((tm - tl) * (tr - tm) / (tr - tl));
                    next++;
                    queue.Enqueue((l, m));
                    queue.Enqueue((m, r));
                }
                if (next != steps) throw new InvalidOperationException($"bridge ordering filled {next} of {steps} points.");
                break;
            }
            case PathConstruction.PrincipalComponents:
            {
                _pca = new double[steps * steps];
                double denominator = 2.0 * steps + 1, norm = 2 / Math.Sqrt(denominator);
                for (int k = 1; k <= steps; k++)
                {
                    double angle = (2.0 * k - 1) * Math.PI / (2 * denominator);
                    double sqrtLambda = Math.Sqrt(dt) / (2 * Math.Sin(angle));
                    for (int i = 1; i <= steps; i++)
                        _pca[(i - 1) * steps + (k - 1)] = sqrtLambda * norm * Math.Sin((2.0 * k - 1) * i * Math.PI / denominator);
                }
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(construction), construction, "unknown path construction.");
        }
    }

    /// <summary>Increments per path.</summary>
    public int Steps { get; }

    /// <summary>Length T of the time interval.</summary>
    public double Horizon { get; }

    /// <summary>The construction used.</summary>
    public PathConstruction Construction { get; }

    /// <summary>
    /// Writes the <see cref="Steps"/> increments ΔW_k built from the first <see cref="Steps"/> values of
    /// <paramref name="normals"/>. <paramref name="work"/> needs Steps + 1 values (unused by the incremental construction).
    /// Allocation-free; NaN in a normal propagates to the increments it touches.
    /// </summary>
    /// <exception cref="ArgumentException">A span is too short.</exception>
    public void Build(ReadOnlySpan<double> normals, Span<double> increments, Span<double> work)
    {
        int n = Steps;
        if (normals.Length < n) throw new ArgumentException($"need {n} normals, got {normals.Length}.", nameof(normals));
        if (increments.Length < n) throw new ArgumentException($"need room for {n} increments, got {increments.Length}.", nameof(increments));
        double dt = Horizon / n;
        if (Construction == PathConstruction.Incremental)
        {
            double s = Math.Sqrt(dt);
            for (int k = 0; k < n; k++) increments[k] = s * normals[k];
            return;
        }
        if (work.Length < n + 1) throw new ArgumentException($"need {n + 1} work values, got {work.Length}.", nameof(work));
        var w = work[..(n + 1)];
        if (Construction == PathConstruction.BrownianBridge)
        {
            w[0] = 0;
            w[n] = _sd[0] * normals[0];
            for (int j = 1; j < n; j++)
                w[_mid[j]] = _wl[j] * w[_left[j]] + _wr[j] * w[_right[j]] + _sd[j] * normals[j];
        }
        else
        {
            w[0] = 0;
            for (int i = 0; i < n; i++)
            {
                var row = _pca.AsSpan(i * n, n);
                double sum = 0;
                for (int k = 0; k < n; k++) sum += row[k] * normals[k];
                w[i + 1] = sum;
            }
        }
        for (int k = 0; k < n; k++) increments[k] = w[k + 1] - w[k];
    }
}
