using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Drift.Benchmarks.NormalGeneratorBenchmark).Assembly).Run(args);
