using System.Numerics;

namespace Drift.Numerics;

/// <summary>
/// A register of <see cref="Vector{T}.Count"/> doubles seen through <see cref="IReal{T}"/>. Arithmetic is
/// IEEE lane by lane; sine, cosine and exponential call <see cref="Math"/> per lane, so every path gets the
/// same bits as it would alone, whatever its position in a batch.
/// </summary>
internal readonly record struct VectorReal(Vector<double> Value) : IReal<VectorReal>
{
    public static VectorReal operator +(VectorReal a, VectorReal b) => new(a.Value + b.Value);
    public static VectorReal operator -(VectorReal a, VectorReal b) => new(a.Value - b.Value);
    public static VectorReal operator *(VectorReal a, VectorReal b) => new(a.Value * b.Value);
    public static VectorReal operator /(VectorReal a, VectorReal b) => new(a.Value / b.Value);
    public static VectorReal operator -(VectorReal a) => new(-a.Value);
    public static implicit operator VectorReal(double value) => new(new Vector<double>(value));
    public static VectorReal Sin(VectorReal a) => PerLane(a, Math.Sin);
    public static VectorReal Cos(VectorReal a) => PerLane(a, Math.Cos);
    public static VectorReal Exp(VectorReal a) => PerLane(a, Math.Exp);
    public static VectorReal Abs(VectorReal a) => new(Vector.Abs(a.Value));
    public static VectorReal Sign(VectorReal a)
    {
        var v = a.Value;
        var positive = Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<double>.Zero), Vector<double>.One, Vector<double>.Zero);
        return new(Vector.ConditionalSelect(Vector.LessThan(v, Vector<double>.Zero), -Vector<double>.One, positive));
    }

    private static VectorReal PerLane(VectorReal a, Func<double, double> f)
    {
        Span<double> lanes = stackalloc double[Vector<double>.Count];
        a.Value.CopyTo(lanes);
        for (int i = 0; i < lanes.Length; i++) lanes[i] = f(lanes[i]);
        return new(new Vector<double>(lanes));
    }
}
