using System.Collections.Immutable;
using System.Reflection;
using Drift.Models;
using Drift.Solve;
using Drift.Solve.Sde;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Drift.Tests.Solve;

/// <summary>
/// The compile-time layer of the one call (issue 19): a typed problem (<c>Sde.Problem(model, x0, t0, t1, new Ito())</c>)
/// with a solver that cannot integrate its noise trait or calculus does not compile, the good pairings do, the traits
/// the catalogue and the solvers declare agree with their run-time <c>Noise</c> and <c>Supports</c>, and the typed call
/// gives the bits of the run-time call. Snippets are compiled in process with Roslyn against the built Drift.dll.
/// </summary>
public class TypedSolveTests
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
        [.. ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Append(typeof(DiffEq).Assembly.Location)
            .Distinct()
            .Select(p => MetadataReference.CreateFromFile(p))]);

    /// <summary>The error codes of a snippet compiled as the body of a method with the usual usings.</summary>
    private static List<string> Errors(string body)
    {
        string code = $$"""
            using Drift;
            using Drift.Models;
            using Drift.Models.Finance;
            using Drift.Models.Text;
            using Drift.Solve;
            using Drift.Solve.Sde;
            internal static class Snippet
            {
                internal static Solution Run(SolveOptions o, TextSde text)
                {
                    {{body}}
                }
            }
            """;
        var compilation = CSharpCompilation.Create("Snippet", [CSharpSyntaxTree.ParseText(code, new CSharpParseOptions(LanguageVersion.Latest))],
            References.Value, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        return compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => $"{d.Id}: {d.GetMessage()}").ToList();
    }

    [Theory]
    // Additive-only SRA1 with a general (Heston) or a diagonal (GBM) diffusion: the diffusion lacks IAdditiveNoise.
    [InlineData("return DiffEq.Solve(Sde.Problem(default(Heston), [100.0, 0.04], 0, 1, new Ito()), new Sra1(), o);", "CS0315")]
    [InlineData("return DiffEq.Solve(Sde.Problem(new GeometricBrownianMotion(0.05, 0.2), [1.0], 0, 1, new Stratonovich()), new Sra1(), o);", "CS0315")]
    // Itô-only solvers (Euler–Maruyama, SRIW1) with a Stratonovich problem of state-dependent noise.
    [InlineData("return DiffEq.Solve(Sde.Problem(new GeometricBrownianMotion(0.05, 0.2), [1.0], 0, 1, new Stratonovich()), new EulerMaruyama(), o);", "CS0315")]
    [InlineData("return DiffEq.Solve(Sde.Problem(new GeometricBrownianMotion(0.05, 0.2), [1.0], 0, 1, new Stratonovich()), new Sriw1(), o);", "CS0315")]
    // Stratonovich-only Euler–Heun with an Itô problem of state-dependent noise.
    [InlineData("return DiffEq.Solve(Sde.Problem(new GeometricBrownianMotion(0.05, 0.2), [1.0], 0, 1, new Ito()), new EulerHeun(), o);", "CS0315")]
    // Commutative-noise solvers with general noise; a text model is general at the type level.
    [InlineData("return DiffEq.Solve(Sde.Problem(default(Heston), [100.0, 0.04], 0, 1, new Ito()), new Milstein(Calculus.Ito), o);", "CS0315")]
    [InlineData("return DiffEq.Solve(Sde.Problem(text, [1.0], 0, 1, new Ito()), new Sriw1(), o);", "CS0315")]
    // A solver that declares no capability at all (step doubling wraps one) matches no typed overload.
    [InlineData("return DiffEq.Solve(Sde.Problem(new OrnsteinUhlenbeck(1, 0, 1), [0.0], 0, 1, new Ito()), new StepDoubling<Sra1>(new Sra1()), o);", "CS0411")]
    public void A_solver_that_cannot_integrate_the_typed_problem_does_not_compile(string body, string code)
    {
        var errors = Errors(body);
        Assert.True(errors.Count > 0 && errors.All(e => e.StartsWith(code, StringComparison.Ordinal)), $"expected {code} only, got:\n{string.Join('\n', errors)}");
    }

    [Theory]
    [InlineData("return DiffEq.Solve(Sde.Problem(default(Heston), [100.0, 0.04], 0, 1, new Ito()), new EulerMaruyama(), o);")]
    [InlineData("return DiffEq.Solve(Sde.Problem(default(Heston), [100.0, 0.04], 0, 1, new Stratonovich()), new ReversibleHeun(), o);")]
    [InlineData("return DiffEq.Solve(Sde.Problem(new OrnsteinUhlenbeck(1, 0, 1), [0.0], 0, 1, new Ito()), new Sra1(), o);")]
    [InlineData("return DiffEq.Solve(Sde.Problem(new OrnsteinUhlenbeck(1, 0, 1), [0.0], 0, 1, new Stratonovich()), new Sra1(), o);")]
    [InlineData("return DiffEq.Solve(Sde.Problem(new OrnsteinUhlenbeck(1, 0, 1), [0.0], 0, 1, new Stratonovich()), new EulerMaruyama(), o);")]
    [InlineData("return DiffEq.Solve(Sde.Problem(new GeometricBrownianMotion(0.05, 0.2), [1.0], 0, 1, new Ito()), new Sriw1(), o);")]
    [InlineData("return DiffEq.Solve(Sde.Problem(new GeometricBrownianMotion(0.05, 0.2), [1.0], 0, 1, new Ito()), new Milstein(Calculus.Ito), o);")]
    [InlineData("return DiffEq.Solve(Sde.Problem(new GeometricBrownianMotion(0.05, 0.2), [1.0], 0, 1, new Stratonovich()), new EulerHeun(), o);")]
    [InlineData("return DiffEq.Solve(Sde.Problem(new StochasticLorenz(10, 28, 8.0 / 3, 1), [1.0, 1, 1], 0, 1, new Ito()), new Sra1(), o);")]
    [InlineData("return DiffEq.Solve(Sde.Problem(text, [1.0], 0, 1, new Ito()), new EulerMaruyama(), o);")]
    // The run-time call is unchanged: any pairing compiles and is checked when it runs.
    [InlineData("return DiffEq.Solve(Sde.Problem(default(Heston), [100.0, 0.04], 0, 1), new Sra1(), o);")]
    [InlineData("return DiffEq.Solve(Sde.Problem(text, [1.0], 0, 1, Calculus.Ito), new Sriw1(), o);")]
    public void A_solver_that_integrates_the_typed_problem_compiles(string body)
    {
        var errors = Errors(body);
        Assert.True(errors.Count == 0, string.Join('\n', errors));
    }

    [Fact]
    public void The_typed_call_gives_the_bits_of_the_runtime_call()
    {
        var options = new SolveOptions { Controller = ConstantStep.WithSteps(16), Paths = 64, Seed = 7 };
        var ou = new OrnsteinUhlenbeck(2, 1, 0.5);
        var gbm = new GeometricBrownianMotion(0.05, 0.2);
        AssertSameBits(DiffEq.Solve(Sde.Problem(ou, [0.0], 0, 1), new Sra1(), options),
            DiffEq.Solve(Sde.Problem(ou, [0.0], 0, 1, new Ito()), new Sra1(), options));
        AssertSameBits(DiffEq.Solve(Sde.Problem(gbm, [1.0], 0, 1, Calculus.Stratonovich), new Milstein(Calculus.Stratonovich), options),
            DiffEq.Solve(Sde.Problem(gbm, [1.0], 0, 1, new Stratonovich()), new Milstein(Calculus.Stratonovich), options));
        var adaptive = options with { Controller = new Drift.Solve.Adaptive.PidController { RelativeTolerance = 1e-3, AbsoluteTolerance = 1e-3 } };
        AssertSameBits(DiffEq.Solve(Sde.Problem(gbm, [1.0], 0, 1), new Sriw1(), adaptive),
            DiffEq.Solve(Sde.Problem(gbm, [1.0], 0, 1, new Ito()), new Sriw1(), adaptive));
    }

    private static void AssertSameBits(Solution expected, Solution actual)
    {
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.Times, actual.Times);
        for (int s = 0; s < expected.Times.Count; s++)
        {
            var (a, b) = (expected.Moments(s, 0), actual.Moments(s, 0));
            Assert.Equal(BitConverter.DoubleToInt64Bits(a.Mean), BitConverter.DoubleToInt64Bits(b.Mean));
            Assert.Equal(BitConverter.DoubleToInt64Bits(a.Variance), BitConverter.DoubleToInt64Bits(b.Variance));
        }
    }

    [Fact]
    public void What_the_type_cannot_see_is_still_checked_at_run_time()
    {
        // Milstein's calculus is a constructor argument: the typed Itô call compiles with the Stratonovich instance.
        var problem = Sde.Problem(new GeometricBrownianMotion(0.05, 0.2), [1.0], 0, 1, new Ito());
        var e = Assert.Throws<ArgumentException>(() => DiffEq.Solve(problem, new Milstein(Calculus.Stratonovich), new SolveOptions { Controller = ConstantStep.WithSteps(4), Paths = 4 }));
        Assert.Contains("milstein-strat", e.Message, StringComparison.Ordinal);
    }

    private static int Rank(Type trait) =>
        trait == typeof(IAdditiveNoise) ? 0 : trait == typeof(IDiagonalNoise) ? 1 : trait == typeof(IGeneralNoise) ? 2 : throw new ArgumentException(trait.Name);

    private static int Rank(NoiseKind kind) => kind switch { NoiseKind.Additive => 0, NoiseKind.Scalar or NoiseKind.Diagonal => 1, _ => 2 };

    /// <summary>The narrowest trait a diffusion type declares.</summary>
    private static int TraitRank(Type diffusion) =>
        new[] { typeof(IAdditiveNoise), typeof(IDiagonalNoise), typeof(IGeneralNoise) }.Where(t => t.IsAssignableFrom(diffusion)).Select(Rank).DefaultIfEmpty(3).Min();

    private static IEnumerable<Type> LibraryStructs<T>() =>
        typeof(DiffEq).Assembly.GetExportedTypes().Where(t => t.IsValueType && typeof(T).IsAssignableFrom(t));

    /// <summary>A generic catalogue type closed over public structs that meet its constraints (a Langevin model over a catalogue potential).</summary>
    private static Type? Closed(Type type)
    {
        if (!type.IsGenericTypeDefinition) return type;
        var arguments = type.GetGenericArguments().Select(p => typeof(DiffEq).Assembly.GetExportedTypes()
            .FirstOrDefault(c => c.IsValueType && !c.IsGenericTypeDefinition && p.GetGenericParameterConstraints().All(k => k.IsAssignableFrom(c)))).ToArray();
        return arguments.Any(a => a is null) ? null : type.MakeGenericType(arguments!);
    }

    [Fact]
    public void Every_library_diffusion_carries_a_noise_trait_no_narrower_than_its_runtime_class()
    {
        var types = LibraryStructs<IDiffusion>().ToList();
        Assert.True(types.Count >= 10, string.Join(", ", types.Select(t => t.Name)));
        var classOf = typeof(Noise).GetMethod(nameof(Noise.Class))!;
        foreach (var open in types)
        {
            Assert.True(TraitRank(open) <= 2, $"{open.Name} declares no noise trait (IAdditiveNoise, IDiagonalNoise or IGeneralNoise)");
            if (open == typeof(DiffusionFunction) || open == typeof(Drift.Models.Text.TextSde))
            {
                // Their class is decided at run time (delegates, model text), so the type promises only the widest.
                Assert.Equal(2, TraitRank(open));
                continue;
            }
            var type = Closed(open);
            Assert.NotNull(type);
            var instance = Activator.CreateInstance(type!)!; // the class is a property of the type: constant getters
            var runtime = (NoiseKind)classOf.MakeGenericMethod(type!).Invoke(null, [instance])!;
            Assert.True(Rank(runtime) <= TraitRank(open), $"{open.Name}: trait rank {TraitRank(open)} is narrower than its run-time class {runtime}");
            Assert.True(Rank(runtime) == TraitRank(open), $"{open.Name}: trait rank {TraitRank(open)} is wider than its run-time class {runtime} (declare the narrowest)");
        }
    }

    [Fact]
    public void Every_library_solver_declares_per_calculus_the_widest_noise_its_runtime_check_accepts()
    {
        var solvers = LibraryStructs<ISdeSolver>().Where(t => !t.IsGenericTypeDefinition).ToList();
        Assert.True(solvers.Count >= 6, string.Join(", ", solvers.Select(t => t.Name)));
        foreach (var type in solvers)
            foreach (var (calculus, capability) in new[] { (Calculus.Ito, typeof(IItoSolver<,>)), (Calculus.Stratonovich, typeof(IStratonovichSolver<,>)) })
            {
                // Milstein's (and implicit Milstein's) calculus is a constructor argument: the instance that integrates this calculus.
                var solver = type == typeof(Milstein) ? new Milstein(calculus)
                    : type == typeof(ImplicitMilstein) ? new ImplicitMilstein(calculus)
                    : (ISdeSolver)Activator.CreateInstance(type)!;
                var declared = type.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == capability).ToList();
                var only = Assert.Single(declared);
                Assert.Equal(type, only.GetGenericArguments()[0]);
                int rank = Rank(only.GetGenericArguments()[1]);
                foreach (var kind in Enum.GetValues<NoiseKind>())
                    Assert.True(solver.Supports(kind, calculus) == (Rank(kind) <= rank),
                        $"{type.Name} declares {only.GetGenericArguments()[1].Name} for {calculus} but Supports({kind}, {calculus}) is {solver.Supports(kind, calculus)}");
            }
    }
}
