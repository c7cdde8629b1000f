using System.Numerics;
using System.Runtime.InteropServices;
using Drift.Learning.Autodiff;

namespace Drift.Learning.Optimisers;

/// <summary>
/// Adam (Kingma &amp; Ba 2015) and AdamW (Loshchilov &amp; Hutter 2019), computed exactly as PyTorch's
/// single-tensor implementation: m ← m + (1 − β₁)(g − m), v ← β₂v + (1 − β₂)g²,
/// θ ← θ − (η/(1 − β₁ᵗ))·m/(√v/√(1 − β₂ᵗ) + ε). Adam's weight decay adds λθ to g (L2);
/// AdamW's decays the parameter first, θ ← θ(1 − ηλ).
/// </summary>
public class Adam<T> : Optimiser<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly Tensor<T>[] first, second;

    /// <summary>Creates Adam (coupled L2 weight decay).</summary>
    public Adam(IReadOnlyList<Tensor<T>> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0)
        : this(parameters, learningRate, beta1, beta2, epsilon, weightDecay, decoupled: false) { }

    /// <summary>Creates the optimiser with weight decay coupled (Adam) or decoupled (AdamW).</summary>
    protected Adam(IReadOnlyList<Tensor<T>> parameters, double learningRate, double beta1, double beta2, double epsilon,
        double weightDecay, bool decoupled) : base(parameters, learningRate)
    {
        if (!(beta1 >= 0 && beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "beta1 must be in [0, 1).");
        if (!(beta2 >= 0 && beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "beta2 must be in [0, 1).");
        if (!(epsilon >= 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "epsilon must be non-negative.");
        if (!(weightDecay >= 0)) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "weightDecay must be non-negative.");
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
        Decoupled = decoupled;
        first = new Tensor<T>[parameters.Count];
        second = new Tensor<T>[parameters.Count];
        for (int i = 0; i < first.Length; i++)
        {
            first[i] = ZerosLike(i);
            second[i] = ZerosLike(i);
        }
    }

    /// <summary>β₁.</summary>
    public double Beta1 { get; }
    /// <summary>β₂.</summary>
    public double Beta2 { get; }
    /// <summary>ε.</summary>
    public double Epsilon { get; }
    /// <summary>λ.</summary>
    public double WeightDecay { get; }
    /// <summary>Whether weight decay is decoupled (AdamW).</summary>
    public bool Decoupled { get; }

    /// <inheritdoc/>
    protected override void Update(int index, Span<T> p, ReadOnlySpan<T> g)
    {
        var m = first[index].Span;
        var v = second[index].Span;
        T b1 = T.CreateChecked(1 - Beta1), beta2 = T.CreateChecked(Beta2), b2 = T.CreateChecked(1 - Beta2);
        T wd = T.CreateChecked(WeightDecay), eps = T.CreateChecked(Epsilon);
        double correction1 = 1 - Math.Pow(Beta1, StepCount);
        double correction2 = 1 - Math.Pow(Beta2, StepCount);
        T stepSize = T.CreateChecked(LearningRate / correction1);
        T root2 = T.CreateChecked(Math.Sqrt(correction2));
        if (Decoupled && WeightDecay != 0)
        {
            T shrink = T.One - T.CreateChecked(LearningRate * WeightDecay);
            for (int i = 0; i < p.Length; i++) p[i] *= shrink;
        }
        bool l2 = !Decoupled && WeightDecay != 0;
        int k = 0;
        if (Vector.IsHardwareAccelerated && !l2)
        {
            // The same IEEE operations element by element as the scalar loop below, so the same bits.
            var pv = MemoryMarshal.Cast<T, Vector<T>>(p); var gv = MemoryMarshal.Cast<T, Vector<T>>(g);
            var mv = MemoryMarshal.Cast<T, Vector<T>>(m); var vv = MemoryMarshal.Cast<T, Vector<T>>(v);
            Vector<T> vb1 = new(b1), vbeta2 = new(beta2), vb2 = new(b2), vroot2 = new(root2), veps = new(eps), vstep = new(stepSize);
            for (int j = 0; j < pv.Length; j++)
            {
                var gj = gv[j];
                var mj = mv[j] + vb1 * (gj - mv[j]);
                var vj = vv[j] * vbeta2 + vb2 * gj * gj;
                mv[j] = mj;
                vv[j] = vj;
                pv[j] -= vstep * (mj / (Vector.SquareRoot(vj) / vroot2 + veps));
            }
            k = pv.Length * Vector<T>.Count;
        }
        for (; k < p.Length; k++)
        {
            T gk = l2 ? g[k] + wd * p[k] : g[k];
            m[k] += b1 * (gk - m[k]);
            v[k] = v[k] * beta2 + b2 * gk * gk;
            T denom = T.Sqrt(v[k]) / root2 + eps;
            p[k] -= stepSize * (m[k] / denom);
        }
    }

    /// <inheritdoc/>
    public override IReadOnlyList<(string Name, Tensor<T> Tensor)> State()
    {
        var list = new List<(string, Tensor<T>)>();
        for (int i = 0; i < first.Length; i++)
        {
            list.Add(($"{i}.exp_avg", first[i]));
            list.Add(($"{i}.exp_avg_sq", second[i]));
        }
        return list;
    }
}
