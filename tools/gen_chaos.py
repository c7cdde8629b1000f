"""Formats the hand-derived vector fields and Jacobians of the chaos catalogue as C#.

The equations and Jacobians below are written by hand (each Jacobian is checked against finite
differences in tests/Drift.Tests/Models/ChaosCatalogueTests.cs). Parameters, initial conditions,
published exponents, citations and descriptions are read from dysts' chaotic_attractors.json
(Gilpin 2021), passed as the first argument. Output: src/Drift/Models/Chaos/Flows/*.cs and
src/Drift/Models/Chaos/ChaosCatalogue.Entries.cs.
"""
import json, sys, re, os

J3 = lambda *rows: rows
# name: (kernel, rhs list, jacobian rows) ; parameters in dysts' (alphabetical) order.
S = {}
def flow(name, kernel=None, rhs=None, jac=None, family=None):
    S[name] = dict(kernel=kernel or name, rhs=rhs, jac=jac)

flow("Lorenz", rhs=["sigma*(y - x)", "x*(rho - z) - y", "x*y - beta*z"],
     jac=[["-sigma", "sigma", "0"], ["rho - z", "-1", "-x"], ["y", "x", "-beta"]])
flow("Rossler", rhs=["-y - z", "x + a*y", "b + z*x - c*z"],
     jac=[["0", "-1", "-1"], ["1", "a", "0"], ["z", "0", "x - c"]])
flow("Chen", rhs=["a*(y - x)", "(c - a)*x - x*z + c*y", "x*y - b*z"],
     jac=[["-a", "a", "0"], ["c - a - z", "c", "-x"], ["y", "x", "-b"]])
flow("LuChen", rhs=["a*(y - x)", "-x*z + c*y", "x*y - b*z"],
     jac=[["-a", "a", "0"], ["-z", "c", "-x"], ["y", "x", "-b"]])
flow("Chua", rhs=["alpha*(y - x - (m1*x + 0.5*(m0 - m1)*(Abs(x + 1.0) - Abs(x - 1.0))))", "x - y + z", "-beta*y"],
     jac=[["-alpha - alpha*(m1 + 0.5*(m0 - m1)*(Math.Sign(x + 1) - Math.Sign(x - 1)))", "alpha", "0"], ["1", "-1", "1"], ["0", "-beta", "0"]])
flow("Duffing", rhs=["y", "-delta*y - beta*x - alpha*x*x*x + gamma*Cos(z)", "(T)omega"],
     jac=[["0", "1", "0"], ["-beta - 3*alpha*x*x", "-delta", "-gamma*Math.Sin(z)"], ["0", "0", "0"]])
flow("Thomas", rhs=["-a*x + b*Sin(y)", "-a*y + b*Sin(z)", "-a*z + b*Sin(x)"],
     jac=[["-a", "b*Math.Cos(y)", "0"], ["0", "-a", "b*Math.Cos(z)"], ["b*Math.Cos(x)", "0", "-a"]])
flow("Halvorsen", rhs=["-a*x - b*y - b*z - y*y", "-a*y - b*z - b*x - z*z", "-a*z - b*x - b*y - x*x"],
     jac=[["-a", "-b - 2*y", "-b"], ["-b", "-a", "-b - 2*z"], ["-b - 2*x", "-b", "-a"]])
flow("Aizawa", rhs=["x*z - b*x - d*y", "d*x + y*z - b*y", "c + a*z - z*z*z/3.0 - x*x - y*y - e*z*x*x - e*z*y*y + f*z*x*x*x"],
     jac=[["z - b", "-d", "x"], ["d", "z - b", "y"], ["-2*x - 2*e*z*x + 3*f*z*x*x", "-2*y - 2*e*z*y", "a - z*z - e*x*x - e*y*y + f*x*x*x"]])
