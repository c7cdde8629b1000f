using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Drift.Transport.Exact;

/// <summary>
/// Primal network simplex on the complete bipartite graph (sources 0..n−1, sinks n..n+m−1, artificial root n+m) in the
/// spanning-tree form of LEMON's NetworkSimplex (Kovács 2015; parent/thread/reverse-thread/successor-count tree
/// representation, strongly feasible bases, block-search pivoting), specialised to uncapacitated transport:
/// arcs are implicit (arc e = i·m + j), only tree arcs carry flow, so flows are stored per tree node, and the
/// block search of reduced costs cᵢⱼ + πᵢ − π_{n+j} is vectorised along each row.
/// Potentials are recomputed exactly from the tree every 1024 pivots and before declaring optimality.
/// </summary>
internal sealed class NetworkSimplexCore
{
    private readonly int n, m, nodes, root;
    private readonly long arcs;
    private readonly double[] cost;
    private readonly double[] supply;
    private readonly double[] pi;
    private readonly double[] flowPred;
    private readonly long[] pred;
    private readonly int[] parent, thread, revThread, succNum, lastSucc;
    private readonly bool[] forward;
    private readonly List<int> dirtyRevs = [];
    private readonly double artCost;
    private readonly double tolerance;
    private readonly int blockSize;
    private long nextArc;
    private long inArc;
    private int join, uIn, vIn, uOut;
    private double delta;

    public NetworkSimplexCore(double[] shiftedCost, int n, int m, ReadOnlySpan<double> a, ReadOnlySpan<double> b, double range)
    {
        this.n = n;
        this.m = m;
        nodes = n + m;
        root = nodes;
        arcs = (long)n * m;
        cost = shiftedCost;
        supply = new double[nodes + 1];
        for (int i = 0; i < n; i++) supply[i] = a[i];
        for (int j = 0; j < m; j++) supply[n + j] = -b[j];
        pi = new double[nodes + 1];
        flowPred = new double[nodes + 1];
        pred = new long[nodes + 1];
        parent = new int[nodes + 1];
        thread = new int[nodes + 1];
        revThread = new int[nodes + 1];
        succNum = new int[nodes + 1];
        lastSucc = new int[nodes + 1];
        forward = new bool[nodes + 1];
        artCost = range > 0 ? range * (nodes + 1) : 1.0;
        tolerance = 1.5e-14 * artCost;
        blockSize = (int)Math.Max(Math.Sqrt(arcs), 10);
    }

    /// <summary>True if a basic arc kept a reduced cost below −tolerance after an exact potential recomputation.</summary>
    public bool Stuck { get; private set; }

    /// <summary>Pivots performed.</summary>
    public long Pivots { get; private set; }

    /// <summary>Runs the simplex; false if the pivot budget ran out first.</summary>
    public bool Run(long maxPivots, CancellationToken cancellation)
    {
        Init();
        InitialPivots();
        while (true)
        {
            if (maxPivots > 0 && Pivots >= maxPivots) return false;
            if ((Pivots & 1023) == 0)
            {
                cancellation.ThrowIfCancellationRequested();
                RecomputePotentials();
            }
            if (!FindEnteringArc())
            {
                RecomputePotentials();
                if (!FindEnteringArc()) return true;
            }
            if (IsTreeArc(inArc))
            {
                // Drift in π made a basic arc look improving; exact potentials fix that. If it persists, stop.
                RecomputePotentials();
                if (FindEnteringArc() && IsTreeArc(inArc))
                {
                    Stuck = true;
                    return true;
                }
                continue;
            }
            Pivot();
        }
    }

    private long ArtificialArc(int u) => arcs + u;

    private int Source(long e) => e < arcs ? (int)(e / m) : (supply[(int)(e - arcs)] >= 0 ? (int)(e - arcs) : root);

    private int Target(long e) => e < arcs ? n + (int)(e % m) : (supply[(int)(e - arcs)] >= 0 ? root : (int)(e - arcs));

    private double Cost(long e) => e < arcs ? cost[e] : (supply[(int)(e - arcs)] >= 0 ? 0 : artCost);

    private bool IsTreeArc(long e) => pred[e / m] == e || pred[n + (int)(e % m)] == e;

    private void Init()
    {
        parent[root] = -1;
        pred[root] = -1;
        thread[root] = 0;
        revThread[0] = root;
        succNum[root] = nodes + 1;
        lastSucc[root] = root - 1;
        pi[root] = 0;
        for (int u = 0; u < nodes; u++)
        {
            parent[u] = root;
            pred[u] = ArtificialArc(u);
            thread[u] = u + 1;
            revThread[u + 1] = u;
            succNum[u] = 1;
            lastSucc[u] = u;
            if (supply[u] >= 0)
            {
                forward[u] = true;
                pi[u] = 0;
                flowPred[u] = supply[u];
            }
            else
            {
                forward[u] = false;
                pi[u] = artCost;
                flowPred[u] = -supply[u];
            }
        }
    }

