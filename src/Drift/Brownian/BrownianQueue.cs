using Drift.Numerics;
using Drift.Random;

namespace Drift.Brownian;

/// <summary>
/// One path's m-dimensional Brownian motion and space-time Lévy areas, revealed forward in time over steps of any
/// length that an adaptive solver may reject: rejection sampling with memory (RSwM; Rackauckas &amp; Nie 2017), with
/// the Lévy area carried through every split. Nothing ahead of <see cref="Time"/> is ever forgotten or redrawn.
/// </summary>
/// <remarks>
/// <para>The queue holds the values already drawn ahead of <see cref="Time"/> as consecutive pieces
/// [e₋₁ = Time, e₀], [e₀, e₁], …, each with its W and H̄ = (length)·H. A query over [Time, r] joins the pieces that
/// end by r (Chen's relation), splits the piece that straddles r from the exact conditional law given its ends
/// (<see cref="LevyBridge"/>), and draws a fresh piece for whatever lies past the last one:
/// W = √ℓ·Z₁, H̄ = ℓ·√ℓ·(Z₂/√12). A rejected step leaves its pieces in the queue, so the retry sees the same path
/// (bridged, not redrawn); an accepted step drops them (<see cref="Advance"/>). Every value therefore has the
/// Brownian law given all values drawn before it, whatever the sequence of step sizes.</para>
/// <para>Randomness is counter-based: fresh piece n of component j is the Box–Muller pair of block n of stream
/// path·m + j under one key derived from the seed, split n the pair of block n under a second key. A path's values
/// depend only on (seed, path, the sequence of queries), never on a batch, lane or thread. A query costs one normal
/// pair per component when the queue is empty (the common case: no rejection pending) — the cost of a fixed-step
/// increment with its Lévy area — against a descent of ≈ 20 levels in a <see cref="BrownianTree"/>.</para>
/// <para>Unlike a tree, the queue answers only forward queries from <see cref="Time"/>; values behind it are gone.</para>
/// </remarks>
internal sealed class BrownianQueue
{
    private readonly int _m;
    private readonly NormalKernel<Lanes1, ulong, double>.RoundKeys _freshKeys, _splitKeys;
    private double[] _ends = new double[4];
    private double[] _w, _hBar;          // [piece·m + j]
    private readonly double[] _z1, _z2;
    private int _count;
    private long _path;
    private ulong _fresh, _splits;

    /// <summary>1/√12: a fresh piece's H/√ℓ is Z₂ times this.</summary>
    public static readonly double InverseRoot12 = 1 / Math.Sqrt(12);

    /// <summary>The key of fresh pieces (shared with the vectorised draws of the SIMD adaptive loop).</summary>
    public static ulong FreshKey(ulong seed) => SeedMixer.Derive(seed, 12);

    /// <summary>The key of split normals (shared with the vectorised draws of the SIMD adaptive loop).</summary>
    public static ulong SplitKey(ulong seed) => SeedMixer.Derive(seed, 13);

