using BenchmarkDotNet.Running;

if (args is ["gemm-peak", ..])
{
    Console.WriteLine(Drift.Benchmarks.GemmBenchmarks.QuickReport(args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10));
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Drift.Benchmarks.NormalGeneratorBenchmark).Assembly).Run(args);
