using Drift.Numerics;

namespace Drift.Langevin;

/// <summary>c₁·a + c₂·b + c₃·w (a linear combination of three rows).</summary>
internal readonly struct Combine3(double c1, double c2, double c3) : IElementwise3
{
    public TD Apply<TL, TU, TD>(TD a, TD b, TD w) where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
        => TL.MultiplyAdd(w, TL.Broadcast(c3), TL.MultiplyAdd(b, TL.Broadcast(c2), TL.Multiply(a, TL.Broadcast(c1))));
}

/// <summary>a + c₂·b + c₃·e + c₄·w (a row plus a combination of three others).</summary>
internal readonly struct AddCombine3(double c2, double c3, double c4) : IElementwise4
{
    public TD Apply<TL, TU, TD>(TD a, TD b, TD e, TD w) where TL : struct, ILanes<TU, TD> where TU : struct where TD : struct
        => TL.Add(a, TL.MultiplyAdd(w, TL.Broadcast(c4), TL.MultiplyAdd(e, TL.Broadcast(c3), TL.Multiply(b, TL.Broadcast(c2)))));
}
