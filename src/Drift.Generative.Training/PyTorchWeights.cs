using System.Globalization;
using System.Numerics;
using Drift.Generative.Models;
using Drift.Learning.Checkpoints;

namespace Drift.Generative.Training;

/// <summary>
/// Imports the weights of a PyTorch twin of a <see cref="DiffusionNetwork{T}"/> (a safetensors file of its
/// <c>state_dict</c>) into Drift's own engine, so the network runs without PyTorch or an ONNX runtime.
/// </summary>
/// <remarks>
/// <para>The naming scheme is Drift's parameter names (docs/training.md, "Importing PyTorch weights"): a module whose
/// attribute <c>net</c> is
/// <list type="bullet">
/// <item><c>mlp</c>: <c>net.mlp.layers.k.weight</c> [out, in] and <c>.bias</c> [out] for k = 0 … depth (nn.Linear,
/// SiLU between them, none after the last), the first taking [x (d), sinusoidal(τ) (32), label embedding (16)], and
/// for a conditional network <c>net.labels.weight</c> [classes + 1, 16] (nn.Embedding, last row the null label);</item>
/// <item><c>resmlp</c>: <c>net.time_mlp.layers.{0,1}</c>, <c>net.labels.weight</c> [classes + 1, W], <c>net.input</c>,
/// <c>net.blocks.k.{norm, film.projection, fc1, fc2}</c>, <c>net.norm</c>, <c>net.output</c> (the layers of
/// <c>ConditionalResidualMlp</c>).</item>
/// </list>
/// The shape (kind, d, width, depth, classes) is inferred from these names and shapes; a missing tensor, a tensor of
/// the wrong shape and a tensor the scheme does not know are each refused with an <see cref="InvalidDataException"/>
/// naming it. The objective comes from the file's metadata (the keys of <see cref="ModelDescription"/>:
/// "drift.objective", "drift.schedule", "drift.prediction", …) or is given. F16, BF16, F32 and F64 tensors are read; a
/// file of F64 tensors gives a float64 network, any other a float32 one.</para>
/// </remarks>
public static class PyTorchWeights
{
    const string Mlp = "net.mlp.layers.", ResidualInput = "net.input.weight", Labels = "net.labels.weight";

    /// <summary>The network shape a weights file holds, inferred from its tensor names and shapes.</summary>
    /// <exception cref="InvalidDataException">Neither an mlp nor a resmlp in the naming scheme (the message names what is missing or wrong).</exception>
    public static NetworkSpec InferSpec(SafeTensorsFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        string source = file.FilePath;
        int classes = 0;
        int Dim(string name, int axis, int rank)
        {
            if (!file.Contains(name)) throw new InvalidDataException($"{source}: tensor '{name}' is missing (the naming scheme of docs/training.md).");
            var shape = file.Info(name).Shape;
            if (shape.Length != rank) throw new InvalidDataException($"{source}: tensor '{name}' has rank {shape.Length}, expected {rank}.");
            return shape[axis];
        }
        int Count(string prefix, string suffix)
        {
            int k = 0;
            while (file.Contains(string.Create(CultureInfo.InvariantCulture, $"{prefix}{k}{suffix}"))) k++;
            return k;
        }
        NetworkSpec spec;
        if (file.Contains(Mlp + "0.weight"))
        {
            int layers = Count(Mlp, ".weight");
            if (layers < 2) throw new InvalidDataException($"{source}: an mlp needs at least two layers ('{Mlp}0.weight', '{Mlp}1.weight'), found {layers}.");
            if (file.Contains(Labels)) classes = Dim(Labels, 0, 2) - 1;
            string last = string.Create(CultureInfo.InvariantCulture, $"{Mlp}{layers - 1}.weight");
            spec = new NetworkSpec(NetworkKind.Mlp, Dim(last, 0, 2), Dim(Mlp + "0.weight", 0, 2), layers - 1, classes);
        }
        else if (file.Contains(ResidualInput))
        {
            if (file.Contains(Labels)) classes = Dim(Labels, 0, 2) - 1;
            spec = new NetworkSpec(NetworkKind.ResidualMlp, Dim(ResidualInput, 1, 2), Dim(ResidualInput, 0, 2), Count("net.blocks.", ".norm.weight"), classes);
        }
        else throw new InvalidDataException($"{source}: neither '{Mlp}0.weight' (mlp) nor '{ResidualInput}' (resmlp) is present; not a network in Drift's naming scheme (docs/training.md).");
        try
        {
            spec.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: the inferred network is invalid: {e.Message}", e);
        }
        return spec;
    }

    /// <summary>The network of a weights file: shape inferred (or <paramref name="spec"/>), every tensor checked and loaded.</summary>
    /// <exception cref="InvalidDataException">A tensor missing, of the wrong shape or not in the scheme (named).</exception>
    public static DiffusionNetwork<T> LoadNetwork<T>(SafeTensorsFile file, NetworkSpec? spec = null) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(file);
        var network = new DiffusionNetwork<T>(spec ?? InferSpec(file), 0);
        var named = network.NamedParameters();
        var known = named.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        if (file.Names.FirstOrDefault(n => !known.Contains(n)) is { } extra)
            throw new InvalidDataException($"{file.FilePath}: tensor '{extra}' is not a parameter of the {Describe(network.Spec)} (the naming scheme of docs/training.md).");
        var values = new Learning.Autodiff.Tensor<T>[named.Count];
        for (int i = 0; i < named.Count; i++)
        {
            var (name, tensor) = named[i];
            if (!file.Contains(name)) throw new InvalidDataException($"{file.FilePath}: tensor '{name}' of the {Describe(network.Spec)} is missing.");
            var info = file.Info(name);
            if (!info.Shape.SequenceEqual(tensor.Shape))
                throw new InvalidDataException($"{file.FilePath}: tensor '{name}' has shape [{string.Join(", ", info.Shape.ToArray())}], the {Describe(network.Spec)} needs [{string.Join(", ", tensor.Shape.ToArray())}].");
            values[i] = file.GetAs<T>(name);
        }
        for (int i = 0; i < named.Count; i++) named[i].Tensor.CopyFrom(values[i]);
        return network;
    }

    /// <summary>
    /// The model of a PyTorch weights file: the network (<see cref="LoadNetwork{T}"/>) with <paramref name="objective"/>, or
    /// the objective of the file's metadata, wrapped as a <see cref="NetworkDiffusionModel{T}"/>.
    /// </summary>
    /// <param name="path">The .safetensors file.</param>
    /// <param name="objective">The objective the network was trained with (null: from the metadata).</param>
    /// <param name="label">The class label for a conditional network (null: the null label).</param>
    /// <exception cref="InvalidDataException">Not a network in the scheme, or no objective in the metadata and none given.</exception>
    public static IDiffusionModel Load(string path, DiffusionObjective? objective = null, int? label = null)
    {
        var file = SafeTensorsFile.Read(path);
        objective ??= ModelDescription.ObjectiveFromMetadata(file.Metadata, path);
        bool f64 = file.Count > 0 && file.Names.All(n => file.Info(n).DType == "F64");
        return f64 ? new NetworkDiffusionModel<double>(LoadNetwork<double>(file), objective, label)
            : new NetworkDiffusionModel<float>(LoadNetwork<float>(file), objective, label);
    }

    static string Describe(NetworkSpec s) => string.Create(CultureInfo.InvariantCulture,
        $"{(s.Kind == NetworkKind.Mlp ? "mlp" : "resmlp")} (d = {s.Dimension}, width {s.Width}, depth {s.Depth}, classes {s.Classes})");
}
