using System.Globalization;
using Microsoft.ML.OnnxRuntime;
using Drift.Generative.Training;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Drift.Learning.Onnx;

/// <summary>
/// An ONNX network (x, t[, label]) ↦ y run by Microsoft.ML.OnnxRuntime on the CPU: one inference session per file, a
/// whole batch per call.
/// </summary>
/// <remarks>
/// <para>The contract (what <c>bench/compare/export_onnx.py</c> exports from PyTorch): inputs named <c>x</c> [B, d]
/// or, for an image network, [B, C, H, W] (float32 or float64), <c>t</c> [B] (float32 or float64) and, for a
/// class-conditional network, <c>label</c> [B] (int64 or int32); the first output is y of the same shape as x (or
/// [B, d] with d = C·H·W; float32 or float64). B may be dynamic; d must be fixed in the graph or given by the metadata
/// key "drift.dimension", and C, H, W fixed in the graph or given by "drift.image_shape" ("CxHxW"). An image row is the
/// row-major C×H×W image, so rows and images share one memory layout and every sampler runs on image networks as on
/// point networks (<see cref="Image"/> tells the caller how to draw them). Inputs and outputs are converted from and to double
/// (float32 inputs are rounded to nearest). The model's metadata_props are exposed as <see cref="Metadata"/>.</para>
/// <para><see cref="Evaluate"/> is thread-safe (an ONNX Runtime session runs concurrent calls); each call allocates
/// the batch's input tensors once.</para>
/// </remarks>
public sealed class OnnxNetwork : IDisposable
{
    /// <summary>The expected input names.</summary>
    public const string XInput = "x", TimeInput = "t", LabelInput = "label";

    readonly InferenceSession session;
    readonly TensorElementType xType, tType, labelType, outputType;
    readonly string outputName;

