using Drift.Sampling.Targets;

namespace Drift.Sampling.Language;

/// <summary>
/// The likelihood L of a density model (every statement that is not a prior statement; see
/// <see cref="DensityModel.BindTempered"/>) on the unconstrained space: log L(u) = Σ likelihood statements(T(u)), with
/// no Jacobian term (that belongs to the prior, <see cref="DensityPrior"/>), so log p₀ + log L is the model's log π.
/// −∞ where a statement is not finite.
/// </summary>
public readonly struct DensityLikelihood : ILogDensity
{
    private readonly DensityProgram _program;

    internal DensityLikelihood(DensityProgram program) => _program = program;

    /// <inheritdoc/>
    public int Dimension => _program?.Dimension ?? 0;

    /// <inheritdoc/>
    public void Evaluate(ReadOnlySpan<double> x, Span<double> logDensity, Span<double> gradient)
    {
        var program = _program ?? throw new InvalidOperationException("this DensityLikelihood is a default instance; create one with DensityModel.BindTempered.");
        program.Evaluate(x, logDensity, gradient);
        int n = logDensity.Length;
        foreach (var p in program.Parameters)
        {
            if (!p.Transform.HasLower && !p.Transform.HasUpper) continue;
            for (int i = 0; i < p.Size; i++)
            {
                int j = p.Start + i;
                for (int c = 0; c < n; c++)
                {
                    p.Transform.Apply(x[j * n + c], out _, out double logJ, out double dlogJ);
                    logDensity[c] -= logJ;
                    gradient[j * n + c] -= dlogJ;
                }
            }
        }
    }
}
