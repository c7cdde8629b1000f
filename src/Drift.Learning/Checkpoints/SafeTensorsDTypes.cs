namespace Drift.Learning.Checkpoints;

/// <summary>The safetensors element types this library knows: their names, sizes and writer order.</summary>
/// <remarks>
/// The rank is the position in the reference library's <c>Dtype</c> enumeration, which lists types in
/// increasing alignment; its writer lays tensors out by descending rank, then by name, so every tensor
/// starts at an offset that is a multiple of its element size. Sub-byte types (F4, F6_*) are not known.
/// </remarks>
internal static class SafeTensorsDTypes
{
    /// <summary>32-bit IEEE float.</summary>
    public const string F32 = "F32";
    /// <summary>64-bit IEEE float.</summary>
    public const string F64 = "F64";
    /// <summary>16-bit IEEE half.</summary>
    public const string F16 = "F16";
    /// <summary>bfloat16: the top 16 bits of a float.</summary>
    public const string BF16 = "BF16";
    /// <summary>Signed 64-bit integer.</summary>
    public const string I64 = "I64";
    /// <summary>Signed 32-bit integer.</summary>
    public const string I32 = "I32";

    static readonly (string Name, int Size)[] Known =
    [
        ("BOOL", 1), ("U8", 1), ("I8", 1), ("F8_E5M2", 1), ("F8_E4M3", 1), ("F8_E8M0", 1),
        ("I16", 2), ("U16", 2), (F16, 2), (BF16, 2),
        (I32, 4), ("U32", 4), (F32, 4), ("C64", 8), (F64, 8), (I64, 8), ("U64", 8),
    ];

    /// <summary>The element size in bytes of <paramref name="dtype"/>, or 0 when it is not a known type.</summary>
    public static int Size(string dtype)
    {
        foreach (var (name, size) in Known)
            if (name == dtype) return size;
        return 0;
    }

    /// <summary>The position of <paramref name="dtype"/> in the reference ordering (higher = laid out first).</summary>
    public static int Rank(string dtype)
    {
        for (int i = 0; i < Known.Length; i++)
            if (Known[i].Name == dtype) return i;
        throw new ArgumentException($"Unknown safetensors dtype '{dtype}'.", nameof(dtype));
    }

    /// <summary>"BOOL, U8, …" for error messages.</summary>
    public static string List() => string.Join(", ", Known.Select(k => k.Name));

    /// <summary>The dtype that stores <typeparamref name="T"/> without conversion (F32 for float, F64 for double).</summary>
    public static string Of<T>() => typeof(T) == typeof(float) ? F32 : typeof(T) == typeof(double) ? F64
        : throw new NotSupportedException($"{typeof(T).Name} has no safetensors dtype here: use float or double.");
}
