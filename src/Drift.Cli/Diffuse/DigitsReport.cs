using System.Globalization;
using System.Text.Json;
using Drift.Generative.Training;

namespace Drift.Cli.Diffuse;

/// <summary>
/// How samples of a model trained on the handwritten digits look to a classifier trained in Drift on the training split
/// (<see cref="FeatureClassifier"/>, default options, seed 0 — retrained on each call, a few seconds): its held-out
/// accuracy, the fraction of samples recognised as the label they were drawn for, and the Fréchet distance in its
/// feature space between the samples and the held-out digits, next to the floor FD(held-out, train). The samples are
/// judged clamped to the data range [−1, 1], as they are drawn in an image; FD of the raw samples is reported too (a few
/// pixels far outside the range, which guidance produces, dominate it).
/// </summary>
internal sealed record DigitsReport(double HeldOutAccuracy, double Floor, double SampleDistance, double RawSampleDistance, int Samples, double[]? Recognised)
{
    /// <summary>The report for <paramref name="samples"/> (rows × 64), drawn for <paramref name="labels"/> (null: unconditional).</summary>
    public static DigitsReport Measure(double[] samples, int[]? labels)
    {
        var train = Digits.Load(Digits.TrainName);
        var heldOut = Digits.Load(Digits.HeldOutName);
        var classifier = FeatureClassifier.Train(train);
        var raw = samples;
        samples = [.. samples.Select(v => Math.Clamp(v, -1, 1))];
        double[]? recognised = null;
        if (labels is not null)
        {
            var predicted = classifier.Predict(samples);
            recognised = new double[10];
            var counts = new int[10];
            for (int r = 0; r < labels.Length; r++)
            {
                counts[labels[r]]++;
                if (predicted[r] == labels[r]) recognised[labels[r]]++;
            }
            for (int c = 0; c < 10; c++) recognised[c] = counts[c] > 0 ? recognised[c] / counts[c] : double.NaN;
        }
        return new DigitsReport(classifier.Accuracy(heldOut), classifier.FrechetDistance(heldOut.Points, train.Points),
            classifier.FrechetDistance(samples, heldOut.Points), classifier.FrechetDistance(raw, heldOut.Points), samples.Length / 64, recognised);
    }

    /// <summary>The fraction of all labelled samples recognised as their label.</summary>
    public double OverallRecognised => Recognised is null ? double.NaN : Recognised.Where(double.IsFinite).Average();

    /// <summary>Text lines.</summary>
    public void Write(TextWriter w)
    {
        var c = CultureInfo.InvariantCulture;
        w.WriteLine(string.Create(c, $"digits          classifier (mlp 64-128-64-10, trained on the {Digits.TrainName} split) held-out accuracy {HeldOutAccuracy:P1}"));
        w.WriteLine(string.Create(c, $"Fréchet dist.   {SampleDistance:F3} samples (clamped to [−1, 1]) vs held-out ({Samples} vs 300; unclamped {RawSampleDistance:F3}); floor held-out vs train {Floor:F3}"));
        if (Recognised is null) return;
        w.WriteLine(string.Create(c, $"recognised      {OverallRecognised:P1} as the label they were drawn for"));
        w.WriteLine("  " + string.Join("  ", Enumerable.Range(0, 10).Where(k => double.IsFinite(Recognised[k])).Select(k => string.Create(c, $"{k}: {Recognised[k]:P0}"))));
    }

    /// <summary>JSON fields.</summary>
    public void Write(Utf8JsonWriter j)
    {
        j.WriteNumber("classifierHeldOutAccuracy", HeldOutAccuracy);
        j.WriteNumber("frechetDistance", SampleDistance);
        j.WriteNumber("frechetDistanceUnclamped", RawSampleDistance);
        j.WriteNumber("frechetDistanceFloor", Floor);
        if (Recognised is null) return;
        j.WriteNumber("recognised", OverallRecognised);
        DiffuseCommand.Array(j, "recognisedPerClass", Recognised);
    }
}
