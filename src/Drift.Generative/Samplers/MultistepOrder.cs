namespace Drift.Generative.Samplers;

/// <summary>The order a multistep sampler uses at each step: warm-up from 1 and, on short grids, lower order at the end.</summary>
internal static class MultistepOrder
{
    /// <summary>Grids shorter than this use lower orders on their last steps (Lu et al.'s lower_order_final).</summary>
    public const int LowerOrderFinalBelow = 15;

    /// <summary>Order at step <paramref name="step"/> (0-based) of <paramref name="steps"/>: min(order, step + 1, and steps − step when steps &lt; 15).</summary>
    public static int At(int order, int step, int steps)
    {
        int p = Math.Min(order, step + 1);
        if (steps < LowerOrderFinalBelow) p = Math.Min(p, steps - step);
        return p;
    }
}
