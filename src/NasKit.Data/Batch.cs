using NasKit.Tensors;

namespace NasKit.Data;

/// <summary>Represents one mini-batch from a <see cref="DataLoader"/>: the stacked inputs, their labels and the dataset indices they came from.</summary>
/// <remarks>
/// The batch owns <see cref="Inputs"/>, whose storage comes from the tensor engine's pool. Dispose the batch (or the tensor) when the
/// step that uses it is over, so the storage returns to the pool for the next batch; a batch created while a
/// <see cref="TensorScope"/> is active is disposed with that scope. Disposing twice is harmless.
/// </remarks>
public sealed class Batch : IDisposable
{
    private readonly int[] _targets;
    private readonly int[] _indices;

    /// <summary>Initializes a new instance of the <see cref="Batch"/> class, taking ownership of <paramref name="inputs"/> and the arrays.</summary>
    /// <param name="inputs">The inputs, of shape [B, ...sample shape].</param>
    /// <param name="targets">The B labels.</param>
    /// <param name="indices">The B dataset indices of the samples.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The lengths of the arrays differ from the first dimension of <paramref name="inputs"/>.</exception>
    public Batch(Tensor inputs, int[] targets, int[] indices)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(indices);
        var rows = inputs.Rank == 0 ? -1 : inputs.Size(0);
        if (targets.Length != rows || indices.Length != rows)
        {
            throw new ArgumentException(
                $"'targets.Length == indices.Length == inputs.Size(0)' must hold, but got targets.Length={targets.Length}, indices.Length={indices.Length}, " +
                $"inputs shape [{string.Join(", ", inputs.Shape)}].",
                nameof(inputs));
        }

        Inputs = inputs;
        _targets = targets;
        _indices = indices;
    }

    /// <summary>Gets the inputs, of shape [B, ...sample shape]; owned by this batch.</summary>
    public Tensor Inputs { get; }

    /// <summary>Gets the label of each sample, in batch order (pass it to <c>Functional.CrossEntropy</c> as the target).</summary>
    public ReadOnlySpan<int> Targets => _targets;

    /// <summary>Gets the dataset index of each sample, in batch order.</summary>
    public ReadOnlySpan<int> Indices => _indices;

    /// <summary>Gets the number of samples, B.</summary>
    public int Count => _targets.Length;

    /// <summary>Disposes <see cref="Inputs"/>, returning its storage to the pool.</summary>
    public void Dispose() => Inputs.Dispose();
}
