using System.Runtime.Intrinsics;
using Drift.Numerics;
using Drift.Random;

namespace Drift.Brownian;

/// <summary>
/// One path of an m-dimensional Brownian motion on [t0, t1] that answers W(s, t) and the
/// space-time Lévy area H(s, t) for any s &lt; t, the same whatever the order of queries: a virtual
/// Brownian tree (Li et al. 2020) with Lévy areas (Foster 2020, Thm 6.1.4 and 6.1.6; Jelinčič,
/// Foster &amp; Kidger 2024), driven by counter-based randomness.
/// </summary>
/// <remarks>
/// <para>[t0, t1] is bisected into a binary tree down to intervals no longer than the tolerance.
/// Each node's midpoint values (W, H̄ with H̄_{s,u} = (u − s)H_{s,u}) are drawn from the exact
/// conditional law given the node's ends, with randomness keyed by (seed, path·m + j, node), so
/// any value is recomputed on demand instead of stored. Below the leaves a point r is drawn from
/// the exact conditional law given the leaf's ends; two points closer than the tolerance are
/// therefore not jointly exact, so keep the tolerance below the smallest step.</para>
/// <para>Memory is O(m · depth): the last descent is cached, so stepping forward in time costs a
/// few levels per query on average. An instance is not thread-safe; use one per path and thread.</para>
/// </remarks>
public sealed class BrownianTree
{
    private readonly NormalKernel<Lanes1, ulong, double>.RoundKeys _split;
    private readonly NormalKernel<Lanes1, ulong, double>.RoundKeys _leaf;
    private readonly NormalKernel<Lanes256, Vector256<ulong>, Vector256<double>>.RoundKeys _split4;
    private readonly NormalKernel<Lanes256, Vector256<ulong>, Vector256<double>>.RoundKeys _leaf4;
    private readonly double[] _z1, _z2;
    private readonly int _m;
    private readonly int _depth;
    private readonly double _scale;
    private readonly Node[] _stack; // [level * m + j]
    private readonly long[] _index; // node index at each cached level
    private int _cached = -1;       // deepest valid cached level
    private long _path;
    private readonly double[] _wa, _ha, _wb, _hb;
    // The last two evaluated points: a rejected step re-queries its start right after its end.
    private double _lastR = double.NaN, _previousR = double.NaN;
    private readonly double[] _lastW, _lastH, _previousW, _previousH;

    private struct Node
    {
        public double Ws, Wu, Wsu, Hs, Hu, Hsu;
    }

    /// <summary>Creates the tree of path <paramref name="path"/>.</summary>
    /// <param name="seed">The run's seed.</param>
    /// <param name="path">Path index (the stream).</param>
    /// <param name="noiseDimension">Brownian dimension m.</param>
    /// <param name="t0">Start of the interval.</param>
    /// <param name="t1">End of the interval.</param>
    /// <param name="tolerance">Leaf length (default (t1 − t0)·2⁻²⁰); must not exceed the smallest step taken.</param>
    /// <exception cref="ArgumentException">An argument is out of range.</exception>
    public BrownianTree(ulong seed, long path, int noiseDimension, double t0, double t1, double tolerance = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(noiseDimension, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(path);
        if (!double.IsFinite(t0) || !double.IsFinite(t1) || !(t1 > t0))
            throw new ArgumentException($"the interval [{t0}, {t1}] must be finite with t1 > t0.", nameof(t1));
        if (!(tolerance >= 0) || !double.IsFinite(tolerance))
            throw new ArgumentException($"tolerance must be positive (or 0 for the default), got {tolerance}.", nameof(tolerance));
        Seed = seed;
        RequestedTolerance = tolerance;
        _split = NormalKernel<Lanes1, ulong, double>.RoundKeys.Create(SeedMixer.Derive(seed, 10));
        _leaf = NormalKernel<Lanes1, ulong, double>.RoundKeys.Create(SeedMixer.Derive(seed, 11));
        _split4 = NormalKernel<Lanes256, Vector256<ulong>, Vector256<double>>.RoundKeys.Create(SeedMixer.Derive(seed, 10));
        _leaf4 = NormalKernel<Lanes256, Vector256<ulong>, Vector256<double>>.RoundKeys.Create(SeedMixer.Derive(seed, 11));
        _z1 = new double[noiseDimension + 4];
        _z2 = new double[noiseDimension + 4];
        _m = noiseDimension;
        _depth = tolerance == 0 ? 20 : Math.Clamp((int)Math.Ceiling(Math.Log2((t1 - t0) / tolerance)), 0, 52);
        _scale = Math.Sqrt(t1 - t0);
        T0 = t0;
        T1 = t1;
        _stack = new Node[(_depth + 1) * _m];
        _index = new long[_depth + 1];
        _wa = new double[_m];
        _ha = new double[_m];
        _wb = new double[_m];
        _hb = new double[_m];
        _lastW = new double[_m];
        _lastH = new double[_m];
        _previousW = new double[_m];
        _previousH = new double[_m];
        Reset(path);
    }

    /// <summary>The run's seed.</summary>
    public ulong Seed { get; }

    /// <summary>The tolerance asked for (0 for the default).</summary>
    public double RequestedTolerance { get; }

    /// <summary>Start of the interval.</summary>
    public double T0 { get; }

    /// <summary>End of the interval.</summary>
    public double T1 { get; }

    /// <summary>Brownian dimension m.</summary>
    public int NoiseDimension => _m;

    /// <summary>Leaf length: queries closer than this are not jointly exact.</summary>
    public double Tolerance => (T1 - T0) * Math.Pow(2, -_depth);

    /// <summary>The path index whose Brownian motion this tree answers.</summary>
    public long Path => _path;

    /// <summary>Switches to another path of the same run (same seed, dimension and interval), dropping the cache.</summary>
    public void Reset(long path)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(path);
        _path = path;
        _cached = -1;
        _lastR = double.NaN;
        _previousR = double.NaN;
    }

