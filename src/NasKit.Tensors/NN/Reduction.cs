namespace NasKit.Tensors.NN;

/// <summary>Specifies how a loss reduces its per-element values.</summary>
public enum Reduction
{
    /// <summary>The mean over elements (for weighted losses, over the total weight).</summary>
    Mean = 0,

    /// <summary>The sum over elements.</summary>
    Sum = 1,

    /// <summary>No reduction: the per-element losses.</summary>
    None = 2,

    /// <summary>The sum divided by the batch size; the mathematically correct mean of <see cref="Functional.KlDiv"/>, valid only there.</summary>
    BatchMean = 3,
}
