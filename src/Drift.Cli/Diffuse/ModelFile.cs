using Drift.Cli.Arguments;
using Drift.Generative.Guidance;
using Drift.Generative.Models;
using Drift.Generative.Training;
using Drift.Learning.Checkpoints;
using Drift.Learning.Onnx;

namespace Drift.Cli.Diffuse;

/// <summary>
/// The model file of <c>drift diffuse sample --model FILE</c>, by kind: an ONNX network (<c>.onnx</c>, run by ONNX
/// Runtime); a safetensors checkpoint of <c>drift diffuse train</c> (metadata "drift.net" present); otherwise PyTorch
/// weights in Drift's naming scheme (<see cref="PyTorchWeights"/>, objective from the metadata). With a guidance scale w
/// the model is (1 + w)·P(label) − w·P(null label).
/// </summary>
internal sealed class ModelFile : IDisposable
{
    readonly OnnxNetwork? onnx;

    readonly Func<int?, IDiffusionModel> forLabel;

    ModelFile(Func<int?, IDiffusionModel> forLabel, IReadOnlyDictionary<string, string> metadata, string kind, OnnxNetwork? onnx)
    {
        this.forLabel = forLabel;
        Metadata = metadata;
        Kind = kind;
        this.onnx = onnx;
    }

    /// <summary>The file's network for class <paramref name="label"/> (null: unconditional), with the guidance it was opened with.</summary>
    public IDiffusionModel For(int? label) => forLabel(label);

    /// <summary>The file's metadata (safetensors metadata or ONNX metadata_props).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }
    /// <summary>"onnx", "checkpoint" or "pytorch".</summary>
    public string Kind { get; }

    /// <summary>The image shape of a row: an ONNX network's x [B, C, H, W], else the metadata "drift.image_shape"; null for points.</summary>
    public ImageShape? Image(string path) => onnx?.Image ?? ImageShape.FromMetadata(Metadata, path);

    /// <summary>Opens <paramref name="path"/>; a missing file is a usage error, a malformed one an <see cref="InvalidDataException"/> (both exit 2).</summary>
    public static ModelFile Open(string path, double guidance)
    {
        if (!File.Exists(path)) throw new UsageException($"--model '{path}' does not exist.");
        IDiffusionModel Guide(IDiffusionModel conditional, Func<IDiffusionModel> unconditional)
            => guidance > 0 ? new ClassifierFreeGuidanceModel(conditional, unconditional(), guidance) : conditional;
        if (path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            OnnxNetwork network;
            try
            {
                network = OnnxNetwork.Load(path);
            }
            catch (PlatformNotSupportedException e)
            {
                // No native runtime for this platform: a failure of the tool (exit 1), not of the user's input.
                throw new IOException(e.Message, e);
            }
            try
            {
                var model = new OnnxDiffusionModel(network); // checks the input contract now, not at the first label
                return new ModelFile(c => Guide(model.WithLabel(c), () => model.WithLabel(null)), network.Metadata, "onnx", network);
            }
            catch (ArgumentException e)
            {
                network.Dispose();
                throw new InvalidDataException($"{path}: {e.Message}", e);
            }
            catch
            {
                network.Dispose();
                throw;
            }
        }
        var metadata = SafeTensorsFile.Read(path).Metadata;
        if (metadata.ContainsKey("drift.net"))
            return new ModelFile(c => Guide(TrainedModel.Load(path, c), () => TrainedModel.Load(path, null)), metadata, "checkpoint", null);
        return new ModelFile(c => Guide(PyTorchWeights.Load(path, label: c), () => PyTorchWeights.Load(path)), metadata, "pytorch", null);
    }

    /// <inheritdoc/>
    public void Dispose() => onnx?.Dispose();
}
