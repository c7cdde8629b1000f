#:project ../src/Drift/Drift.csproj
// An Ornstein–Uhlenbeck ensemble with the order-1.5 SRA1 solver, compared with the exact law.
// Run: dotnet run examples/ou.cs
using Drift;
using Drift.Ensembles;
using Drift.Models;
using Drift.Solve;
using Drift.Solve.Sde;

var ou = new OrnsteinUhlenbeck(theta: 2.0, mu: 1.0, sigma: 0.5);
// A typed problem (new Ito()): OU declares IAdditiveNoise, so pairing it with the additive-only SRA1 is checked by the
// compiler; a model with state-dependent noise here would not compile.
var solution = DiffEq.Solve(Sde.Problem(ou, [0.0], 0, 3, new Ito()), new Sra1(),
    new SolveOptions { Controller = ConstantStep.WithSteps(300), Paths = 500_000, Seed = 1, Save = SaveAt.EveryStep(50) });
for (int s = 0; s < solution.Times.Count; s++)
{
    double t = solution.Times[s];
    var m = solution.Moments(s, 0);
    Console.WriteLine($"t = {t:F2}: mean {m.Mean:F5} ± {m.StandardError:F5} (exact {ou.Mean(0, t):F5}), variance {m.Variance:F5} (exact {ou.Variance(t):F5})");
}
