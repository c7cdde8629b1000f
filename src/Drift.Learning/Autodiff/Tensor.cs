using System.Numerics;
using System.Runtime.CompilerServices;

namespace Drift.Learning.Autodiff;

/// <summary>
/// A dense, row-major tensor of <see cref="float"/> or <see cref="double"/> that can take part in
/// reverse-mode automatic differentiation.
/// </summary>
/// <remarks>
/// <para>Element (i₀, …, i_{r−1}) of a tensor of shape (n₀, …, n_{r−1}) sits at
/// offset Σ_k i_k·Π_{j&gt;k} n_j of <see cref="Span"/>. A rank-0 tensor is a scalar of length 1.</para>
/// <para>Every tensor is contiguous. <see cref="Reshape"/> and <see cref="Slice"/> (along the first
/// axis) are views that share storage; all other operations produce new storage.</para>
/// <para>A tensor produced by an operation while gradients are recorded (see <see cref="GradMode"/>)
/// remembers that operation, so <see cref="Autograd"/> can walk the graph backwards. A leaf
/// with <see cref="RequiresGrad"/> set is a variable gradients are taken with respect to.</para>
/// <para>Inside a <see cref="TensorArena{T}"/> scope storage comes from the arena and is recycled
/// when the scope ends; outside any scope it is ordinary managed memory.</para>
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class Tensor<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    internal T[] buffer;
    internal int offset;
    internal int[] dims;
    internal int count;
    internal Node<T>? node;
    bool requiresGrad;
    internal bool isParameter;

    static Tensor()
    {
        if (typeof(T) != typeof(float) && typeof(T) != typeof(double))
            throw new NotSupportedException($"Tensor<{typeof(T).Name}> is not supported: use float or double.");
    }

    internal Tensor(T[] buffer, int offset, int[] shape, int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.dims = shape;
        this.count = length;
    }

    /// <summary>The extent of each axis.</summary>
    public ReadOnlySpan<int> Shape => dims;

    /// <summary>The number of axes (0 for a scalar).</summary>
    public int Rank => dims.Length;

    /// <summary>The number of elements, Π shape.</summary>
    public int Length => count;

    /// <summary>The extent of axis <paramref name="axis"/>; negative axes count from the end.</summary>
    public int Size(int axis) => dims[ShapeRules.Axis(axis, dims.Length, nameof(axis))];

    /// <summary>The elements in row-major order. Writing through it changes the tensor (and every view of it).</summary>
    public Span<T> Span => new(buffer, offset, count);

    /// <summary>Whether this tensor is a variable that gradients are taken with respect to (false for a module parameter
    /// inside <see cref="GradMode.ConstantParameters"/>).</summary>
    /// <exception cref="InvalidOperationException">When set on a tensor that an operation produced.</exception>
    public bool RequiresGrad
    {
        get => node is not null || (requiresGrad && !(isParameter && GradMode.ParametersAreConstant));
        set
        {
            if (node is not null && !value)
                throw new InvalidOperationException("A tensor produced by a recorded operation always carries a gradient; use Detach() for a constant copy.");
            requiresGrad = value;
        }
    }

    /// <summary>Whether this tensor was not produced by a recorded operation.</summary>
    public bool IsLeaf => node is null;

    /// <summary>The gradient accumulated by <see cref="Autograd.Backward{T}(Tensor{T}, Tensor{T}?, bool)"/> on a leaf, or null.</summary>
    public Tensor<T>? Grad { get; set; }

    /// <summary>An optional name, used in error messages and checkpoints.</summary>
    public string? Name { get; set; }

    /// <summary>The single element of a tensor of length 1.</summary>
    /// <exception cref="InvalidOperationException">When the tensor has more than one element.</exception>
    public T ToScalar()
    {
        if (count != 1)
            throw new InvalidOperationException($"ToScalar() needs a tensor of one element, not shape {ShapeRules.Format(dims)}.");
        return buffer[offset];
    }

    /// <summary>Element <paramref name="i"/> of a rank-1 tensor, or the flat element <paramref name="i"/> otherwise.</summary>
    public T this[int i]
    {
        get => Span[i];
        set => Span[i] = value;
    }

    /// <summary>Element (i, j) of a rank-2 tensor.</summary>
    public T this[int i, int j]
    {
        get
        {
            if (dims.Length != 2) throw new InvalidOperationException($"Two indices need a rank-2 tensor, not shape {ShapeRules.Format(dims)}.");
            if ((uint)i >= (uint)dims[0] || (uint)j >= (uint)dims[1])
                throw new ArgumentOutOfRangeException(null, $"Index ({i}, {j}) is outside shape {ShapeRules.Format(dims)}.");
            return buffer[offset + i * dims[1] + j];
        }
        set
        {
            if (dims.Length != 2) throw new InvalidOperationException($"Two indices need a rank-2 tensor, not shape {ShapeRules.Format(dims)}.");
            if ((uint)i >= (uint)dims[0] || (uint)j >= (uint)dims[1])
                throw new ArgumentOutOfRangeException(null, $"Index ({i}, {j}) is outside shape {ShapeRules.Format(dims)}.");
            buffer[offset + i * dims[1] + j] = value;
        }
    }

    /// <summary>A copy of the elements in row-major order.</summary>
    public T[] ToArray() => Span.ToArray();

    /// <summary>A tensor of the given shape filled with zeros.</summary>
    public static Tensor<T> Zeros(params ReadOnlySpan<int> shape) => TensorArena<T>.Allocate(shape, clear: true);

    /// <summary>A tensor of the given shape filled with ones.</summary>
    public static Tensor<T> Ones(params ReadOnlySpan<int> shape) => Full(T.One, shape);

    /// <summary>A tensor of the given shape filled with <paramref name="value"/>.</summary>
    public static Tensor<T> Full(T value, params ReadOnlySpan<int> shape)
    {
        var t = TensorArena<T>.Allocate(shape, clear: false);
        t.Span.Fill(value);
        return t;
    }

    /// <summary>A rank-0 tensor holding <paramref name="value"/>.</summary>
    public static Tensor<T> Scalar(T value) => Full(value, []);

    /// <summary>A tensor holding a copy of <paramref name="values"/> in the given shape.</summary>
    /// <exception cref="ArgumentException">When the number of values is not Π shape.</exception>
    public static Tensor<T> FromSpan(ReadOnlySpan<T> values, params ReadOnlySpan<int> shape)
    {
        int n = ShapeRules.Count(shape, nameof(shape));
        if (n != values.Length)
            throw new ArgumentException($"{values.Length} values cannot fill shape {ShapeRules.Format(shape)} ({n} elements).", nameof(values));
        var t = TensorArena<T>.Allocate(shape, clear: false);
        values.CopyTo(t.Span);
        return t;
    }

    /// <summary>A tensor that uses <paramref name="values"/> as its storage (no copy) in the given shape.</summary>
    /// <exception cref="ArgumentException">When the number of values is not Π shape.</exception>
    public static Tensor<T> Wrap(T[] values, params ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(values);
        int n = ShapeRules.Count(shape, nameof(shape));
        if (n != values.Length)
            throw new ArgumentException($"{values.Length} values cannot fill shape {ShapeRules.Format(shape)} ({n} elements).", nameof(values));
        return new Tensor<T>(values, 0, shape.ToArray(), n);
    }

    /// <summary>A variable: a leaf holding a copy of <paramref name="values"/> with <see cref="RequiresGrad"/> set.</summary>
    public static Tensor<T> Variable(ReadOnlySpan<T> values, params ReadOnlySpan<int> shape)
    {
        var t = FromSpan(values, shape);
        t.requiresGrad = true;
        return t;
    }

    /// <summary>The same elements seen with another shape of equal length (a view when recorded as an operation).</summary>
    /// <remarks>One extent may be −1, inferred from the length.</remarks>
    public Tensor<T> Reshape(params ReadOnlySpan<int> newShape) => Ops.Reshape(this, newShape);

    /// <summary>Rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) along the first axis, as a view.</summary>
    public Tensor<T> Slice(int start, int count) => Ops.Slice(this, start, count);

    /// <summary>A view of the same storage that is not part of any recorded graph (a constant).</summary>
    public Tensor<T> Detach() => new(buffer, offset, dims, count);

    /// <summary>A new tensor with a copy of the elements, not part of any recorded graph.</summary>
    public Tensor<T> Clone()
    {
        var t = TensorArena<T>.Allocate(dims, clear: false);
        Span.CopyTo(t.Span);
        return t;
    }

    /// <summary>Copies the elements of <paramref name="source"/> (same length) into this tensor.</summary>
    /// <exception cref="ArgumentException">When the lengths differ.</exception>
    public void CopyFrom(Tensor<T> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.count != count)
            throw new ArgumentException($"Cannot copy shape {ShapeRules.Format(source.dims)} into shape {ShapeRules.Format(dims)}.", nameof(source));
        source.Span.CopyTo(Span);
    }

    /// <summary>Whether both tensors have the same shape.</summary>
    public bool SameShape(Tensor<T> other) => other is not null && Shape.SequenceEqual(other.Shape);

    /// <inheritdoc/>
    public override string ToString()
    {
        var s = $"Tensor<{typeof(T).Name}>{ShapeRules.Format(dims)}";
        return Name is null ? s : $"{Name}: {s}";
    }

    /// <summary>Element-wise sum with broadcasting.</summary>
    public static Tensor<T> operator +(Tensor<T> a, Tensor<T> b) => Ops.Add(a, b);
    /// <summary>Element-wise difference with broadcasting.</summary>
    public static Tensor<T> operator -(Tensor<T> a, Tensor<T> b) => Ops.Subtract(a, b);
    /// <summary>Element-wise product with broadcasting.</summary>
    public static Tensor<T> operator *(Tensor<T> a, Tensor<T> b) => Ops.Multiply(a, b);
    /// <summary>Element-wise quotient with broadcasting.</summary>
    public static Tensor<T> operator /(Tensor<T> a, Tensor<T> b) => Ops.Divide(a, b);
    /// <summary>Negation.</summary>
    public static Tensor<T> operator -(Tensor<T> a) => Ops.Scale(a, -T.One);
    /// <summary>Adds a constant.</summary>
    public static Tensor<T> operator +(Tensor<T> a, T b) => Ops.AddScalar(a, b);
    /// <summary>Subtracts a constant.</summary>
    public static Tensor<T> operator -(Tensor<T> a, T b) => Ops.AddScalar(a, -b);
    /// <summary>Multiplies by a constant.</summary>
    public static Tensor<T> operator *(Tensor<T> a, T b) => Ops.Scale(a, b);
    /// <summary>Multiplies by a constant.</summary>
    public static Tensor<T> operator *(T b, Tensor<T> a) => Ops.Scale(a, b);
    /// <summary>Divides by a constant.</summary>
    public static Tensor<T> operator /(Tensor<T> a, T b) => Ops.Scale(a, T.One / b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void SetRequiresGradUnchecked(bool value) => requiresGrad = value;
}