flow("SprottA", rhs=["(T)y", "-x + y*z", "1.0 - y*y"], jac=[["0", "1", "0"], ["-1", "z", "y"], ["0", "-2*y", "0"]])
flow("SprottB", rhs=["y*z", "x - y", "1.0 - x*y"], jac=[["0", "z", "y"], ["1", "-1", "0"], ["-y", "-x", "0"]])
flow("SprottC", rhs=["y*z", "x - y", "1.0 - x*x"], jac=[["0", "z", "y"], ["1", "-1", "0"], ["-2*x", "0", "0"]])
flow("SprottD", rhs=["-y", "x + z", "x*z + 3.0*y*y"], jac=[["0", "-1", "0"], ["1", "0", "1"], ["z", "6*y", "x"]])
flow("SprottE", rhs=["y*z", "x*x - y", "1.0 - 4.0*x"], jac=[["0", "z", "y"], ["2*x", "-1", "0"], ["-4", "0", "0"]])
flow("SprottF", rhs=["y + z", "-x + a*y", "x*x - z"], jac=[["0", "1", "1"], ["-1", "a", "0"], ["2*x", "0", "-1"]])
flow("SprottG", rhs=["a*x + z", "x*z - y", "-x + y"], jac=[["a", "0", "1"], ["z", "-1", "x"], ["-1", "1", "0"]])
flow("SprottH", rhs=["-y + z*z", "x + a*y", "x - z"], jac=[["0", "-1", "2*z"], ["1", "a", "0"], ["1", "0", "-1"]])
flow("SprottI", rhs=["-a*y", "x + z", "x + y*y - z"], jac=[["0", "-a", "0"], ["1", "0", "1"], ["1", "2*y", "-1"]])
flow("SprottJ", rhs=["2.0*z", "-2.0*y + z", "-x + y + y*y"], jac=[["0", "0", "2"], ["0", "-2", "1"], ["-1", "1 + 2*y", "0"]])
flow("SprottK", rhs=["x*y - z", "x - y", "x + a*z"], jac=[["y", "x", "-1"], ["1", "-1", "0"], ["1", "0", "a"]])
flow("SprottL", rhs=["y + b*z", "a*x*x - y", "1.0 - x"], jac=[["0", "1", "b"], ["2*a*x", "-1", "0"], ["-1", "0", "0"]])
flow("SprottM", rhs=["-z", "-x*x - y", "a + a*x + y"], jac=[["0", "0", "-1"], ["-2*x", "-1", "0"], ["a", "1", "0"]])
flow("SprottN", rhs=["-2.0*y", "x + z*z", "1.0 + y - 2.0*z"], jac=[["0", "-2", "0"], ["1", "0", "2*z"], ["0", "1", "-2"]])
flow("SprottO", rhs=["(T)y", "x - z", "x + x*z + a*y"], jac=[["0", "1", "0"], ["1", "0", "-1"], ["1 + z", "a", "x"]])
flow("SprottP", rhs=["a*y + z", "-x + y*y", "x + y"], jac=[["0", "a", "1"], ["-1", "2*y", "0"], ["1", "1", "0"]])
flow("SprottQ", rhs=["-z", "x - y", "a*x + y*y + b*z"], jac=[["0", "0", "-1"], ["1", "-1", "0"], ["a", "2*y", "b"]])
flow("SprottR", rhs=["a - y", "b + z", "x*y - z"], jac=[["0", "-1", "0"], ["0", "0", "1"], ["y", "x", "-1"]])
flow("SprottS", rhs=["-x - 4.0*y", "x + z*z", "1.0 + x"], jac=[["-1", "-4", "0"], ["1", "0", "2*z"], ["1", "0", "0"]])
flow("SprottTorus", rhs=["y + 2.0*x*y + x*z", "1.0 - 2.0*x*x + y*z", "x - x*x - y*y"],
     jac=[["2*y + z", "1 + 2*x", "x"], ["-4*x", "z", "y"], ["1 - 2*x", "-2*y", "0"]])
flow("Lorenz84", rhs=["-a*x - y*y - z*z + a*f", "-y + x*y - b*x*z + g", "-z + b*x*y + x*z"],
     jac=[["-a", "-2*y", "-2*z"], ["y - b*z", "-1 + x", "-b*x"], ["b*y + z", "b*x", "-1 + x"]])
flow("Hadley", kernel="Lorenz84", rhs=None)
flow("RabinovichFabrikant", rhs=["y*z - y + y*x*x + g*x", "3.0*x*z + x - x*x*x + g*y", "-2.0*a*z - 2.0*x*y*z"],
     jac=[["2*x*y + g", "z - 1 + x*x", "y"], ["3*z + 1 - 3*x*x", "g", "3*x"], ["-2*y*z", "-2*x*z", "-2*a - 2*x*y"]])
