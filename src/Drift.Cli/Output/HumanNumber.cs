using System.Globalization;

namespace Drift.Cli.Output;

/// <summary>
/// Numbers for people (tables and summary lines; <c>--json</c> and data files keep round-trip formats): significant
/// digits with a short exponent (<c>1.59e8</c>, not <c>1.59E+008</c>), and rates with SI prefixes
/// (<c>159 M path-steps/s</c>).
/// </summary>
public static class HumanNumber
{
    private static readonly string[] Prefixes = ["", " k", " M", " G", " T", " P", " E"];

    /// <summary>
    /// <paramref name="value"/> to <paramref name="digits"/> significant digits; plain notation when the decimal
    /// exponent is in [−4, digits), else mantissa and exponent as <c>1.5e-7</c>. Non-finite values print as NaN, inf, −inf.
    /// </summary>
    public static string Format(double value, int digits = 6)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsInfinity(value)) return value > 0 ? "inf" : "-inf";
        string g = value.ToString("G" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        int e = g.IndexOf('E', StringComparison.Ordinal);
        if (e < 0) return g;
        int exponent = int.Parse(g.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return string.Concat(g.AsSpan(0, e), "e", exponent.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// A non-negative rate with an SI prefix and three significant digits: 1.4e5 → "140 k", 7.93e8 → "793 M",
    /// 12.5 → "12.5". Values below 1 or beyond the exa range fall back to <see cref="Format"/>.
    /// </summary>
    public static string Si(double value)
    {
        if (!double.IsFinite(value) || value < 1) return Format(value, 3);
        int group = (int)Math.Floor(Math.Log10(value) / 3);
        if (group >= Prefixes.Length) return Format(value, 3);
        double scaled = value / Math.Pow(1000, group);
        if (Math.Round(scaled, scaled >= 100 ? 0 : scaled >= 10 ? 1 : 2) >= 1000 && group + 1 < Prefixes.Length)
        {
            group++;
            scaled /= 1000;
        }
        string digits = scaled.ToString(scaled >= 100 ? "F0" : scaled >= 10 ? "F1" : "F2", CultureInfo.InvariantCulture);
        return digits + Prefixes[group];
    }
}
