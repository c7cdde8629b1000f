using Drift.Models.Text;
using Drift.Sampling.Stochastic;

namespace Drift.Sampling.Language;

/// <summary>
/// A density model as a minibatch target for SG-MCMC (<see cref="Sgmcmc"/>): log π(u) = log p₀(u) + Σᵢ₌₁ᴺ log p(yᵢ ∣ u)
/// on the unconstrained space, with the prior p₀ (its <c>~</c> statements on parameters and the transforms' Jacobian,
/// as <see cref="DensityModel.BindTempered"/> splits it) and one likelihood term per observation i.
/// </summary>
/// <remarks>
/// The observations are the rows of the data sized by one count: every likelihood statement must be a <c>~</c>
/// statement whose left side is data declared with first size the same int data N (<c>y: vector[N]</c>,
/// <c>y: int[N]</c>); term i is the likelihood statements evaluated on row i of every datum whose first size is N
/// (element i of a vector, row i of a matrix, with N read as 1), other data whole. Each term is bound once, so a
/// minibatch B costs |B| small evaluations; <see cref="Sgmcmc"/> scales their sum by N/|B|. A <c>target +=</c>
/// statement or a likelihood on data not sized by N cannot be split into terms and is an error at its line and column.
/// </remarks>
public sealed class DensityMinibatch : IMinibatchLogDensity
{
    private readonly DensityProgram _prior;
    private readonly DensityLikelihood[] _terms;

    private DensityMinibatch(DensityProgram prior, DensityLikelihood[] terms, DensityTarget posterior)
    {
        _prior = prior;
        _terms = terms;
        Posterior = posterior;
    }

    /// <summary>The whole model (names, constrained scale, the full log π).</summary>
    public DensityTarget Posterior { get; }

    /// <inheritdoc/>
    public int Dimension => _prior.Dimension;

    /// <inheritdoc/>
    public int DataCount => _terms.Length;

    /// <inheritdoc/>
    public double LogPrior(ReadOnlySpan<double> theta, Span<double> gradient) => _prior.Evaluate(theta, gradient);

    /// <inheritdoc/>
    public double LogLikelihood(ReadOnlySpan<double> theta, ReadOnlySpan<int> indices, Span<double> gradient)
    {
        int d = Dimension;
        gradient[..d].Clear();
        Span<double> lp = stackalloc double[1];
        Span<double> g = d <= 256 ? stackalloc double[d] : new double[d];
        double sum = 0;
        foreach (int i in indices)
        {
            _terms[i].Evaluate(theta, lp, g);
            sum += lp[0];
            for (int j = 0; j < d; j++) gradient[j] += g[j];
        }
        return sum;
    }

    internal static DensityMinibatch Bind(List<Statement> statements, DensityData data, long compileLimit)
    {
        var (prior, _, _, full, likelihood) = PriorSplit.Split(statements, data, compileLimit);
        var declarations = likelihood.OfType<DataStatement>().ToDictionary(d => d.Name.Text, StringComparer.Ordinal);
        string? count = null;
        foreach (var s in likelihood)
        {
            if (s is DataStatement or DensityParameterStatement) continue;
            (int line, int column) = s is SamplingStatement st ? (st.Variate.Line, st.Variate.Column) : (s.Name.Line, s.Name.Column);
            string? size = s is SamplingStatement { Variate: NameNode v } && declarations.TryGetValue(v.Name, out var decl) && decl.Sizes.Length >= 1 && decl.Sizes[0] is NameNode sizeName ? sizeName.Name : null;
            if (size is null || (count is not null && size != count))
                throw new ModelParseException($"SG-MCMC subsamples observations: every likelihood statement must be '~' on data whose first size is the same count{(count is null ? "" : $" ({count})")}, like 'y ~ ...' with 'data y: vector[N]'; this one {(s is TargetStatement ? "is 'target +='" : "is not")}", line, column);
            count = size;
        }
        int n = data.TryGet(count!, out var value) ? (int)value.Values[0] : data.Rows ?? 0;
        var sliced = declarations.Values.Where(d => d.Sizes.Length >= 1 && d.Sizes[0] is NameNode s && s.Name == count).Select(d => d.Name.Text).ToHashSet(StringComparer.Ordinal);
        var terms = new DensityLikelihood[n];
        for (int i = 0; i < n; i++)
        {
            var row = new DensityData($"{data.Source}, observation {i + 1}");
            row.Add(count!, 1);
            foreach (var name in data.Names)
            {
                if (name == count || !data.TryGet(name, out var v)) continue;
                if (!sliced.Contains(name)) Copy(row, name, v);
                else if (v.Shape.Length == 1) row.Add(name, [v.Values[i]]);
                else
                {
                    int k = v.Shape[1];
                    var matrix = new double[1, k];
                    for (int j = 0; j < k; j++) matrix[0, j] = v.Values[i * k + j];
                    row.Add(name, matrix);
                }
            }
            terms[i] = new DensityLikelihood(DensityBinder.Bind(likelihood, row, compileLimit: 0));
        }
        return new DensityMinibatch(prior, terms, new DensityTarget(full));
    }

    private static void Copy(DensityData to, string name, DataValue v)
    {
        switch (v.Shape.Length)
        {
            case 0: to.Add(name, v.Values[0]); break;
            case 1: to.Add(name, v.Values); break;
            default:
                var m = new double[v.Shape[0], v.Shape[1]];
                for (int r = 0; r < v.Shape[0]; r++)
                    for (int c = 0; c < v.Shape[1]; c++) m[r, c] = v.Values[r * v.Shape[1] + c];
                to.Add(name, m);
                break;
        }
    }
}