    OnnxNetwork(InferenceSession session, string source)
    {
        this.session = session;
        Source = source;
        Metadata = session.ModelMetadata.CustomMetadataMap;
        var inputs = session.InputMetadata;
        string Expected() => $"Drift expects inputs x [B, d] or [B, C, H, W] (float32/float64), t [B] (float32/float64) and optionally label [B] (int64/int32); the model's are {string.Join(", ", inputs.Select(p => $"{p.Key} {Format(p.Value)}"))}";
        bool labelled = inputs.ContainsKey(LabelInput);
        if (!inputs.ContainsKey(XInput) || !inputs.ContainsKey(TimeInput) || inputs.Count != (labelled ? 3 : 2))
            throw new InvalidDataException($"{source}: wrong inputs. {Expected()}.");
        NodeMetadata x = inputs[XInput], t = inputs[TimeInput];
        if (x.Dimensions.Length is not (2 or 4) || !IsReal(x.ElementDataType)) throw new InvalidDataException($"{source}: input 'x' is {Format(x)}. {Expected()}.");
        if (t.Dimensions.Length != 1 || !IsReal(t.ElementDataType)) throw new InvalidDataException($"{source}: input 't' is {Format(t)}. {Expected()}.");
        xType = x.ElementDataType;
        tType = t.ElementDataType;
        if (labelled)
        {
            var l = inputs[LabelInput];
            if (l.Dimensions.Length != 1 || l.ElementDataType is not (TensorElementType.Int64 or TensorElementType.Int32))
                throw new InvalidDataException($"{source}: input 'label' is {Format(l)}. {Expected()}.");
            labelType = l.ElementDataType;
            HasLabel = true;
        }
        var (name, output) = session.OutputMetadata.First();
        bool image = x.Dimensions.Length == 4;
        if (output.Dimensions.Length is not (2 or 4) || (!image && output.Dimensions.Length != 2) || !IsReal(output.ElementDataType))
            throw new InvalidDataException($"{source}: output '{name}' is {Format(output)}; Drift expects y of the shape of x, {Format(x)} (float32/float64).");
        outputName = name;
        outputType = output.ElementDataType;
        if (image)
        {
            Image = ImageOf(x, source);
            if (output.Dimensions.Length == 4 && output.Dimensions.Skip(1).Zip([Image.Channels, Image.Height, Image.Width]).Any(p => p.First > 0 && p.First != p.Second))
                throw new InvalidDataException($"{source}: output '{name}' is {Format(output)}, input 'x' an image of {Image} (C×H×W).");
        }
        int d = image ? Image!.Size
            : x.Dimensions[1] > 0 ? x.Dimensions[1]
            : Metadata.TryGetValue("drift.dimension", out var text) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int m) && m > 0 ? m
            : throw new InvalidDataException($"{source}: the width of input 'x' is not fixed in the graph; add the metadata key 'drift.dimension'.");
        if (output.Dimensions.Length == 2 && output.Dimensions[1] > 0 && output.Dimensions[1] != d)
            throw new InvalidDataException($"{source}: output '{name}' has {output.Dimensions[1]} columns, input 'x' {d}.");
        Dimension = d;
        if (Metadata.TryGetValue("drift.classes", out var classes))
            Classes = int.TryParse(classes, NumberStyles.Integer, CultureInfo.InvariantCulture, out int c) && c >= 0 ? c
                : throw new InvalidDataException($"{source}: metadata 'drift.classes' = '{classes}' is not a non-negative integer.");
    }

    /// <summary>
    /// Opens an ONNX file. The native runtime (onnxruntime 1.32) is loaded on first use.
    /// </summary>
    /// <param name="path">The .onnx file.</param>
    /// <param name="options">Session options (threads, graph optimisation); null for ONNX Runtime's defaults.</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a loadable ONNX model (truncated, corrupt), or inputs/outputs that break the contract (the message names the expected inputs).</exception>
    /// <exception cref="PlatformNotSupportedException">The native runtime is not available for this platform (the tool ships linux-x64/arm64, osx-arm64, win-x64/arm64).</exception>
    public static OnnxNetwork Load(string path, SessionOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such ONNX file.", path);
        InferenceSession session;
        try
        {
            session = options is null ? new InferenceSession(path) : new InferenceSession(path, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"{path}: not a loadable ONNX model: {OneLine(e.Message)}", e);
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or EntryPointNotFoundException)
        {
            throw new PlatformNotSupportedException(
                $"ONNX Runtime's native library (onnxruntime 1.32) could not be loaded on {System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier}: {OneLine(e.Message)}", e);
        }
        try
        {
            return new OnnxNetwork(session, path);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>The file the network came from.</summary>
    public string Source { get; }
    /// <summary>The model's metadata_props.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }
    /// <summary>Data dimension d (C·H·W for an image network).</summary>
    public int Dimension { get; }
    /// <summary>The image shape C×H×W when input x is [B, C, H, W], else null.</summary>
    public ImageShape? Image { get; }
    /// <summary>Whether the network takes a <c>label</c> input.</summary>
    public bool HasLabel { get; }
    /// <summary>The number of classes from metadata "drift.classes" (label c ∈ [0, classes), the null label = classes), or 0 when absent.</summary>
    public int Classes { get; }

    /// <summary>y for <paramref name="samples"/> rows x (sample-major, d per row), one time per row and, for a labelled network, one label per row.</summary>
    /// <exception cref="ArgumentException">Spans too short, or labels given to an unlabelled network / missing for a labelled one.</exception>
    /// <exception cref="InvalidDataException">The runtime failed, or the output has the wrong shape.</exception>
    public void Evaluate(ReadOnlySpan<double> x, ReadOnlySpan<double> t, ReadOnlySpan<long> labels, Span<double> output, int samples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        int d = Dimension;
        long n = (long)samples * d;
        if (x.Length < n || output.Length < n || t.Length < samples)
            throw new ArgumentException($"{samples} rows need x and output of {n} values and t of {samples}, got {x.Length}, {output.Length} and {t.Length}.", nameof(x));
        if (HasLabel != (labels.Length > 0) || (HasLabel && labels.Length < samples))
            throw new ArgumentException(HasLabel ? $"{Source} takes a label per row: {samples} needed, got {labels.Length}." : $"{Source} takes no label.", nameof(labels));
        if (samples == 0) return;
        var names = new List<string>(3) { XInput, TimeInput };
        var values = new List<OrtValue>(3);
        try
        {
            values.Add(Real(xType, x[..(int)n], Image is { } im ? [samples, im.Channels, im.Height, im.Width] : [samples, d]));
            values.Add(Real(tType, t[..samples], [samples]));
            if (HasLabel)
            {
                names.Add(LabelInput);
                values.Add(labelType == TensorElementType.Int64
                    ? OrtValue.CreateTensorValueFromMemory(labels[..samples].ToArray(), [samples])
                    : OrtValue.CreateTensorValueFromMemory(Narrow(labels[..samples]), [samples]));
            }
            using var results = session.Run(new RunOptions(), names, values, [outputName]);
            var y = results[0];
            var shape = y.GetTensorTypeAndShape().Shape;
            if (shape.Length < 2 || shape[0] != samples || shape.Skip(1).Aggregate(1L, (a, b) => a * b) != d)
                throw new InvalidDataException($"{Source}: output '{outputName}' has shape [{string.Join(", ", shape)}] for {samples} rows, expected [{samples}, {(Image is { } s ? $"{s.Channels}, {s.Height}, {s.Width}" : d)}].");
            if (outputType == TensorElementType.Double) y.GetTensorDataAsSpan<double>().CopyTo(output);
            else
            {
                var f = y.GetTensorDataAsSpan<float>();
                for (int k = 0; k < n; k++) output[k] = f[k];
            }
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"{Source}: ONNX Runtime failed: {OneLine(e.Message)}", e);
        }
        finally
        {
            foreach (var v in values) v.Dispose();
        }
    }

    /// <inheritdoc/>
    public void Dispose() => session.Dispose();

    static OrtValue Real(TensorElementType type, ReadOnlySpan<double> values, long[] shape)
    {
        if (type == TensorElementType.Double) return OrtValue.CreateTensorValueFromMemory(values.ToArray(), shape);
        var f = new float[values.Length];
        for (int k = 0; k < f.Length; k++) f[k] = (float)values[k];
        return OrtValue.CreateTensorValueFromMemory(f, shape);
    }

    static int[] Narrow(ReadOnlySpan<long> labels)
    {
        var a = new int[labels.Length];
        for (int k = 0; k < a.Length; k++) a[k] = checked((int)labels[k]);
        return a;
    }

    /// <summary>C×H×W of an image input: from the graph when fixed there, else from metadata "drift.image_shape".</summary>
    ImageShape ImageOf(NodeMetadata x, string source)
    {
        var dims = x.Dimensions;
        if (dims[1] > 0 && dims[2] > 0 && dims[3] > 0)
        {
            var fixedShape = new ImageShape(dims[1], dims[2], dims[3]);
            var declared = ImageShape.FromMetadata(Metadata, source);
            if (declared is not null && declared != fixedShape)
                throw new InvalidDataException($"{source}: metadata '{ImageShape.MetadataKey}' says {declared}, input 'x' is {Format(x)}.");
            return fixedShape;
        }
        return ImageShape.FromMetadata(Metadata, source)
            ?? throw new InvalidDataException($"{source}: the image shape of input 'x' {Format(x)} is not fixed in the graph; add the metadata key '{ImageShape.MetadataKey}' (CxHxW).");
    }

    static bool IsReal(TensorElementType type) => type is TensorElementType.Float or TensorElementType.Double;

    static string Format(NodeMetadata m) => $"{m.ElementDataType}[{string.Join(", ", m.Dimensions.Select(v => v < 0 ? "?" : v.ToString(CultureInfo.InvariantCulture)))}]";

    static string OneLine(string message) => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