    /// <summary>LEMON's heuristic: pivot in the cheapest incoming arc of every demand node.</summary>
    private void InitialPivots()
    {
        for (int j = 0; j < m; j++)
        {
            if (!(supply[n + j] < 0)) continue;
            long best = -1;
            double min = double.PositiveInfinity;
            for (int i = 0; i < n; i++)
            {
                double c = cost[(long)i * m + j];
                if (c < min) { min = c; best = (long)i * m + j; }
            }
            if (best < 0) continue;
            inArc = best;
            if (cost[best] + pi[best / m] - pi[n + j] >= -tolerance || IsTreeArc(best)) continue;
            Pivot();
        }
    }

    private void Pivot()
    {
        FindJoinNode();
        FindLeavingArc();
        ChangeFlow();
        UpdateTreeStructure();
        UpdatePotential();
        Pivots++;
    }

    /// <summary>Block search: scans ⌈√(nm)⌉ arcs at a time from where the last search stopped and returns the most
    /// negative reduced cost of the first block that has one below −tolerance.</summary>
    private bool FindEnteringArc()
    {
        double min = -tolerance;
        long best = -1;
        long e = nextArc, scanned = 0;
        int cnt = blockSize;
        while (scanned < arcs)
        {
            int i = (int)(e / m), j = (int)(e % m);
            int len = (int)Math.Min(Math.Min(cnt, m - j), arcs - scanned);
            double blockMin = RowMin(i, j, len);
            if (blockMin < min)
            {
                min = blockMin;
                best = (long)i * m + ArgRowMin(i, j, len, blockMin);
            }
            e += len;
            scanned += len;
            cnt -= len;
            if (e == arcs) e = 0;
            if (cnt == 0)
            {
                if (best >= 0) break;
                cnt = blockSize;
            }
        }
        if (best < 0) return false;
        inArc = best;
        nextArc = e;
        return true;
    }

    private double RowMin(int i, int j0, int len)
    {
        ref double c = ref cost[(long)i * m + j0];
        ref double p = ref pi[n + j0];
        double pii = pi[i];
        double min = double.PositiveInfinity;
        int k = 0;
        if (Vector256.IsHardwareAccelerated && len >= 8)
        {
            var vmin = Vector256.Create(double.PositiveInfinity);
            var vp = Vector256.Create(pii);
            for (; k <= len - 4; k += 4)
                vmin = Vector256.Min(vmin, Vector256.LoadUnsafe(ref c, (nuint)k) + vp - Vector256.LoadUnsafe(ref p, (nuint)k));
            min = Math.Min(Math.Min(vmin[0], vmin[1]), Math.Min(vmin[2], vmin[3]));
        }
        for (; k < len; k++)
        {
            double r = System.Runtime.CompilerServices.Unsafe.Add(ref c, k) + pii - System.Runtime.CompilerServices.Unsafe.Add(ref p, k);
            if (r < min) min = r;
        }
        return min;
    }

    private int ArgRowMin(int i, int j0, int len, double target)
    {
        var c = MemoryMarshal.CreateReadOnlySpan(ref cost[(long)i * m + j0], len);
        double pii = pi[i];
        for (int k = 0; k < len; k++)
        {
            if (c[k] + pii - pi[n + j0 + k] == target) return j0 + k;
        }
        return j0;
    }

    private void FindJoinNode()
    {
        int u = Source(inArc), v = Target(inArc);
        while (u != v)
        {
            if (succNum[u] < succNum[v]) u = parent[u];
            else v = parent[v];
        }
        join = u;
    }

    private void FindLeavingArc()
    {
        int first = Source(inArc), second = Target(inArc);
        delta = double.PositiveInfinity;
        int result = 0;
        for (int u = first; u != join; u = parent[u])
        {
            double d = forward[u] ? flowPred[u] : double.PositiveInfinity;
            if (d < delta) { delta = d; uOut = u; result = 1; }
        }
        for (int u = second; u != join; u = parent[u])
        {
            double d = forward[u] ? double.PositiveInfinity : flowPred[u];
            if (d <= delta) { delta = d; uOut = u; result = 2; }
        }
        if (result == 1) { uIn = first; vIn = second; }
        else { uIn = second; vIn = first; }
    }

    private void ChangeFlow()
    {
        if (delta > 0)
        {
            for (int u = Source(inArc); u != join; u = parent[u]) flowPred[u] += forward[u] ? -delta : delta;
            for (int u = Target(inArc); u != join; u = parent[u]) flowPred[u] += forward[u] ? delta : -delta;
        }
    }

