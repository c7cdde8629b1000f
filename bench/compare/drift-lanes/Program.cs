// Per-element time of Drift.Learning's Ops.Exp / Ops.Tanh (vectorised lane kernels) against the element-by-element
// T.Exp / T.Tanh loops they replaced, float and double, on a tensor of --n elements (default 4096) drawn from
// [−8, 8]. Both sides write into memory reused from an arena, so neither allocates in the timed loop.
// Also checks that both sides agree to within 2 ulp at the chosen size before timing.
// Run: dotnet run -c Release --project bench/compare/drift-lanes -- [--seconds 2] [--warmup 1.5] [--n 4096]
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using Drift.Learning.Autodiff;

double seconds = 2, warmup = 1.5;
int n = 4096;
for (int i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--seconds": seconds = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--warmup": warmup = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--n": n = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        default: throw new ArgumentException($"unknown option {args[i]}");
    }
}

Run<double>("double");
Run<float>("float");

void Run<T>(string name) where T : unmanaged, IFloatingPointIeee754<T>
{
    var random = new Random(1);
    var values = new T[n];
    for (int i = 0; i < n; i++) values[i] = T.CreateChecked(random.NextDouble() * 16 - 8);
    var x = Tensor<T>.FromSpan(values, n);
    var old = new T[n];
    var arena = new TensorArena<T>();
    foreach (var (label, op, scalar) in new (string, Func<Tensor<T>, Tensor<T>>, Func<T, T>)[]
             { ("exp", Ops.Exp, T.Exp), ("tanh", Ops.Tanh, T.Tanh) })
    {
        // Agreement check at this size.
        using (arena.Activate())
        {
            var y = op(x).Span;
            for (int i = 0; i < n; i++)
            {
                T s = scalar(values[i]);
                if (Math.Abs(double.CreateChecked(y[i] - s)) > 2 * double.CreateChecked(T.BitIncrement(T.Abs(s)) - T.Abs(s)))
                    throw new InvalidOperationException($"{name} {label}({values[i]}): vector {y[i]}, scalar {s}");
            }
            arena.Reset();
        }
        // The old loops exactly as they were in Ops.Exp/Ops.Tanh (no delegate per element).
        double oldNs = label == "exp"
            ? Time(() => { var xs = x.Span; for (int i = 0; i < xs.Length; i++) old[i] = T.Exp(xs[i]); })
            : Time(() => { var xs = x.Span; for (int i = 0; i < xs.Length; i++) old[i] = T.Tanh(xs[i]); });
        double newNs = Time(() => { using (arena.Activate()) { op(x); arena.Reset(); } });
        Console.WriteLine($"{name,-6} {label,-4}  n={n}  old element loop {oldNs:F3} ns/element   new lanes {newNs:F3} ns/element   speed-up {oldNs / newNs:F1}x");
    }
}

double Time(Action body)
{
    var sw = Stopwatch.StartNew();
    while (sw.Elapsed.TotalSeconds < warmup) body();
    long reps = 0;
    sw.Restart();
    while (sw.Elapsed.TotalSeconds < seconds) { body(); reps++; }
    return sw.Elapsed.TotalNanoseconds / (reps * (double)n);
}
