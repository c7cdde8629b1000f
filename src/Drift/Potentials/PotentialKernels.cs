using Drift.Numerics;

namespace Drift.Potentials;

/// <summary>c·a (the second input is ignored).</summary>
internal readonly struct ScaleRow(double c) : IElementwise2
{
    public TD Apply<TL, TU, TD>(TD a, TD unused) where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
        => TL.Multiply(a, TL.Broadcast(c));
}

/// <summary>acc + c·q².</summary>
internal readonly struct AddScaledSquare(double c) : IElementwise2
{
    public TD Apply<TL, TU, TD>(TD acc, TD q) where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
        => TL.MultiplyAdd(TL.Multiply(q, q), TL.Broadcast(c), acc);
}

/// <summary>4q(q² − 1): the derivative of (q² − 1)².</summary>
internal readonly struct DoubleWellGradient : IElementwise2
{
    public TD Apply<TL, TU, TD>(TD q, TD unused) where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
        => TL.Multiply(TL.Multiply(q, TL.Broadcast(4.0)), TL.MultiplyAdd(q, q, TL.Broadcast(-1.0)));
}

/// <summary>acc + (q² − 1)².</summary>
internal readonly struct AddDoubleWellEnergy : IElementwise2
{
    public TD Apply<TL, TU, TD>(TD acc, TD q) where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
    {
        var s = TL.MultiplyAdd(q, q, TL.Broadcast(-1.0));
        return TL.MultiplyAdd(s, s, acc);
    }
}

/// <summary>acc + 12q² − 4: the second derivative of (q² − 1)², accumulated.</summary>
internal readonly struct AddDoubleWellCurvature : IElementwise2
{
    public TD Apply<TL, TU, TD>(TD acc, TD q) where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
        => TL.Add(acc, TL.MultiplyAdd(TL.Multiply(q, q), TL.Broadcast(12.0), TL.Broadcast(-4.0)));
}
