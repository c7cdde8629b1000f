using Drift.Generative.Schedules;

namespace Drift.Generative.Models;

/// <summary>
/// A trained (or exact) diffusion model: a map (x_t, t) ↦ prediction for the forward process of
/// <see cref="Schedule"/>, evaluated for a batch of samples at one time.
/// </summary>
/// <remarks>
/// Batches are sample-major (samples × dimension): coordinate i of sample s is <c>x[s·d + i]</c>.
/// A sample's output must depend on that sample's row only, so results do not depend on batching.
/// An implementation may keep scratch space, so one instance serves one thread at a time.
/// </remarks>
public interface IDiffusionModel
{
    /// <summary>Data dimension d.</summary>
    int Dimension { get; }

    /// <summary>The schedule the model was trained for.</summary>
    NoiseSchedule Schedule { get; }

    /// <summary>The parameterisation <see cref="Evaluate"/> writes.</summary>
    Prediction Prediction { get; }

    /// <summary>Writes the model's prediction at time <paramref name="t"/> for every sample of the batch.</summary>
    /// <param name="t">Time, inside the schedule's domain.</param>
    /// <param name="x">Noisy inputs, <paramref name="samples"/> rows of d values.</param>
    /// <param name="output">Output, same layout; never aliases <paramref name="x"/>.</param>
    /// <param name="samples">Rows in the batch.</param>
    void Evaluate(double t, ReadOnlySpan<double> x, Span<double> output, int samples);
}
