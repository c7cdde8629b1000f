using System.Text.Json;
using Drift.Cli.Arguments;
using Drift.Generative.Oracles;

namespace Drift.Cli.Diffuse;

/// <summary>
/// Reads a Gaussian mixture from JSON: <c>{"weights": [π…], "means": [[μ…]…], "covariances": [C…]}</c> where
/// each C is a d×d nested array, a flat row-major array of d² values, a list of d variances (diagonal) or one
/// number (isotropic variance). Weights need not sum to 1.
/// </summary>
public static class MixtureFile
{
    /// <summary>Parses a <c>gmm:FILE</c> or standard-mixture name target.</summary>
    /// <exception cref="UsageException">Unknown name, unreadable file or malformed description (one-line reason).</exception>
    public static GaussianMixture Resolve(string target)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!target.StartsWith("gmm:", StringComparison.Ordinal))
        {
            if (!StandardMixtures.Names.Contains(target))
                throw new UsageException($"unknown target '{target}'; use gmm:FILE or one of {string.Join(", ", StandardMixtures.Names)}.");
            return StandardMixtures.Get(target);
        }
        string path = target[4..];
        if (!File.Exists(path)) throw new UsageException($"cannot read '{path}': no such file.");
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses the JSON text of a mixture; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="UsageException">Malformed description.</exception>
    public static GaussianMixture Parse(string json, string source)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new UsageException($"{source}: the mixture must be a JSON object.");
            var means = Array(root, "means", source).EnumerateArray().Select(m => Numbers(m, source, "means")).ToArray();
            if (means.Length == 0) throw new UsageException($"{source}: 'means' is empty.");
            int d = means[0].Length, k = means.Length;
            if (d == 0 || means.Any(m => m.Length != d)) throw new UsageException($"{source}: every mean needs the same number (≥ 1) of coordinates.");
            double[] weights = root.TryGetProperty("weights", out var w) ? Numbers(w, source, "weights") : Enumerable.Repeat(1.0, k).ToArray();
            if (weights.Length != k) throw new UsageException($"{source}: {weights.Length} weights for {k} means.");
            var covs = Array(root, "covariances", source).EnumerateArray().Select(c => Covariance(c, d, source)).ToArray();
            if (covs.Length != k) throw new UsageException($"{source}: {covs.Length} covariances for {k} means.");
            return new GaussianMixture(weights, means, covs);
        }
        catch (JsonException e)
        {
            throw new UsageException($"{source}: invalid JSON at line {e.LineNumber + 1}: {e.Message.Split('\n')[0]}");
        }
        catch (ArgumentException e)
        {
            throw new UsageException($"{source}: {e.Message.Split('\n')[0]}");
        }
    }

    private static JsonElement Array(JsonElement root, string name, string source)
        => root.TryGetProperty(name, out var e) && e.ValueKind == JsonValueKind.Array ? e : throw new UsageException($"{source}: missing array '{name}'.");

    private static double[] Numbers(JsonElement e, string source, string what)
    {
        if (e.ValueKind != JsonValueKind.Array || e.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.Number))
            throw new UsageException($"{source}: '{what}' must hold arrays of numbers.");
        return e.EnumerateArray().Select(v => v.GetDouble()).ToArray();
    }

    private static double[] Covariance(JsonElement c, int d, string source)
    {
        if (c.ValueKind == JsonValueKind.Number)
        {
            var iso = new double[d * d];
            for (int i = 0; i < d; i++) iso[i * d + i] = c.GetDouble();
            return iso;
        }
        if (c.ValueKind == JsonValueKind.Array && c.GetArrayLength() == d && c.EnumerateArray().All(r => r.ValueKind == JsonValueKind.Array))
        {
            var rows = c.EnumerateArray().Select(r => Numbers(r, source, "covariances")).ToArray();
            if (rows.Any(r => r.Length != d)) throw new UsageException($"{source}: a covariance row needs {d} values.");
            return rows.SelectMany(r => r).ToArray();
        }
        var flat = Numbers(c, source, "covariances");
        if (flat.Length == d * d) return flat;
        if (flat.Length == d)
        {
            var diag = new double[d * d];
            for (int i = 0; i < d; i++) diag[i * d + i] = flat[i];
            return diag;
        }
        throw new UsageException($"{source}: a covariance needs d×d = {d * d} values, {d} variances or one number; got {flat.Length}.");
    }
}
