namespace Drift.Numerics;

/// <summary>One double seen through <see cref="IReal{T}"/>.</summary>
internal readonly record struct ScalarReal(double Value) : IReal<ScalarReal>
{
    public static ScalarReal operator +(ScalarReal a, ScalarReal b) => new(a.Value + b.Value);
    public static ScalarReal operator -(ScalarReal a, ScalarReal b) => new(a.Value - b.Value);
    public static ScalarReal operator *(ScalarReal a, ScalarReal b) => new(a.Value * b.Value);
    public static ScalarReal operator /(ScalarReal a, ScalarReal b) => new(a.Value / b.Value);
    public static ScalarReal operator -(ScalarReal a) => new(-a.Value);
    public static implicit operator ScalarReal(double value) => new(value);
    public static ScalarReal Sin(ScalarReal a) => new(Math.Sin(a.Value));
    public static ScalarReal Cos(ScalarReal a) => new(Math.Cos(a.Value));
    public static ScalarReal Exp(ScalarReal a) => new(Math.Exp(a.Value));
    public static ScalarReal Abs(ScalarReal a) => new(Math.Abs(a.Value));
    public static ScalarReal Sign(ScalarReal a) => new(a.Value > 0 ? 1 : a.Value < 0 ? -1 : 0);
}