    /// <summary>A queue for m Brownian components under <paramref name="seed"/>; <see cref="Reset"/> picks the path.</summary>
    public BrownianQueue(ulong seed, int noiseDimension)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(noiseDimension, 1);
        _m = noiseDimension;
        _freshKeys = NormalKernel<Lanes1, ulong, double>.RoundKeys.Create(FreshKey(seed));
        _splitKeys = NormalKernel<Lanes1, ulong, double>.RoundKeys.Create(SplitKey(seed));
        _w = new double[4 * _m];
        _hBar = new double[4 * _m];
        _z1 = new double[_m];
        _z2 = new double[_m];
    }

    /// <summary>The time up to which the path has been accepted; queries start here.</summary>
    public double Time { get; private set; }

    /// <summary>Pieces drawn ahead of <see cref="Time"/> (0 when no rejected step is pending).</summary>
    public int Pending => _count;

    /// <summary>Fresh pieces drawn so far on this path: the block of the next one.</summary>
    public ulong FreshDraws => _fresh;

    /// <summary>Splits drawn so far on this path: the block of the next split's normals.</summary>
    public ulong SplitDraws => _splits;

    /// <summary>The path index.</summary>
    public long Path => _path;

    /// <summary>Starts path <paramref name="path"/> at time <paramref name="t0"/> with nothing drawn.</summary>
    public void Reset(long path, double t0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(path);
        _path = path;
        Time = t0;
        _count = 0;
        _fresh = 0;
        _splits = 0;
    }

    /// <summary>W_j(end) − W_j(Time) and H̄_j = (end − Time)·H_j over [Time, end], for j &lt; m.</summary>
    /// <exception cref="ArgumentException"><paramref name="end"/> is not after <see cref="Time"/>.</exception>
    public void Increment(double end, Span<double> w, Span<double> hBar) => Increment(end, w, hBar, default, default, 0, default, default, 0);

    /// <summary>
    /// As <see cref="Increment(double, Span{double}, Span{double})"/>, with the normals that a fresh piece or a split
    /// would draw already drawn elsewhere (a vectorised draw of the same counters, so the same bits): the fresh pair of
    /// block <see cref="FreshDraws"/> as z₁ = <paramref name="freshZ1"/>[j·freshStride] and z₂/√12 =
    /// <paramref name="freshArea"/>[j·freshStride], the split pair of block <see cref="SplitDraws"/> as
    /// <paramref name="splitX1"/>[j·splitStride] and <paramref name="splitX2"/>[j·splitStride]. Empty spans draw here.
    /// </summary>
    public void Increment(double end, Span<double> w, Span<double> hBar, ReadOnlySpan<double> freshZ1, ReadOnlySpan<double> freshArea, int freshStride,
        ReadOnlySpan<double> splitX1, ReadOnlySpan<double> splitX2, int splitStride)
    {
        if (!(end > Time) || !double.IsFinite(end))
            throw new ArgumentException($"the increment must end after {Time}, got {end}.", nameof(end));
        int m = _m;
        w[..m].Clear();
        hBar[..m].Clear();
        double reached = Time;
        int k = 0;
        while (k < _count && _ends[k] <= end) Join(k++, ref reached, w, hBar);
        if (reached < end)
        {
            if (k < _count) SplitAt(k, reached, end, splitX1, splitX2, splitStride);
            else AppendFresh(reached, end, freshZ1, freshArea, freshStride);
            Join(k, ref reached, w, hBar);
        }
    }

    /// <summary>Accepts the path up to <paramref name="end"/> (the end of the last query): drops the pieces it covered.</summary>
    public void Advance(double end)
    {
        int k = 0;
        while (k < _count && _ends[k] <= end) k++;
        if (k > 0 && k < _count)
        {
            Array.Copy(_ends, k, _ends, 0, _count - k);
            Array.Copy(_w, k * _m, _w, 0, (_count - k) * _m);
            Array.Copy(_hBar, k * _m, _hBar, 0, (_count - k) * _m);
        }
        _count -= k;
        Time = end;
    }

    /// <summary>
    /// Holds a fresh piece over [<paramref name="time"/>, <paramref name="end"/>] that was drawn elsewhere (a vectorised
    /// draw of the same counters) for a step that was rejected, so the retry bridges it. The caller kept the path's
    /// bookkeeping while nothing was pending: the path was accepted up to <paramref name="time"/> with
    /// <paramref name="freshDraws"/> fresh pieces drawn, and the piece is number <paramref name="freshDraws"/>; both
    /// become the queue's. Its normals are z₁ = <paramref name="z1"/>[j·stride] and
    /// z₂ = √12·<paramref name="area"/>[j·stride] (<paramref name="area"/> holds z₂·<see cref="InverseRoot12"/>, the
    /// piece's H/√ℓ). Only valid with no piece pending.
    /// </summary>
    public void HoldFresh(double time, ulong freshDraws, double end, ReadOnlySpan<double> z1, ReadOnlySpan<double> area, int stride)
    {
        if (_count != 0) throw new InvalidOperationException("a fresh piece is only drawn with nothing pending.");
        Time = time;
        _fresh = freshDraws;
        for (int j = 0; j < _m; j++)
        {
            _z1[j] = z1[j * stride];
            _z2[j] = area[j * stride];
        }
        Push(time, end);
    }

    private void AppendFresh(double start, double end, ReadOnlySpan<double> drawnZ1, ReadOnlySpan<double> drawnArea, int stride)
    {
        for (int j = 0; j < _m; j++)
        {
            if (!drawnZ1.IsEmpty)
            {
                _z1[j] = drawnZ1[j * stride];
                _z2[j] = drawnArea[j * stride];
                continue;
            }
            NormalKernel<Lanes1, ulong, double>.Normals(in _freshKeys, Stream(j), _fresh, out _z1[j], out double z2);
            _z2[j] = z2 * InverseRoot12;
        }
        Push(start, end);
    }

    /// <summary>Appends the fresh piece [start, end] from the normals in _z1 and the scaled normals Z₂/√12 in _z2.</summary>
    private void Push(double start, double end)
    {
        _fresh++;
        Grow();
        double length = end - start, root = Math.Sqrt(length), area = length * root;
        int at = _count * _m;
        for (int j = 0; j < _m; j++)
        {
            _w[at + j] = root * _z1[j];
            _hBar[at + j] = area * _z2[j];
        }
        _ends[_count++] = end;
    }

    /// <summary>Splits piece k, which spans [start, e_k] with start &lt; r &lt; e_k, at r into two pieces.</summary>
    private void SplitAt(int k, double start, double r, ReadOnlySpan<double> drawnX1, ReadOnlySpan<double> drawnX2, int stride)
    {
        Grow();
        int m = _m;
        Array.Copy(_ends, k, _ends, k + 1, _count - k);
        Array.Copy(_w, k * m, _w, (k + 1) * m, (_count - k) * m);
        Array.Copy(_hBar, k * m, _hBar, (k + 1) * m, (_count - k) * m);
        _count++;
        double u = _ends[k + 1];
        double sr = r - start, ru = u - r, su = u - start;
        var bridge = new LevyBridge(sr, ru, su);
        ulong split = _splits++;
        for (int j = 0; j < m; j++)
        {
            double x1, x2;
            if (drawnX1.IsEmpty) NormalKernel<Lanes1, ulong, double>.Normals(in _splitKeys, Stream(j), split, out x1, out x2);
            else (x1, x2) = (drawnX1[j * stride], drawnX2[j * stride]);
            int left = k * m + j, right = (k + 1) * m + j;
            double wsu = _w[right], hsu = _hBar[right];
            bridge.Split(wsu, hsu, x1, x2, out double wsr, out double hsr);
            double wru = wsu - wsr;
            _w[left] = wsr;
            _hBar[left] = hsr;
            _w[right] = wru;
            // Chen: H̄_su = H̄_sr + H̄_ru + ½(ru·W_sr − sr·W_ru).
            _hBar[right] = hsu - hsr - 0.5 * (ru * wsr - sr * wru);
        }
        _ends[k] = r;
    }

    /// <summary>Joins piece k (which starts at <paramref name="reached"/>) onto the sums over [Time, reached].</summary>
    private void Join(int k, ref double reached, Span<double> w, Span<double> hBar)
    {
        double left = reached - Time, right = _ends[k] - reached;
        for (int j = 0; j < _m; j++)
        {
            LevyBridge.Join(left, w[j], hBar[j], right, _w[k * _m + j], _hBar[k * _m + j], out double sum, out double area);
            w[j] = sum;
            hBar[j] = area;
        }
        reached = _ends[k];
    }

    private void Grow()
    {
        if (_count < _ends.Length) return;
        Array.Resize(ref _ends, 2 * _ends.Length);
        Array.Resize(ref _w, 2 * _w.Length);
        Array.Resize(ref _hBar, 2 * _hBar.Length);
    }

    private ulong Stream(int j) => (ulong)_path * (ulong)_m + (ulong)j;
}