flow("Rucklidge", rhs=["-a*x + b*y - y*z", "(T)x", "-z + y*y"], jac=[["-a", "b - z", "-y"], ["1", "0", "0"], ["0", "2*y", "-1"]])
flow("ShimizuMorioka", rhs=["(T)y", "x - a*y - x*z", "-b*z + x*x"], jac=[["0", "1", "0"], ["1 - z", "-a", "-x"], ["2*x", "0", "-b"]])
flow("NoseHoover", rhs=["(T)y", "-x + y*z", "a - y*y"], jac=[["0", "1", "0"], ["-1", "z", "y"], ["0", "-2*y", "0"]])
flow("GenesioTesi", rhs=["(T)y", "(T)z", "-c*x - b*y - a*z + x*x"], jac=[["0", "1", "0"], ["0", "0", "1"], ["-c + 2*x", "-b", "-a"]])
flow("Arneodo", rhs=["(T)y", "(T)z", "-a*x - b*y - c*z + d*x*x*x"], jac=[["0", "1", "0"], ["0", "0", "1"], ["-a + 3*d*x*x", "-b", "-c"]])
flow("Coullet", kernel="Arneodo", rhs=None)
flow("Dadras", rhs=["y - p*x + o*y*z", "r*y - x*z + z", "c*x*y - e*z"], jac=[["-p", "1 + o*z", "o*y"], ["-z", "r", "1 - x"], ["c*y", "c*x", "-e"]])
flow("ChenLee", rhs=["a*x - y*z", "b*y + x*z", "c*z + x*y/3.0"], jac=[["a", "-z", "-y"], ["z", "b", "x"], ["y/3", "x/3", "c"]])
flow("NewtonLiepnik", rhs=["-a*x + y + 10.0*y*z", "-x - 0.4*y + 5.0*x*z", "b*z - 5.0*x*y"],
     jac=[["-a", "1 + 10*z", "10*y"], ["-1 + 5*z", "-0.4", "5*x"], ["-5*y", "-5*x", "b"]])
flow("Finance", rhs=["(1/b - a)*x + z + x*y", "-b*y - x*x", "-x - c*z"], jac=[["1/b - a + y", "x", "1"], ["-2*x", "-b", "0"], ["-1", "0", "-c"]])
flow("MooreSpiegel", rhs=["(T)y", "a*z", "-z + eps*y - y*x*x - b*x"], jac=[["0", "1", "0"], ["0", "0", "a"], ["-2*x*y - b", "eps - x*x", "-1"]])
flow("QiChen", rhs=["a*(y - x) + y*z", "c*x + y - x*z", "x*y - b*z"], jac=[["-a", "a + z", "y"], ["c - z", "1", "-x"], ["y", "x", "-b"]])
flow("YuWang", rhs=["a*(y - x)", "b*x - c*x*z", "Exp(x*y) - d*z"],
     jac=[["-a", "a", "0"], ["b - c*z", "0", "-c*x"], ["y*Math.Exp(x*y)", "x*Math.Exp(x*y)", "-d"]])
flow("RayleighBenard", rhs=["a*(y - x)", "r*y - x*z", "x*y - b*z"], jac=[["-a", "a", "0"], ["-z", "r", "-x"], ["y", "x", "-b"]])
flow("WangSun", rhs=["a*x + q*y*z", "b*x + d*y - x*z", "e*z + f*x*y"], jac=[["a", "q*z", "q*y"], ["b - z", "d", "-x"], ["f*y", "f*x", "e"]])
flow("BurkeShaw", rhs=["-n*x - n*y", "y - n*x*z", "n*x*y + e"], jac=[["-n", "-n", "0"], ["-n*z", "1", "-n*x"], ["n*y", "n*x", "0"]])
flow("ZhouChen", rhs=["a*x + b*y + y*z", "c*y - x*z + d*y*z", "e*z - x*y"], jac=[["a", "b + z", "y"], ["-z", "c + d*z", "-x + d*y"], ["-y", "-x", "e"]])
flow("Sakarya", rhs=["a*x + h*y + s*y*z", "-b*y - p*x + q*x*z", "c*z - r*x*y"], jac=[["a", "h + s*z", "s*y"], ["-p + q*z", "-b", "q*x"], ["-r*y", "-r*x", "c"]])
flow("DequanLi", rhs=["a*(y - x) + d*x*z", "k*x + f*y - x*z", "c*z + x*y - eps*x*x"],
     jac=[["-a + d*z", "a", "d*x"], ["k - z", "f", "-x"], ["y - 2*eps*x", "x", "c"]])
