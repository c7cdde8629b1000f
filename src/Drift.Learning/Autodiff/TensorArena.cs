namespace Drift.Learning.Autodiff;

/// <summary>
/// Recycled storage for the tensors an operation sequence creates: while an arena is active on a
/// thread (<see cref="Activate"/>), every new tensor (and every view) takes its object and its
/// storage from the arena, and <see cref="Reset"/> hands them all back at once. A loop that runs
/// the same computation each iteration (a training step, a batch of inference) therefore allocates
/// nothing after its first iteration.
/// </summary>
/// <remarks>
/// <para>The price is a lifetime rule: a tensor created while the arena was active is valid only
/// until the arena's next <see cref="Reset"/>. Copy out (<see cref="Tensor{T}.ToArray"/>, or
/// <see cref="Tensor{T}.CopyFrom"/> into a tensor made outside the arena) whatever must outlive it.
/// Parameters and optimiser state are made outside any arena.</para>
/// <para>An arena belongs to one thread at a time and is not thread-safe.</para>
/// </remarks>
/// <typeparam name="T"><see cref="float"/> or <see cref="double"/>.</typeparam>
public sealed class TensorArena<T> where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
{
    [ThreadStatic] static TensorArena<T>? current;

    readonly List<Tensor<T>> tensors = [];
    int usedTensors;
    readonly Dictionary<int, Stack<T[]>> free = [];
    readonly List<T[]> rented = [];

    /// <summary>The arena active on this thread, or null.</summary>
    public static TensorArena<T>? Current => current;

    /// <summary>Number of storage arrays the arena owns (a warm-up figure: it stops growing once the loop is warm).</summary>
    public int ArrayCount => rented.Count + free.Values.Sum(s => s.Count);

    /// <summary>Makes this arena the one new tensors on this thread come from, until the returned scope is disposed.</summary>
    public ActiveScope Activate()
    {
        var scope = new ActiveScope(current);
        current = this;
        return scope;
    }

    /// <summary>Hands every tensor created from this arena back: they must not be used afterwards.</summary>
    public void Reset()
    {
        foreach (var array in rented)
        {
            if (!free.TryGetValue(array.Length, out var stack))
                free[array.Length] = stack = new Stack<T[]>();
            stack.Push(array);
        }
        rented.Clear();
        for (int i = 0; i < usedTensors; i++)
        {
            var t = tensors[i];
            t.node = null;
            t.Grad = null;
            t.Name = null;
            t.SetRequiresGradUnchecked(false);
        }
        usedTensors = 0;
    }

    /// <summary>Restores the previously active arena when disposed.</summary>
    public readonly struct ActiveScope : IDisposable
    {
        readonly TensorArena<T>? previous;
        internal ActiveScope(TensorArena<T>? previous) => this.previous = previous;

        /// <summary>Ends the scope (does not reset the arena).</summary>
        public void Dispose() => current = previous;
    }

    /// <summary>A new tensor of the given shape from the active arena, or from the heap.</summary>
    internal static Tensor<T> Allocate(ReadOnlySpan<int> shape, bool clear)
    {
        int n = ShapeRules.Count(shape, nameof(shape));
        var arena = current;
        if (arena is null) return new Tensor<T>(new T[n], 0, shape.ToArray(), n);
        var array = arena.Rent(n);
        if (clear) Array.Clear(array);
        return arena.Take(array, 0, shape, n);
    }

    /// <summary>A new tensor object over existing storage (a view), from the active arena or the heap.</summary>
    internal static Tensor<T> View(T[] buffer, int offset, ReadOnlySpan<int> shape, int length)
    {
        var arena = current;
        return arena is null ? new Tensor<T>(buffer, offset, shape.ToArray(), length) : arena.Take(buffer, offset, shape, length);
    }

    T[] Rent(int n)
    {
        var array = free.TryGetValue(n, out var stack) && stack.Count > 0 ? stack.Pop() : new T[n];
        rented.Add(array);
        return array;
    }

    Tensor<T> Take(T[] buffer, int offset, ReadOnlySpan<int> shape, int length)
    {
        if (usedTensors == tensors.Count)
        {
            var fresh = new Tensor<T>(buffer, offset, shape.ToArray(), length);
            tensors.Add(fresh);
            usedTensors++;
            return fresh;
        }
        var t = tensors[usedTensors++];
        t.buffer = buffer;
        t.offset = offset;
        t.count = length;
        if (t.dims.Length == shape.Length) shape.CopyTo(t.dims);
        else t.dims = shape.ToArray();
        return t;
    }
}
