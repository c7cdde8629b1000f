using System.Numerics;
using Drift.Learning.Autodiff;

namespace Drift.Learning.Layers;

/// <summary>
/// A network part with named parameters and named sub-modules, as PyTorch's <c>nn.Module</c>:
/// a parameter's full name is the dotted path of registration names ("layers.0.weight"), which
/// is the name it has in a checkpoint.
/// </summary>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public abstract class Module<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly List<(string Name, Tensor<T> Tensor)> parameters = [];
    readonly List<(string Name, Module<T> Module)> children = [];
    bool training = true;

    /// <summary>Whether the module is in training mode (dropout active); set recursively.</summary>
    public bool Training
    {
        get => training;
        set
        {
            training = value;
            foreach (var (_, child) in children) child.Training = value;
        }
    }

    /// <summary>Every parameter with its full dotted name, in registration order (depth first).</summary>
    public IReadOnlyList<(string Name, Tensor<T> Tensor)> NamedParameters()
    {
        var list = new List<(string, Tensor<T>)>();
        Collect("", list);
        return list;
    }

    /// <summary>Every parameter, in the order of <see cref="NamedParameters"/>.</summary>
    public IReadOnlyList<Tensor<T>> Parameters() => [.. NamedParameters().Select(p => p.Tensor)];

    /// <summary>The total number of scalar parameters.</summary>
    public long ParameterCount => NamedParameters().Sum(p => (long)p.Tensor.Length);

    /// <summary>Registers a parameter (a leaf that requires a gradient) under a name.</summary>
    protected Tensor<T> Parameter(string name, Tensor<T> tensor)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(tensor);
        if (!tensor.IsLeaf) throw new ArgumentException($"Parameter '{name}' must be a leaf tensor.", nameof(tensor));
        tensor.RequiresGrad = true;
        tensor.isParameter = true;
        parameters.Add((name, tensor));
        return tensor;
    }

    /// <summary>Registers a sub-module under a name.</summary>
    protected TModule Child<TModule>(string name, TModule module) where TModule : Module<T>
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(module);
        children.Add((name, module));
        return module;
    }

    void Collect(string prefix, List<(string, Tensor<T>)> list)
    {
        foreach (var (name, tensor) in parameters)
        {
            tensor.Name = prefix + name;
            list.Add((prefix + name, tensor));
        }
        foreach (var (name, child) in children) child.Collect(prefix + name + ".", list);
    }
}
