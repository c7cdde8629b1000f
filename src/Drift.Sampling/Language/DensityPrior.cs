using System.Globalization;
using Drift.Random;
using Drift.Sampling.Smc;

namespace Drift.Sampling.Language;

/// <summary>
/// The prior p₀ of a density model (its <c>~</c> statements on parameters; see <see cref="DensityModel.BindTempered"/>)
/// on the unconstrained space, log p₀(u) = Σ prior statements(T(u)) + Σⱼ log |dxⱼ/duⱼ|, with exact ancestral draws:
/// parameters are drawn one statement at a time in an order where every argument is already known, each element from
/// its distribution (normal μ + σz; student_t μ + σ z/√(2G/ν), G ~ Gamma(ν/2); cauchy μ + σ tan(π(U − ½));
/// exponential G₁/λ; gamma G_α/β; beta G_a/(G_a + G_b); lognormal e^{μ + σz}; Gₐ ~ Gamma(a, 1)), redrawn while it falls
/// outside the parameter's bounds (a truncated prior, whose arguments are then constant), and mapped to u = T⁻¹(x).
/// </summary>
/// <remarks>
/// Every distribution of the language is normalised, so p₀ integrates to 1 over the parameters' support except where
/// bounds truncate it; there the drawn law is the truncated prior renormalised, and because tempered SMC uses p₀ only in
/// ratios (the Metropolis moves) the evidence it estimates is the one of the renormalised, proper truncated prior.
/// </remarks>
public readonly struct DensityPrior : IPrior
{
    private const int MaxRejections = 10_000;
    private readonly DensityProgram _program;
    private readonly PriorStep[] _steps;

    internal DensityPrior(DensityProgram program, PriorStep[] steps)
    {
        _program = program;
        _steps = steps;
        Target = new DensityTarget(program);
    }

    /// <summary>The prior as a <see cref="DensityTarget"/> (names, constrain, the same log p₀).</summary>
    public DensityTarget Target { get; }

    /// <inheritdoc/>
    public int Dimension => Target.Dimension;

    /// <inheritdoc/>
    public void Evaluate(ReadOnlySpan<double> x, Span<double> logDensity, Span<double> gradient) => Target.Evaluate(x, logDensity, gradient);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A prior statement's arguments are invalid at the values drawn for the parameters
    /// they depend on (a scale ≤ 0, say), or a truncated prior gives no value inside its bounds in 10⁴ draws; the message
    /// names the statement's line and column.</exception>
    public void Draw(ref StepDraws draws, Span<double> point)
    {
        var program = _program ?? throw new InvalidOperationException("this DensityPrior is a default instance; create one with DensityModel.BindTempered.");
        int d = program.Dimension;
        if (point.Length != d) throw new ArgumentException($"the prior has dimension {d}; got a point of length {point.Length}.", nameof(point));
        var x = new double[d];
        foreach (var p in program.Parameters)
            for (int i = 0; i < p.Size; i++) x[p.Start + i] = p.Transform.Apply(0, out _, out _, out _);
        Span<double> a = stackalloc double[3];
        foreach (var step in _steps)
        {
            var node = step.Statement;
            var p = step.Parameter;
            var info = node.Distribution!;
            var arguments = new double[node.Children.Length - 1][];
            for (int k = 0; k < arguments.Length; k++) arguments[k] = program.ValueAt(x, node.Children[k + 1]).ToArray();
            for (int i = 0; i < p.Size; i++)
            {
                a.Clear();
                for (int k = 0; k < arguments.Length; k++) a[k] = arguments[k][arguments[k].Length == 1 ? 0 : i];
                string? invalid = Invalid(info.Kind, a);
                if (invalid is not null)
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                        $"line {node.Source.Line}, column {node.Source.Column}: the prior {info.Name}({info.Arguments}) of '{p.Name}' has {invalid} at a prior draw of the parameters it depends on ({Describe(program, x, node)})."), nameof(draws));
                double v = double.NaN;
                for (int attempt = 0; attempt < MaxRejections; attempt++)
                {
                    v = One(info.Kind, ref draws, a[0], a[1], a[2]);
                    if (info.InSupport(v) && v > p.Transform.Lower && v < p.Transform.Upper) break;
                    v = double.NaN;
                }
                if (double.IsNaN(v))
                    throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                        $"line {node.Source.Line}, column {node.Source.Column}: the prior {info.Name} of '{p.Name}' gave no value inside its bounds ({p.Transform.Describe().Trim()}) in {MaxRejections} draws; the bounds cut off almost all of its mass."), nameof(draws));
                x[p.Start + i] = v;
            }
        }
        foreach (var p in program.Parameters)
            for (int i = 0; i < p.Size; i++) point[p.Start + i] = p.Transform.Invert(x[p.Start + i]);
    }

    /// <summary>One exact draw of the distribution with arguments a, b, c (as in the language's order).</summary>
    private static double One(DistributionKind kind, ref StepDraws r, double a, double b, double c) => kind switch
    {
        DistributionKind.Normal => a + b * r.NextNormal(),
        DistributionKind.StudentT => b + c * r.NextNormal() / Math.Sqrt(2 * Variates.Gamma(ref r, 0.5 * a) / a),
        DistributionKind.Cauchy => a + b * Math.Tan(Math.PI * (r.NextUniform() - 0.5)),
        DistributionKind.Exponential => Variates.Gamma(ref r, 1) / a,
        DistributionKind.Gamma => Variates.Gamma(ref r, a) / b,
        DistributionKind.Beta => Ratio(Variates.Gamma(ref r, a), Variates.Gamma(ref r, b)),
        DistributionKind.Lognormal => Math.Exp(a + b * r.NextNormal()),
        _ => throw new InvalidOperationException($"{kind} cannot be a prior"),
    };

    private static double Ratio(double x, double y) => x / (x + y);

    /// <summary>Why the arguments are invalid for the distribution, or null.</summary>
    private static string? Invalid(DistributionKind kind, ReadOnlySpan<double> a)
    {
        static bool Positive(double v) => v > 0 && double.IsFinite(v);
        static string S(double v) => v.ToString("G6", CultureInfo.InvariantCulture);
        return kind switch
        {
            DistributionKind.Normal or DistributionKind.Cauchy or DistributionKind.Lognormal =>
                !double.IsFinite(a[0]) ? $"location {S(a[0])}" : !Positive(a[1]) ? $"scale {S(a[1])}" : null,
            DistributionKind.StudentT => !Positive(a[0]) ? $"nu = {S(a[0])}" : !double.IsFinite(a[1]) ? $"location {S(a[1])}" : !Positive(a[2]) ? $"scale {S(a[2])}" : null,
            DistributionKind.Exponential => !Positive(a[0]) ? $"rate {S(a[0])}" : null,
            DistributionKind.Gamma => !Positive(a[0]) ? $"shape {S(a[0])}" : !Positive(a[1]) ? $"rate {S(a[1])}" : null,
            DistributionKind.Beta => !Positive(a[0]) ? $"a = {S(a[0])}" : !Positive(a[1]) ? $"b = {S(a[1])}" : null,
            _ => "a discrete distribution",
        };
    }

    private static string Describe(DensityProgram program, double[] x, TapeNode node)
    {
        var names = new List<string>();
        foreach (var p in program.Parameters)
            if (Uses(node, p.Node)) names.Add(p.Size == 1 ? $"{p.Name} = {PriorSplit.F(x[p.Start])}" : p.Name);
        return names.Count == 0 ? "none" : string.Join(", ", names);
    }

    private static bool Uses(TapeNode node, TapeNode parameter)
    {
        for (int k = 1; k < node.Children.Length; k++)
            if (Reaches(node.Children[k], parameter)) return true;
        return false;
    }

    private static bool Reaches(TapeNode n, TapeNode target) => ReferenceEquals(n, target) || (n.Live && n.Children.Any(c => Reaches(c, target)));
}
