using System.Reflection;

namespace Drift.Cli.Tests;

/// <summary>
/// Keeps one vocabulary across the Drift assemblies (issue 19; docs/engine.md, "Vocabulary"): one status enum,
/// and options that say <c>Threads</c>, <c>CancellationToken</c>, <c>Progress</c> and <c>Seed</c>. Checked by
/// reflection over every Drift assembly the CLI ships (this project references them all), so a new assembly or
/// record that brings back an old name fails here.
/// </summary>
public class VocabularyTests
{
    private static readonly string[] Expected =
        ["Drift", "Drift.Cli", "Drift.Generative", "Drift.Generative.Training", "Drift.Jumps", "Drift.Learning", "Drift.Sampling", "Drift.Transport"];

    private static List<Assembly> DriftAssemblies() =>
        Directory.GetFiles(AppContext.BaseDirectory, "Drift*.dll")
            .Select(f => Path.GetFileNameWithoutExtension(f))
            .Where(n => !n.EndsWith(".Tests", StringComparison.Ordinal))
            .Select(n => Assembly.Load(new AssemblyName(n)))
            .ToList();

    private static IEnumerable<Type> PublicTypes() => DriftAssemblies().SelectMany(a => a.GetExportedTypes());

    [Fact]
    public void Every_Drift_assembly_is_inspected()
    {
        var names = DriftAssemblies().Select(a => a.GetName().Name).ToHashSet();
        Assert.All(Expected, e => Assert.Contains(e, names));
    }

    [Fact]
    public void One_public_status_enum_exists_and_it_has_the_shared_names()
    {
        var statuses = PublicTypes().Where(t => t.IsEnum && t.Name.EndsWith("Status", StringComparison.Ordinal)).ToList();
        var only = Assert.Single(statuses);
        Assert.Equal("Drift.Solve.SolveStatus", only.FullName);
        var names = Enum.GetNames(only);
        Assert.All(new[] { "Success", "MaxSteps", "StepTooSmall", "NonFinite", "NotConverged", "Cancelled" }, n => Assert.Contains(n, names));
    }

    [Fact]
    public void Options_records_say_Threads_CancellationToken_and_Progress()
    {
        var options = PublicTypes().Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal) && t.GetMethod("<Clone>$") is not null).ToList();
        Assert.True(options.Count >= 10, $"only {options.Count} options records found: {string.Join(", ", options.Select(t => t.Name))}");
        var bad = new List<string>();
        foreach (var type in options)
            foreach (var p in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                if (p.Name is "MaxDegreeOfParallelism" or "Cancellation" or "Parallelism")
                    bad.Add($"{type.FullName}.{p.Name}");
                if (p.PropertyType == typeof(CancellationToken) && p.Name != "CancellationToken")
                    bad.Add($"{type.FullName}.{p.Name} (a CancellationToken is named CancellationToken)");
                if (p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(IProgress<>) && p.Name != "Progress")
                    bad.Add($"{type.FullName}.{p.Name} (an IProgress is named Progress)");
            }
        Assert.True(bad.Count == 0, "options off the vocabulary:\n" + string.Join('\n', bad));
    }

    [Fact]
    public void Public_methods_name_their_token_and_thread_count_alike()
    {
        var bad = PublicTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                .Where(m => !m.IsSpecialName) // property setters take "value"
                .Concat<MethodBase>(t.GetConstructors()))
            .SelectMany(m => m.GetParameters().Select(p => (m, p)))
            .Where(x => x.p.Name is "maxDegreeOfParallelism" or "cancellation"
                || (x.p.ParameterType == typeof(CancellationToken) && x.p.Name != "cancellationToken"))
            .Select(x => $"{x.m.DeclaringType!.FullName}.{x.m.Name}({x.p.Name})")
            .Distinct().ToList();
        Assert.True(bad.Count == 0, "parameters off the vocabulary:\n" + string.Join('\n', bad));
    }

    /// <summary>
    /// Progress and cancellation travel in the options record of every library run (<c>DiffEq.Solve</c>, <c>Mcmc.Sample</c>,
    /// <c>MultilevelMonteCarlo.Estimate</c>, <c>Lyapunov.Spectrum</c>, the jump simulators, transport and trainers), never as
    /// extra method parameters beside it. The CLI's commands take the process's token as an argument; they are not runs.
    /// </summary>
    [Fact]
    public void Runs_take_progress_and_cancellation_from_their_options_not_as_parameters()
    {
        var bad = PublicTypes()
            .Where(t => t.Assembly.GetName().Name != "Drift.Cli")
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => m.GetParameters().Any(p => p.ParameterType.Name.EndsWith("Options", StringComparison.Ordinal)))
            .SelectMany(m => m.GetParameters().Select(p => (m, p)))
            .Where(x => x.p.ParameterType == typeof(CancellationToken)
                || (x.p.ParameterType.IsGenericType && x.p.ParameterType.GetGenericTypeDefinition() == typeof(IProgress<>)))
            .Select(x => $"{x.m.DeclaringType!.FullName}.{x.m.Name}({x.p.Name})")
            .Distinct().ToList();
        Assert.True(bad.Count == 0, "runs that take progress or a token beside their options:\n" + string.Join('\n', bad));
    }

    /// <summary>
    /// The rule for <c>SolveStatus.Diverged</c> (docs/engine.md, "Vocabulary"): it is only the ensemble layer's summary
    /// ("some paths failed, each listed with its cause"), which shards merge without choosing a cause; the one call
    /// reports the cause of the lowest-indexed failed path, and no failed path has Diverged as its cause.
    /// </summary>
    [Fact]
    public void Diverged_is_only_the_ensemble_layers_summary_and_never_a_cause()
    {
        // dx = x² dt + 0 dW from x0 = 2 blows up at t = 1/2, on every path.
        var problem = Drift.Sde.FromDelegates((t, x, dx, n) => { for (int p = 0; p < n; p++) dx[p] = x[p] * x[p]; },
            (t, x, g, n) => g[..n].Clear(), Drift.Solve.NoiseKind.Additive, 1, [2.0], 0, 1);
        var options = new Drift.SolveOptions { Controller = Drift.Solve.ConstantStep.WithSteps(64), Paths = 8 };
        var solution = Drift.DiffEq.Solve(problem, new Drift.Solve.Sde.EulerMaruyama(), options);
        Assert.Equal(Drift.Solve.SolveStatus.NonFinite, solution.Status);
        Assert.Equal(8, solution.FailedPaths);
        Assert.All(solution.Failures, f => Assert.NotEqual(Drift.Solve.SolveStatus.Diverged, f.Cause));
        Assert.Equal(Drift.Solve.SolveStatus.Diverged, solution.Ensemble.Status);
        Assert.Equal(Drift.Solve.SolveStatus.NonFinite, new Drift.Ensembles.Divergence(0, 0, 0, double.NaN).Cause);
    }
}