    private void UpdateTreeStructure()
    {
        int u, w;
        int oldRevThread = revThread[uOut];
        int oldSuccNum = succNum[uOut];
        int oldLastSucc = lastSucc[uOut];
        int vOut = parent[uOut];

        u = lastSucc[uIn];
        int right = thread[u];
        int last = oldRevThread == vIn ? thread[lastSucc[uOut]] : thread[vIn];

        int stem = uIn, parStem = vIn;
        thread[vIn] = uIn;
        dirtyRevs.Clear();
        dirtyRevs.Add(vIn);
        while (stem != uOut)
        {
            int newStem = parent[stem];
            thread[u] = newStem;
            dirtyRevs.Add(u);
            w = revThread[stem];
            thread[w] = right;
            revThread[right] = w;
            parent[stem] = parStem;
            parStem = stem;
            stem = newStem;
            u = lastSucc[stem] == lastSucc[parStem] ? revThread[parStem] : lastSucc[stem];
            right = thread[u];
        }
        parent[uOut] = parStem;
        thread[u] = last;
        revThread[last] = u;
        lastSucc[uOut] = u;

        if (oldRevThread != vIn)
        {
            thread[oldRevThread] = right;
            revThread[right] = oldRevThread;
        }
        foreach (int d in dirtyRevs) revThread[thread[d]] = d;

        int tmpSc = 0, tmpLs = lastSucc[uOut];
        u = uOut;
        while (u != uIn)
        {
            w = parent[u];
            pred[u] = pred[w];
            flowPred[u] = flowPred[w];
            forward[u] = !forward[w];
            tmpSc += succNum[u] - succNum[w];
            succNum[u] = tmpSc;
            lastSucc[w] = tmpLs;
            u = w;
        }
        pred[uIn] = inArc;
        flowPred[uIn] = delta;
        forward[uIn] = uIn == Source(inArc);
        succNum[uIn] = oldSuccNum;

        int upLimitIn = -1, upLimitOut = -1;
        if (lastSucc[join] == vIn) upLimitOut = join;
        else upLimitIn = join;

        for (u = vIn; u != upLimitIn && lastSucc[u] == vIn; u = parent[u]) lastSucc[u] = lastSucc[uOut];
        if (join != oldRevThread && vIn != oldRevThread)
        {
            for (u = vOut; u != upLimitOut && lastSucc[u] == oldLastSucc; u = parent[u]) lastSucc[u] = oldRevThread;
        }
        else
        {
            for (u = vOut; u != upLimitOut && lastSucc[u] == oldLastSucc; u = parent[u]) lastSucc[u] = lastSucc[uOut];
        }
        for (u = vIn; u != join; u = parent[u]) succNum[u] += oldSuccNum;
        for (u = vOut; u != join; u = parent[u]) succNum[u] -= oldSuccNum;
    }

    private void UpdatePotential()
    {
        double c = Cost(pred[uIn]);
        double sigma = forward[uIn] ? pi[vIn] - pi[uIn] - c : pi[vIn] - pi[uIn] + c;
        int end = thread[lastSucc[uIn]];
        for (int u = uIn; u != end; u = thread[u]) pi[u] += sigma;
    }

    /// <summary>π from the tree by a thread-order walk: every tree arc gets reduced cost zero (up to one rounding).</summary>
    private void RecomputePotentials()
    {
        pi[root] = 0;
        for (int u = thread[root]; u != root; u = thread[u])
        {
            double c = Cost(pred[u]);
            pi[u] = forward[u] ? pi[parent[u]] - c : pi[parent[u]] + c;
        }
    }

    /// <summary>The flow on every real tree arc (i, j, mass), mass &gt; 0.</summary>
    public IEnumerable<(int Row, int Column, double Mass)> TreeFlows()
    {
        for (int u = 0; u < nodes; u++)
        {
            long e = pred[u];
            if (e >= 0 && e < arcs && flowPred[u] > 0) yield return ((int)(e / m), (int)(e % m), flowPred[u]);
        }
    }

    /// <summary>The largest flow left on an artificial arc (zero up to rounding at a feasible optimum).</summary>
    public double ArtificialFlow()
    {
        double r = 0;
        for (int u = 0; u < nodes; u++)
        {
            if (pred[u] >= arcs) r = Math.Max(r, flowPred[u]);
        }
        return r;
    }

    /// <summary>Node potentials π (LEMON convention: reduced cost cᵢⱼ + πᵢ − π_{n+j} ≥ 0 at optimum).</summary>
    public ReadOnlySpan<double> Potentials => pi.AsSpan(0, nodes);
}
