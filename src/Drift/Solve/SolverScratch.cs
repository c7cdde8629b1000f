namespace Drift.Solve;

/// <summary>
/// Per-worker scratch rows that solvers borrow for stages, reused across batches and steps so that
/// stepping allocates nothing. Slots grow on first use and keep their contents between steps,
/// which lets multistep and reversible solvers carry state.
/// </summary>
public sealed class SolverScratch
{
    private double[][] _slots = [];

    /// <summary>A solver-defined phase flag kept between steps (used by double-buffered solvers).</summary>
    public int Phase { get; set; }

    /// <summary>Global index of the first path of the batch being stepped (set by the ensemble loop before each batch's start).</summary>
    internal long FirstPath { get; set; }

    /// <summary>Per-worker state of a wrapping stepper (the event handling of fixed-step ensembles), or null.</summary>
    internal object? Attachment { get; set; }

    /// <summary>The first <paramref name="length"/> values of slot <paramref name="slot"/>.</summary>
    public Span<double> Slot(int slot, int length)
    {
        if (slot >= _slots.Length) Array.Resize(ref _slots, slot + 1);
        var a = _slots[slot];
        if (a is null || a.Length < length) _slots[slot] = a = new double[length];
        return a.AsSpan(0, length);
    }
}
