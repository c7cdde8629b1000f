using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Drift.Models.Text;

/// <summary>
/// The memory access and per-lane functions that compiled kernels call. Functions apply the scalar
/// <see cref="Math"/> routine lane by lane, so a path gets the same bits in a register as in the scalar tail.
/// </summary>
internal static class LaneFunctions
{
    public static double Load(ref double row, int index) => Unsafe.Add(ref row, index);
    public static void Store(ref double row, int index, double value) => Unsafe.Add(ref row, index) = value;
    public static Vector256<double> Load256(ref double row, int index) => Vector256.LoadUnsafe(ref row, (nuint)index);
    public static void Store256(ref double row, int index, Vector256<double> value) => value.StoreUnsafe(ref row, (nuint)index);
    public static Vector512<double> Load512(ref double row, int index) => Vector512.LoadUnsafe(ref row, (nuint)index);
    public static void Store512(ref double row, int index, Vector512<double> value) => value.StoreUnsafe(ref row, (nuint)index);

    public static Vector256<double> Map256<TF>(Vector256<double> v) where TF : struct, IScalarFunction =>
        Vector256.Create(TF.Apply(v.GetElement(0)), TF.Apply(v.GetElement(1)), TF.Apply(v.GetElement(2)), TF.Apply(v.GetElement(3)));

    public static Vector256<double> Map256Pair<TF>(Vector256<double> a, Vector256<double> b) where TF : struct, IScalarFunction2 =>
        Vector256.Create(TF.Apply(a.GetElement(0), b.GetElement(0)), TF.Apply(a.GetElement(1), b.GetElement(1)),
            TF.Apply(a.GetElement(2), b.GetElement(2)), TF.Apply(a.GetElement(3), b.GetElement(3)));

    public static Vector512<double> Map512<TF>(Vector512<double> v) where TF : struct, IScalarFunction =>
        Vector512.Create(Map256<TF>(v.GetLower()), Map256<TF>(v.GetUpper()));

    public static Vector512<double> Map512Pair<TF>(Vector512<double> a, Vector512<double> b) where TF : struct, IScalarFunction2 =>
        Vector512.Create(Map256Pair<TF>(a.GetLower(), b.GetLower()), Map256Pair<TF>(a.GetUpper(), b.GetUpper()));
}
