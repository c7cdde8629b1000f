#:project ../src/Drift/Drift.csproj
// Sample the 1-D double well U(q) = (q² − 1)² at β = 1 with underdamped Langevin dynamics (BAOAB and UBU),
// and compare stationary moments with quadrature of e^{−βU}.
// Run: dotnet run examples/langevin.cs
using Drift;
using Drift.Ensembles;
using Drift.Langevin;
using Drift.Potentials;
using Drift.Solve;

const double beta = 1.0, gamma = 1.0, duration = 40.0;
var potential = new DoubleWellPotential(1);
var options = new SolveOptions { Controller = ConstantStep.WithSize(0.05), Paths = 100_000, Seed = 7, KeepPaths = true, TrackQuantiles = false, Save = SaveAt.EveryStep(40) };

double Moment(int power)
{
    // Trapezoid rule on [−4, 4]: the integrand is smooth and e^{−βU} is negligible beyond.
    double z = 0, m = 0, dx = 8.0 / 100_000;
    for (int i = 0; i <= 100_000; i++)
    {
        double q = -4 + i * dx, w = Math.Exp(-beta * (q * q - 1) * (q * q - 1)) * (i == 0 || i == 100_000 ? 0.5 : 1);
        z += w;
        m += w * Math.Pow(q, power);
    }
    return m / z;
}

void Report(string name, EnsembleSolution s)
{
    // Pool the saves from t = 10 on (burn-in), per path, so the standard error is honest.
    int first = Array.FindIndex(s.Times, t => t >= 10);
    var q2 = new double[s.PathCount];
    var q4 = new double[s.PathCount];
    for (int k = first; k < s.Times.Length; k++)
    {
        var row = s.PathsAt(k, 0);
        for (int p = 0; p < q2.Length; p++)
        {
            q2[p] += row[p] * row[p] / (s.Times.Length - first);
            q4[p] += Math.Pow(row[p], 4) / (s.Times.Length - first);
        }
    }
    static (double, double) MeanSe(double[] v)
    {
        double m = v.Average();
        return (m, Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / (v.Length - 1) / v.Length));
    }
    var (m2, se2) = MeanSe(q2);
    var (m4, se4) = MeanSe(q4);
    var t = LangevinDiagnostics.Measure(potential, s, s.Times.Length - 1);
    Console.WriteLine($"{name,-6} <q^2> = {m2:F4} ± {se2:F4} (quadrature {Moment(2):F4})   <q^4> = {m4:F4} ± {se4:F4} (quadrature {Moment(4):F4})");
    Console.WriteLine($"       T_kin = {t.Kinetic:F4} ± {t.KineticStandardError:F4}   T_conf = {t.Configurational:F4} ± {t.ConfigurationalStandardError:F4}   (1/β = {1 / beta})   status {s.Status}");
}

Report("BAOAB", DiffEq.Solve(LangevinEnsemble.Problem(new Baoab<DoubleWellPotential>(potential, gamma, beta), [0.0], null, duration), options).Ensemble);
Report("UBU", DiffEq.Solve(LangevinEnsemble.Problem(new Ubu<DoubleWellPotential>(potential, gamma, beta), [0.0], null, duration), options).Ensemble);