flow("Lorenz96", rhs=None)  # written by hand in Lorenz96Flow.cs (any dimension)

FAMILIES = {
    "Lorenz": ["Lorenz", "LuChen", "Chen", "QiChen", "RayleighBenard", "Lorenz84", "BurkeShaw", "ZhouChen", "DequanLi", "YuWang", "Sakarya", "WangSun"],
}

def cs_name(s):
    return "Flow" + s

data = json.load(open(sys.argv[1]))
root = sys.argv[2]
os.makedirs(os.path.join(root, "Flows"), exist_ok=True)

def rhs_cs(e):
    e = re.sub(r"\b(Sin|Cos|Exp|Abs)\(", r"T.\1(", e)
    e = e.replace("(T)", "(T)")
    return e

def pretty(e):
    e = e.replace("(T)", "").replace("Math.", "")
    e = re.sub(r"(\d)\.0\b", r"\1", e)
    return e

names = [n for n in S]
entries = []
for n in names:
    spec = S[n]; meta = data[n]
    params = list(meta["parameters"].keys())
    kernel = spec["kernel"]
    if spec["rhs"] is not None and kernel == n:
        rhs = spec["rhs"]; jac = spec["jac"]
        unpack = "".join(f"        double {p} = parameters[{i}];\n" for i, p in enumerate(params))
        body_r = "".join(f"        derivative[{i}] = {rhs_cs(r)};\n" for i, r in enumerate(rhs))
        body_j = ", ".join(f"{j}" for row in jac for j in row)
        # the dysts parameter names are lowercase single words; silence unused warnings by construction
        uses_params_in_jac = params
        src = f"""using Drift.Numerics;

namespace Drift.Models.Chaos.Flows;

/// <summary>{n}: {'; '.join('d' + v + '/dt = ' + pretty(r) for v, r in zip('xyz', rhs))}.</summary>
internal readonly struct {cs_name(n)} : IFlowKernel
{{
    public static void Rhs<T>(ReadOnlySpan<double> parameters, ReadOnlySpan<T> state, Span<T> derivative) where T : struct, IReal<T>
    {{
{unpack}        T x = state[0], y = state[1], z = state[2];
{body_r}    }}

    public static void Jacobian(ReadOnlySpan<double> parameters, ReadOnlySpan<double> state, Span<double> jacobian)
    {{
{unpack}        double x = state[0], y = state[1], z = state[2];
        Jacobian3.Set(jacobian, {body_j});
    }}
}}
"""
        open(os.path.join(root, "Flows", cs_name(n) + ".cs"), "w").write(src)
    rhs_text = S[kernel]["rhs"]
    if n == "Lorenz96":
        eq = "dx_i/dt = (x_{i+1} - x_{i-2}) x_{i-1} - x_i + f, indices cyclic"
    else:
        eq = "; ".join("d" + v + "/dt = " + pretty(r) for v, r in zip("xyz", rhs_text))
    def lit(v): return repr(float(v)) if not isinstance(v, str) else v
    def arr(a): return "[" + ", ".join(repr(float(v)) for v in a) + "]"
    def s(t): return json.dumps(t or "", ensure_ascii=False)
    entries.append(
        f"        Entry<{cs_name(kernel)}>({s(n)}, {s(eq)},\n"
        f"            [{', '.join(s(p) for p in params)}], {arr(meta['parameters'].values())}, {arr(meta['initial_conditions'])},\n"
        f"            {s(meta.get('description'))},\n"
        f"            {s(meta.get('citation'))},\n"
        f"            {float(meta['maximum_lyapunov_estimated'])!r}, {arr(meta['lyapunov_spectrum_estimated'])}, {float(meta['kaplan_yorke_dimension'])!r}, {float(meta['period'])!r}, {float(meta['dt'])!r}),\n")

table = f"""using Drift.Models.Chaos.Flows;

namespace Drift.Models.Chaos;

// Generated by tools/gen_chaos.py from dysts' chaotic_attractors.json (Gilpin 2021): parameters,
// initial conditions, published exponents, citations. The vector fields live in Flows/.
public static partial class ChaosCatalogue
{{
    private static ChaoticSystem[] CreateEntries() =>
    [
{''.join(entries)}    ];
}}
"""
open(os.path.join(root, "ChaosCatalogue.Entries.cs"), "w").write(table)
print(len(entries), "entries")