    /// <summary>
    /// ΔW_j = W_j(t) − W_j(s) and, when <paramref name="levy"/> is not empty, the space-time Lévy area
    /// H_j(s, t) = (1/(t − s))∫_s^t (W_j(r) − W_j(s)) dr − ΔW_j/2, for j &lt; m.
    /// </summary>
    /// <exception cref="ArgumentException">The times are outside [T0, T1] or not increasing, or a span is too short.</exception>
    public void Increment(double s, double t, Span<double> dW, Span<double> levy)
    {
        if (!(s >= T0 && t <= T1 && s < t))
            throw new ArgumentException($"the increment [{s}, {t}] must satisfy {T0} ≤ s < t ≤ {T1}.", nameof(t));
        if (dW.Length < _m || (!levy.IsEmpty && levy.Length < _m))
            throw new ArgumentException($"outputs need {_m} values.", nameof(dW));
        double a = Normalise(s), b = Normalise(t);
        Evaluate(a, _wa, _ha);
        Evaluate(b, _wb, _hb);
        for (int j = 0; j < _m; j++)
        {
            double w = _wb[j] - _wa[j];
            dW[j] = _scale * w;
            if (levy.IsEmpty) continue;
            // Chen's relation for H̄ = (b − a)·H over [a, b].
            double hBar = _hb[j] - _ha[j] - 0.5 * (b * _wa[j] - a * _wb[j]);
            levy[j] = _scale * hBar / (b - a);
        }
    }

    private double Normalise(double t) => Math.Clamp((t - T0) / (T1 - T0), 0.0, 1.0);

    /// <summary>W(r) and H̄(r) = r·H_{0,r} in normalised time r ∈ [0, 1].</summary>
    private void Evaluate(double r, double[] w, double[] hBar)
    {
        if (r == _lastR)
        {
            _lastW.CopyTo(w, 0);
            _lastH.CopyTo(hBar, 0);
            return;
        }
        if (r == _previousR)
        {
            _previousW.CopyTo(w, 0);
            _previousH.CopyTo(hBar, 0);
            return;
        }
        int level = Descend(r);
        double su = Math.ScaleB(1.0, -level);
        double s = _index[level] * su;
        double sr = Math.Max(r - s, 0.0);
        double ru = Math.Max(su - sr, 0.0);
        var bridge = new LevyBridge(sr, ru, su);
        ulong node = NodeId(level, _index[level]);
        Pairs(leaf: true, node);
        for (int j = 0; j < _m; j++)
        {
            ref Node n = ref _stack[level * _m + j];
            double x1 = _z1[j], x2 = _z2[j];
            bridge.Split(n.Wsu, n.Hsu, x1, x2, out double wsr, out double hsr);
            double wr = n.Ws + wsr;
            w[j] = wr;
            hBar[j] = n.Hs + hsr + 0.5 * (r * n.Ws - s * wr);
        }
        _previousR = _lastR;
        _lastW.CopyTo(_previousW, 0);
        _lastH.CopyTo(_previousH, 0);
        _lastR = r;
        w.CopyTo(_lastW, 0);
        hBar.CopyTo(_lastH, 0);
    }

