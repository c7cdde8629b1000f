namespace Drift.Numerics;

/// <summary>
/// Arithmetic written once for a scalar double and for a register of doubles (one lane per path):
/// the vector fields of the chaos catalogue are generic over this, so one definition runs both
/// SIMD across paths in ensembles and scalar along one trajectory in Lyapunov analysis.
/// </summary>
/// <typeparam name="T">The implementing type.</typeparam>
internal interface IReal<T> where T : struct, IReal<T>
{
    static abstract T operator +(T a, T b);
    static abstract T operator -(T a, T b);
    static abstract T operator *(T a, T b);
    static abstract T operator /(T a, T b);
    static abstract T operator -(T a);
    static abstract implicit operator T(double value);
    static abstract T Sin(T a);
    static abstract T Cos(T a);
    static abstract T Exp(T a);
    static abstract T Abs(T a);
    static abstract T Sign(T a);
}
