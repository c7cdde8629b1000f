namespace Drift.Brownian;

/// <summary>
/// The exact conditional law of a Brownian motion and its space-time Lévy area at an interior point (Foster 2020,
/// Thm 6.1.6): on [s, u] with W_su and H̄_su = (u − s)·H_su known, for s &lt; r &lt; u and two independent standard
/// normals x₁, x₂,
/// W_sr = (sr/su)·W_su + 6·sr·ru/su³·H̄_su + 2(a + b)/su·x₁, H̄_sr = (sr/su)³·H̄_su − a·x₁ + c·x₂,
/// with sr = r − s, ru = u − r, su = u − s, d = √(sr³ + ru³), a = sr³√(sr·ru)/(2·su·d), b = ru³√(sr·ru)/(2·su·d),
/// c = √(3·sr³·ru³)/(6d). Pieces join by Chen's relation (<see cref="Join"/>).
/// </summary>
internal readonly struct LevyBridge
{
    private readonly double _w, _h, _x1, _a, _c, _area;

    /// <summary>The coefficients for a split of [s, u] (length <paramref name="su"/>) at sr from its left end, ru from its right.</summary>
    public LevyBridge(double sr, double ru, double su)
    {
        double sr3 = sr * sr * sr, ru3 = ru * ru * ru, su3 = su * su * su;
        double root = Math.Sqrt(sr * ru);
        double d = Math.Sqrt(sr3 + ru3);
        double dPrime = 1 / (2 * su * d);
        double a = dPrime * sr3 * root;
        double b = dPrime * ru3 * root;
        _w = sr / su;
        _h = 6 * sr * ru / su3;
        _x1 = 2 * (a + b) / su;
        _area = sr3 / su3;
        _a = a;
        _c = Math.Sqrt(3 * sr3 * ru3) / (6 * d);
    }

    /// <summary>W_sr and H̄_sr from the interval's W_su, H̄_su and the normals x₁, x₂.</summary>
    public void Split(double wsu, double hBarSu, double x1, double x2, out double wsr, out double hBarSr)
    {
        wsr = _w * wsu + _h * hBarSu + _x1 * x1;
        hBarSr = _area * hBarSu - _a * x1 + _c * x2;
    }

    /// <summary>
    /// Chen's relation for adjacent [s, r] (length <paramref name="left"/>) and [r, u] (length <paramref name="right"/>):
    /// W_su = W_sr + W_ru, H̄_su = H̄_sr + H̄_ru + ½(ru·W_sr − sr·W_ru).
    /// </summary>
    public static void Join(double left, double wLeft, double hBarLeft, double right, double wRight, double hBarRight, out double w, out double hBar)
    {
        w = wLeft + wRight;
        hBar = hBarLeft + hBarRight + 0.5 * (right * wLeft - left * wRight);
    }
}
