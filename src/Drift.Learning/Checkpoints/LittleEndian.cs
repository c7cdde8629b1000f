using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Drift.Learning.Checkpoints;

/// <summary>Byte-order helpers for the little-endian safetensors data section.</summary>
internal static class LittleEndian
{
    /// <summary>Reverses the bytes of each <paramref name="elementSize"/>-byte element of <paramref name="bytes"/> in place.</summary>
    public static void Swap(Span<byte> bytes, int elementSize)
    {
        switch (elementSize)
        {
            case 1:
                break;
            case 2:
                var u16 = MemoryMarshal.Cast<byte, ushort>(bytes);
                BinaryPrimitives.ReverseEndianness(u16, u16);
                break;
            case 4:
                var u32 = MemoryMarshal.Cast<byte, uint>(bytes);
                BinaryPrimitives.ReverseEndianness(u32, u32);
                break;
            case 8:
                var u64 = MemoryMarshal.Cast<byte, ulong>(bytes);
                BinaryPrimitives.ReverseEndianness(u64, u64);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(elementSize), elementSize, "Element sizes are 1, 2, 4 or 8 bytes.");
        }
    }
}
