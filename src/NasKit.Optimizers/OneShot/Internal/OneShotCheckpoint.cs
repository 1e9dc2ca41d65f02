using System.Text.Json;
using NasKit.Supernet.Nb201;
using NasKit.Tensors;
using NasKit.Tensors.Optim;
using NasKit.Tensors.Serialization;

namespace NasKit.Optimizers.OneShot.Internal;

/// <summary>
/// Writes and reads the epoch-boundary checkpoint of a one-shot search: one safetensors file holding the supernet's state dict (weights,
/// α, batch-norm buffers) and both optimizers' tensors, with the rest (completed epochs, search seconds, optimizer scalars, random
/// generator states, history, and a fingerprint of the search) as JSON metadata. Written to a temporary file and moved into place, so a
/// crash while writing leaves the previous checkpoint intact.
/// </summary>
internal static class OneShotCheckpoint
{
    private const string Format = "naskit-oneshot-checkpoint/1";
    private const string SupernetPrefix = "supernet.";
    private const string WeightOptimizerPrefix = "weight_optimizer.";
    private const string ArchitectureOptimizerPrefix = "architecture_optimizer.";

    public static void Save(string path, CheckpointInfo info, Nb201Supernet supernet, Optimizer weightOptimizer, Optimizer architectureOptimizer)
    {
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var owned = new List<Tensor>();
        try
        {
            foreach (var (name, t) in supernet.StateDict())
            {
                tensors[SupernetPrefix + name] = t;
                owned.Add(t);
            }

            var weightState = weightOptimizer.StateDict();
            var architectureState = architectureOptimizer.StateDict();
            foreach (var (name, t) in weightState.Tensors)
            {
                tensors[WeightOptimizerPrefix + name] = t;
                owned.Add(t);
            }

            foreach (var (name, t) in architectureState.Tensors)
            {
                tensors[ArchitectureOptimizerPrefix + name] = t;
                owned.Add(t);
            }

            var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["format"] = Format,
                ["info"] = JsonSerializer.Serialize(info with
                {
                    WeightOptimizerScalars = new Dictionary<string, double>(weightState.Scalars, StringComparer.Ordinal),
                    ArchitectureOptimizerScalars = new Dictionary<string, double>(architectureState.Scalars, StringComparer.Ordinal),
                }),
            };
            var directory = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }

            var temporary = path + ".tmp";
            SafeTensors.Save(temporary, tensors, metadata);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            foreach (var t in owned)
            {
                t.Dispose();
            }
        }
    }

    /// <summary>Restores a checkpoint into the supernet and optimizers after checking its fingerprint; returns its information.</summary>
    /// <exception cref="InvalidDataException">The file is not a one-shot checkpoint or does not fit the supernet.</exception>
    /// <exception cref="CheckpointMismatchException">The checkpoint was written by a search with different settings or data.</exception>
    public static CheckpointInfo Load(string path, string fingerprint, Nb201Supernet supernet, Optimizer weightOptimizer, Optimizer architectureOptimizer)
    {
        using var content = SafeTensors.Load(path);
        if (!content.Metadata.TryGetValue("format", out var format) || format != Format || !content.Metadata.TryGetValue("info", out var json))
        {
            throw new InvalidDataException($"'{path}' is not a NasKit one-shot search checkpoint (metadata 'format' must be '{Format}').");
        }

        var info = JsonSerializer.Deserialize<CheckpointInfo>(json) ?? throw new InvalidDataException($"'{path}' has empty checkpoint metadata.");
        if (!string.Equals(info.Fingerprint, fingerprint, StringComparison.Ordinal))
        {
            throw new CheckpointMismatchException(
                $"The checkpoint '{path}' was written by a different search (other settings or data) and cannot be resumed by this one; delete the file or use another checkpoint path. Checkpoint: {info.Fingerprint} This search: {fingerprint}");
        }

        try
        {
            supernet.LoadStateDict(Strip(content.Tensors, SupernetPrefix), strict: true);
            weightOptimizer.LoadStateDict(new OptimizerState(Strip(content.Tensors, WeightOptimizerPrefix), info.WeightOptimizerScalars ?? []));
            architectureOptimizer.LoadStateDict(new OptimizerState(Strip(content.Tensors, ArchitectureOptimizerPrefix), info.ArchitectureOptimizerScalars ?? []));
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            throw new InvalidDataException($"The checkpoint '{path}' does not fit this search's supernet or optimizers: {e.Message}", e);
        }

        return info;
    }

    private static Dictionary<string, Tensor> Strip(IReadOnlyDictionary<string, Tensor> tensors, string prefix) =>
        tensors.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value, StringComparer.Ordinal);
}