    /// <summary>Makes the cached stack describe the nodes containing r down to the leaves; returns the leaf level.</summary>
    private int Descend(double r)
    {
        // Keep the deepest cached prefix that still contains r.
        int keep = -1;
        for (int level = 0; level <= _cached; level++)
        {
            if (_index[level] != IndexAt(r, level)) break;
            keep = level;
        }
        if (keep < 0)
        {
            Pairs(leaf: false, 0);
            for (int j = 0; j < _m; j++)
            {
                double zw = _z1[j], zh = _z2[j];
                double h1 = zh / Math.Sqrt(12);
                _stack[j] = new Node { Ws = 0, Wu = zw, Wsu = zw, Hs = 0, Hu = h1, Hsu = h1 };
            }
            _index[0] = 0;
            keep = 0;
        }
        for (int level = keep + 1; level <= _depth; level++)
        {
            long parent = _index[level - 1];
            long child = IndexAt(r, level);
            bool right = child == 2 * parent + 1;
            double su = Math.ScaleB(1.0, -(level - 1));
            double s = parent * su;
            double t = s + 0.5 * su;
            double rootSu = Math.Sqrt(su);
            ulong node = NodeId(level - 1, parent);
            Pairs(leaf: false, node);
            for (int j = 0; j < _m; j++)
            {
                ref Node p = ref _stack[(level - 1) * _m + j];
                double z1 = _z1[j], z2 = _z2[j];
                double z = z1 * (rootSu / 4);
                double n = z2 * Math.Sqrt(su / 12);
                double wTerm1 = p.Wsu / 2;
                double wTerm2 = 3 / (2 * su) * p.Hsu + z;
                double wst = wTerm1 + wTerm2, wtu = wTerm1 - wTerm2;
                double hTerm1 = p.Hsu / 8 - su / 4 * z;
                double hTerm2 = su / 4 * n;
                double hst = hTerm1 + hTerm2, htu = hTerm1 - hTerm2;
                double wt = p.Ws + wst;
                double ht = p.Hs + hst + 0.5 * (t * p.Ws - s * wt);
                _stack[level * _m + j] = right
                    ? new Node { Ws = wt, Wu = p.Wu, Wsu = wtu, Hs = ht, Hu = p.Hu, Hsu = htu }
                    : new Node { Ws = p.Ws, Wu = wt, Wsu = wst, Hs = p.Hs, Hu = ht, Hsu = hst };
            }
            _index[level] = child;
        }
        _cached = _depth;
        return _depth;
    }

    /// <summary>The normal pair of block <paramref name="node"/> for every component, four streams per AVX2 register (same bits as scalar).</summary>
    private void Pairs(bool leaf, ulong node)
    {
        int j = 0;
        if (_m > 1 && Lanes256.IsSupported)
        {
            var block = Vector256.Create(node);
            for (; j < _m; j += 4)
            {
                var streams = Lanes256.Sequence(Stream(j));
                Vector256<double> a, b;
                if (leaf) NormalKernel<Lanes256, Vector256<ulong>, Vector256<double>>.Normals(in _leaf4, streams, block, out a, out b);
                else NormalKernel<Lanes256, Vector256<ulong>, Vector256<double>>.Normals(in _split4, streams, block, out a, out b);
                a.CopyTo(_z1, j);
                b.CopyTo(_z2, j);
            }
            return;
        }
        for (; j < _m; j++)
        {
            if (leaf) NormalKernel<Lanes1, ulong, double>.Normals(in _leaf, Stream(j), node, out _z1[j], out _z2[j]);
            else NormalKernel<Lanes1, ulong, double>.Normals(in _split, Stream(j), node, out _z1[j], out _z2[j]);
        }
    }

    private static long IndexAt(double r, int level)
    {
        long count = 1L << level;
        return Math.Min((long)(r * count), count - 1);
    }

    private static ulong NodeId(int level, long index) => (1UL << level) + (ulong)index;

    private ulong Stream(int j) => (ulong)_path * (ulong)_m + (ulong)j;
}
