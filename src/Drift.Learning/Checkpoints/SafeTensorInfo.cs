using Drift.Learning.Autodiff;

namespace Drift.Learning.Checkpoints;

/// <summary>What a safetensors header says about one tensor: its name, element type, shape and where its bytes lie.</summary>
public sealed class SafeTensorInfo
{
    readonly int[] shape;

    internal SafeTensorInfo(string name, string dtype, int elementSize, int[] shape, int length, long dataBegin, long dataEnd)
    {
        Name = name;
        DType = dtype;
        ElementSize = elementSize;
        this.shape = shape;
        Length = length;
        DataBegin = dataBegin;
        DataEnd = dataEnd;
    }

    /// <summary>The tensor's name in the file.</summary>
    public string Name { get; }

    /// <summary>The element type exactly as the file spells it: "F32", "F64", "F16", "BF16", "I64", "I32", "U8", "BOOL", ….</summary>
    public string DType { get; }

    /// <summary>The size of one element in bytes (4 for F32, 8 for F64, 2 for F16 and BF16, …).</summary>
    public int ElementSize { get; }

    /// <summary>The extent of each axis, row-major (C order); empty for a scalar.</summary>
    public ReadOnlySpan<int> Shape => shape;

    /// <summary>The number of axes (0 for a scalar).</summary>
    public int Rank => shape.Length;

    /// <summary>The number of elements, Π shape (1 for a scalar, 0 when an extent is 0).</summary>
    public int Length { get; }

    /// <summary>The first byte of the tensor's data, counted from the start of the data section (which follows the header).</summary>
    public long DataBegin { get; }

    /// <summary>One past the last byte of the tensor's data, counted from the start of the data section; <see cref="DataEnd"/> − <see cref="DataBegin"/> = <see cref="Length"/> × <see cref="ElementSize"/>.</summary>
    public long DataEnd { get; }

    internal int[] ShapeArray => shape;

    /// <summary>"name: F32[2, 3]".</summary>
    public override string ToString() => $"{Name}: {DType}{ShapeRules.Format(shape)}";
}
