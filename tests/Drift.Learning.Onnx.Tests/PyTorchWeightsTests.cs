using Drift.Generative.Training;
using Drift.Learning.Autodiff;
using Drift.Learning.Checkpoints;

namespace Drift.Learning.Onnx.Tests;

/// <summary>The naming scheme of PyTorch weights: shapes inferred from the fixtures, wrong names and shapes refused by name.</summary>
public class PyTorchWeightsTests
{
    [Theory]
    [InlineData("mlp", NetworkKind.Mlp, 16, 2, 0)]
    [InlineData("mlp_label", NetworkKind.Mlp, 16, 2, 3)]
    [InlineData("resmlp_label", NetworkKind.ResidualMlp, 8, 2, 3)]
    public void The_network_shape_is_inferred_from_names_and_shapes(string name, NetworkKind kind, int width, int depth, int classes)
    {
        var spec = PyTorchWeights.InferSpec(SafeTensorsFile.Read(Fixture.PathOf(name + ".safetensors")));
        Assert.Equal(new NetworkSpec(kind, 2, width, depth, classes), spec);
    }

    [Fact]
    public void An_unknown_tensor_is_refused_by_name()
    {
        string path = Rewrite("renamed", (n, t, w) => w.Add(n == "net.mlp.layers.1.bias" ? "net.mlp.layers.1.b" : n, t));
        var e = Assert.Throws<InvalidDataException>(() => PyTorchWeights.Load(path));
        Assert.Contains("'net.mlp.layers.1.b'", e.Message, StringComparison.Ordinal);
        File.Delete(path);
    }

    [Fact]
    public void A_missing_tensor_is_refused_by_name()
    {
        string path = Rewrite("missing", (n, t, w) => { if (n != "net.mlp.layers.2.bias") w.Add(n, t); });
        var e = Assert.Throws<InvalidDataException>(() => PyTorchWeights.Load(path));
        Assert.Contains("'net.mlp.layers.2.bias'", e.Message, StringComparison.Ordinal);
        File.Delete(path);
    }

    [Fact]
    public void A_tensor_of_the_wrong_shape_is_refused_by_name()
    {
        string path = Rewrite("shape", (n, t, w) => w.Add(n, n == "net.mlp.layers.1.bias" ? Tensor<float>.Zeros(15) : t));
        var e = Assert.Throws<InvalidDataException>(() => PyTorchWeights.Load(path));
        Assert.Contains("'net.mlp.layers.1.bias' has shape [15]", e.Message, StringComparison.Ordinal);
        File.Delete(path);
    }

    [Fact]
    public void A_file_without_an_objective_needs_one_given()
    {
        string path = Rewrite("nometa", (n, t, w) => w.Add(n, t), metadata: false);
        var e = Assert.Throws<InvalidDataException>(() => PyTorchWeights.Load(path));
        Assert.Contains("'drift.objective'", e.Message, StringComparison.Ordinal);
        var model = PyTorchWeights.Load(path, DiffusionObjective.FlowMatching());
        Assert.Equal(Generative.Models.Prediction.Velocity, model.Prediction);
        File.Delete(path);
    }

    /// <summary>A copy of the mlp fixture whose tensors pass through <paramref name="add"/>.</summary>
    static string Rewrite(string tag, Action<string, Tensor<float>, SafeTensorsWriter> add, bool metadata = true)
    {
        var file = SafeTensorsFile.Read(Fixture.PathOf("mlp.safetensors"));
        var writer = new SafeTensorsWriter();
        foreach (var name in file.Names) add(name, file.Get<float>(name), writer);
        if (metadata) foreach (var (k, v) in file.Metadata) writer.SetMetadata(k, v);
        string path = Path.Combine(Path.GetTempPath(), $"drift-pytorch-{tag}-{Environment.ProcessId}.safetensors");
        writer.Write(path);
        return path;
    }
}
