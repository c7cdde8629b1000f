using System.Numerics;
using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>Type-erased access to a kernel: one virtual call per batch, specialised loops below it.</summary>
internal abstract class FlowKernel
{
    public static FlowKernel For<TKernel>() where TKernel : struct, IFlowKernel => FlowKernel<TKernel>.Instance;

    /// <summary>f for every path of a component-major batch, SIMD across paths (the tail is padded to a full register).</summary>
    public abstract void EvaluateBatch(ReadOnlySpan<double> parameters, ReadOnlySpan<double> x, Span<double> dx, int paths, int dimension);

    /// <summary>f for one state.</summary>
    public abstract void Evaluate(ReadOnlySpan<double> parameters, ReadOnlySpan<double> x, Span<double> dx);

    /// <summary>The Jacobian at one state, row-major.</summary>
    public abstract void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> x, Span<double> jacobian);
}

internal sealed class FlowKernel<TKernel> : FlowKernel where TKernel : struct, IFlowKernel
{
    public static readonly FlowKernel<TKernel> Instance = new();

    public override void EvaluateBatch(ReadOnlySpan<double> parameters, ReadOnlySpan<double> x, Span<double> dx, int paths, int dimension)
    {
        int w = Vector<double>.Count;
        Span<VectorReal> s = stackalloc VectorReal[dimension];
        Span<VectorReal> ds = stackalloc VectorReal[dimension];
        Span<double> lanes = stackalloc double[w];
        int p = 0;
        for (; p <= paths - w; p += w)
        {
            for (int i = 0; i < dimension; i++) s[i] = new VectorReal(new Vector<double>(x.Slice(i * paths + p, w)));
            TKernel.Rhs(parameters, s, ds);
            for (int i = 0; i < dimension; i++) ds[i].Value.CopyTo(dx.Slice(i * paths + p, w));
        }
        if (p == paths) return;
        int tail = paths - p;
        for (int i = 0; i < dimension; i++)
        {
            lanes.Clear();
            x.Slice(i * paths + p, tail).CopyTo(lanes);
            s[i] = new VectorReal(new Vector<double>(lanes));
        }
        TKernel.Rhs(parameters, s, ds);
        for (int i = 0; i < dimension; i++)
        {
            ds[i].Value.CopyTo(lanes);
            lanes[..tail].CopyTo(dx.Slice(i * paths + p, tail));
        }
    }

    public override void Evaluate(ReadOnlySpan<double> parameters, ReadOnlySpan<double> x, Span<double> dx)
    {
        int d = x.Length;
        Span<ScalarReal> s = stackalloc ScalarReal[d];
        Span<ScalarReal> ds = stackalloc ScalarReal[d];
        for (int i = 0; i < d; i++) s[i] = x[i];
        TKernel.Rhs(parameters, s, ds);
        for (int i = 0; i < d; i++) dx[i] = ds[i].Value;
    }

    public override void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> x, Span<double> jacobian) =>
        TKernel.Jacobian(parameters, x, jacobian);
}
