namespace Drift.Solve;

/// <summary>
/// How a fixed-step solver tells the loop that runs it why a path failed inside a step (a Newton iteration that did
/// not converge, a singular iteration matrix) although <see cref="Sde.ISdeSolver.Step{TDrift, TDiffusion}"/> returns
/// nothing: it writes a quiet NaN whose payload carries the <see cref="SolveStatus"/> into the path's state. The loops
/// already stop a path at its first non-finite component; they read the cause back with <see cref="CauseOf"/>, and
/// any other NaN or ±∞ is <see cref="SolveStatus.NonFinite"/>. The payload survives copies (the loops look at the
/// state right after the step), not arithmetic.
/// </summary>
internal static class StepFailure
{
    // Quiet-NaN exponent and quiet bit, a 16-bit tag, then the cause in the low bits; the sign bit is ignored.
    private const long Tag = 0x7FF8_D21F_0000_0000;
    private const long TagMask = 0x7FFF_FFFF_0000_0000;

    /// <summary>The NaN that carries <paramref name="cause"/>.</summary>
    public static double Signal(SolveStatus cause) => BitConverter.Int64BitsToDouble(Tag | (uint)cause);

    /// <summary>The cause carried by a non-finite state value: the status in a <see cref="Signal"/>, else <see cref="SolveStatus.NonFinite"/>.</summary>
    public static SolveStatus CauseOf(double value)
    {
        long bits = BitConverter.DoubleToInt64Bits(value);
        return double.IsNaN(value) && (bits & TagMask) == Tag ? (SolveStatus)(int)(bits & 0xFFFF_FFFF) : SolveStatus.NonFinite;
    }
}
