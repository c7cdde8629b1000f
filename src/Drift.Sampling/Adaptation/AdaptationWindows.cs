namespace Drift.Sampling.Adaptation;

/// <summary>
/// Stan's windowed warm-up schedule (stan-dev/stan, src/stan/mcmc/windowed_adaptation.hpp; Stan Reference Manual,
/// "HMC algorithm parameters: automatic parameter tuning"): an initial fast interval of <c>init_buffer</c> = 75
/// iterations (step size only), then slow windows of 25, 50, 100, … iterations (25·2ᵏ) in which the metric is
/// estimated, the last stretched to end where the terminal fast interval of <c>term_buffer</c> = 50 iterations begins.
/// With fewer than 20 warm-up iterations no metric is estimated; when 75 + 25 + 50 exceeds the warm-up the three
/// stages become 15% / 75% / 10% of it.
/// </summary>
public sealed class AdaptationWindows
{
    private readonly int _warmup, _initBuffer, _termBuffer, _baseWindow;
    private int _counter, _windowSize, _nextWindow;

    /// <summary>The schedule for <paramref name="warmup"/> iterations.</summary>
    public AdaptationWindows(int warmup, int initBuffer = 75, int termBuffer = 50, int baseWindow = 25)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(warmup);
        if (warmup < 20)
        {
            // Stan leaves every field zero: no slow window ever opens (the counter never equals warmup − 0 − 1 inside one).
            _warmup = 0; _initBuffer = 0; _termBuffer = 0; _baseWindow = 0;
            Enabled = false;
        }
        else if (initBuffer + baseWindow + termBuffer > warmup)
        {
            _warmup = warmup;
            _initBuffer = (int)(0.15 * warmup);
            _termBuffer = (int)(0.10 * warmup);
            _baseWindow = warmup - (_initBuffer + _termBuffer);
            Enabled = true;
        }
        else
        {
            _warmup = warmup; _initBuffer = initBuffer; _termBuffer = termBuffer; _baseWindow = baseWindow;
            Enabled = true;
        }
        _counter = 0;
        _windowSize = _baseWindow;
        _nextWindow = _initBuffer + _windowSize - 1;
    }

    /// <summary>False when the warm-up is too short (&lt; 20) for any metric estimation.</summary>
    public bool Enabled { get; }

    /// <summary>Initial fast interval actually used.</summary>
    public int InitBuffer => _initBuffer;
    /// <summary>Terminal fast interval actually used.</summary>
    public int TermBuffer => _termBuffer;
    /// <summary>First slow window actually used.</summary>
    public int BaseWindow => _baseWindow;

    /// <summary>Whether the current warm-up iteration's draw enters the metric estimate.</summary>
    public bool InSlowWindow => Enabled && _counter >= _initBuffer && _counter < _warmup - _termBuffer && _counter != _warmup;

    /// <summary>Whether the current iteration closes a slow window (the metric is then updated).</summary>
    public bool EndOfWindow => Enabled && _counter == _nextWindow && _counter != _warmup;

    /// <summary>Moves to the next iteration; call after <see cref="InSlowWindow"/> and <see cref="EndOfWindow"/> are read
    /// and, at the end of a window, after <see cref="ComputeNextWindow"/>.</summary>
    public void Advance() => _counter++;

    /// <summary>Stan's <c>compute_next_window</c>: doubles the window, stretching it to the terminal buffer when the one
    /// after it would not fit.</summary>
    public void ComputeNextWindow()
    {
        int end = _warmup - _termBuffer - 1;
        if (_nextWindow == end) return;
        _windowSize *= 2;
        _nextWindow = _counter + _windowSize;
        if (_nextWindow == end) return;
        if (_nextWindow + 2 * _windowSize >= _warmup - _termBuffer) _nextWindow = end;
    }
}
