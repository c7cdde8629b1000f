using Drift.Models.Text;

namespace Drift.Sampling.Language;

/// <summary>
/// A log-density written in the density form of Drift's text model language (grammar in docs/sampling.md, "Density
/// language"): <c>data</c> declarations, <c>param</c> declarations with optional bounds, vectorised
/// <c>y ~ dist(args)</c> statements and <c>target += expr</c>. Parse once, then <see cref="Bind"/> it to data to get a
/// <see cref="DensityTarget"/> that every sampler runs.
/// </summary>
/// <example>
/// <code>
/// var model = DensityModel.Parse(File.ReadAllText("logistic.drift"));
/// var target = model.Bind(DensityData.Read("logistic.json"));
/// var result = Mcmc.Sample(target, new McmcOptions { ParameterNames = target.Names, Seed = 1 })
///     .MapDraws(target.Names, target.Constrain);                       // draws on the constrained scale
/// </code>
/// </example>
public sealed class DensityModel
{
    private readonly List<Statement> _statements;

    private DensityModel(List<Statement> statements)
    {
        _statements = statements;
        DataNames = [.. statements.OfType<DataStatement>().Select(d => d.Name.Text)];
        ParameterNames = [.. statements.OfType<DensityParameterStatement>().Select(p => p.Name.Text)];
    }

    /// <summary>Parses and checks model text (names, kinds, distributions); shapes are checked by <see cref="Bind"/>.</summary>
    /// <exception cref="ModelParseException">The first problem, with its line and column.</exception>
    public static DensityModel Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var statements = Parser.ParseDensity(text);
        if (statements.Count == 0) throw new ModelParseException("the model is empty: declare 'param NAME' and add '~' statements", 1, 1);
        DensityBinder.Check(statements);
        return new DensityModel(statements);
    }

    /// <summary>The declared data names, in order.</summary>
    public IReadOnlyList<string> DataNames { get; }

    /// <summary>The declared parameter names (scalars and vectors), in order.</summary>
    public IReadOnlyList<string> ParameterNames { get; }

    /// <summary>Binds the model to data: checks every data declaration and compiles the density and its gradient.</summary>
    /// <exception cref="ModelParseException">Missing data, a wrong kind or shape, a bound violated by the data, a variate outside its
    /// distribution's support, or a shape mismatch in an expression — at the line and column of the declaration or expression.</exception>
    public DensityTarget Bind(DensityData data) => BindWith(data, DensityCompiler.DefaultLimit);

    /// <summary>
    /// Binds the model to data split into a prior and a likelihood for tempered SMC: a <c>~</c> statement whose left side
    /// is exactly a parameter's name, with that parameter's length, is the parameter's prior; every other statement (on
    /// data, on an expression, <c>target +=</c>) is the likelihood. Every parameter needs exactly one prior statement,
    /// drawable from numbers, data and parameters drawn before it (docs/sampling.md, "Prior and likelihood").
    /// </summary>
    /// <exception cref="ModelParseException">As <see cref="Bind(DensityData)"/>; also a parameter without a prior statement
    /// or with two, no likelihood statement, prior statements that depend on each other in a cycle, or a prior truncated
    /// by its parameter's bounds whose arguments depend on parameters — at the line and column of the cause.</exception>
    public TemperedDensity BindTempered(DensityData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var (prior, steps, likelihood, full) = PriorSplit.Bind(_statements, data, DensityCompiler.DefaultLimit);
        return new TemperedDensity(new DensityPrior(prior, steps), new DensityLikelihood(likelihood), new DensityTarget(full));
    }

    /// <summary>
    /// Binds the model to data as a minibatch target for SG-MCMC: the prior as <see cref="BindTempered"/> splits it, and
    /// one likelihood term per observation (the rows of the data sized by one count N; see <see cref="DensityMinibatch"/>).
    /// </summary>
    /// <exception cref="ModelParseException">As <see cref="BindTempered"/>; also a likelihood statement that is not '~' on
    /// data whose first size is the same count for all of them.</exception>
    public DensityMinibatch BindMinibatch(DensityData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return DensityMinibatch.Bind(_statements, data, DensityCompiler.DefaultLimit);
    }

    /// <summary><see cref="Bind(DensityData)"/> with a chosen compile limit (0: interpreter only), for the tests that compare the two evaluators.</summary>
    internal DensityTarget BindWith(DensityData data, long compileLimit)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new DensityTarget(DensityBinder.Bind(_statements, data, compileLimit));
    }
}
