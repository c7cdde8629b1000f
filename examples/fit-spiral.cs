#:project ../src/Drift.Learning/Drift.Learning.csproj
// A two-spiral classifier learned with Drift.Learning: MLP 2-64-64-2 (SiLU), cross-entropy, Adam with a
// cosine schedule, deterministic data-parallel training, then a checkpoint in the safetensors format.
// Run: dotnet run examples/fit-spiral.cs
using Drift.Learning.Autodiff;
using Drift.Learning.Checkpoints;
using Drift.Learning.Data;
using Drift.Learning.Layers;
using Drift.Learning.Optimisers;
using Drift.Learning.Training;

const int perClass = 200, steps = 1500;
var points = new float[2 * perClass * 2];
var labels = new int[2 * perClass];
for (int c = 0; c < 2; c++)
    for (int i = 0; i < perClass; i++)
    {
        int r = c * perClass + i;
        double theta = 4 * Math.PI * i / perClass + 0.3, radius = theta / (4 * Math.PI);
        points[2 * r] = (float)(radius * Math.Cos(theta + c * Math.PI));
        points[2 * r + 1] = (float)(radius * Math.Sin(theta + c * Math.PI));
        labels[r] = c;
    }
var x = Tensor<float>.Wrap(points, 2 * perClass, 2);

var net = new Mlp<float>([2, 64, 64, 2], Activation.Silu, new ParameterRandom(seed: 4));
var loader = new MinibatchLoader<float>(x, null, labels, batchSize: 100, seed: 8);
using var trainer = new Trainer<float>(new Adam<float>(net.Parameters(), 1e-2),
    (batch, _) => Ops.CrossEntropy(net.Forward(batch.Inputs), batch.Labels),
    new TrainerOptions { Schedule = LearningRateSchedule.Cosine(1e-2, steps, minimum: 1e-4) });
for (int k = 1; k <= steps; k++)
{
    var step = trainer.Step(loader.Next());
    if (k % 300 == 0) Console.WriteLine($"step {step.Step}: loss {step.Loss:F5}, |g| {step.GradientNorm:F4}, lr {step.LearningRate:E2}");
}

using (GradMode.NoGrad())
{
    var logits = net.Forward(x);
    int correct = Enumerable.Range(0, labels.Length).Count(r => (logits[r, 1] > logits[r, 0] ? 1 : 0) == labels[r]);
    Console.WriteLine($"train accuracy {(double)correct / labels.Length:P2}");
}
Checkpoint.SaveParameters("spiral.safetensors", net.NamedParameters());
Console.WriteLine("weights written to spiral.safetensors (loadable with safetensors.torch.load_file)");
