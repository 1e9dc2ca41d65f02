namespace NasKit.Hardware;

/// <summary>Configures <see cref="CostCounter"/>.</summary>
public sealed class CostCountingOptions
{
    private int _batchSize = 1;
    private int _bytesPerElement = 4;

    /// <summary>Gets or sets the batch the forward pass is traced at; every count is for this batch.</summary>
    /// <value>The default value is 1, the convention of NAS-Bench-201 and most papers (costs per image).</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int BatchSize
    {
        get => _batchSize;
        set => _batchSize = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The batch size must be positive.");
    }

    /// <summary>Gets or sets the bytes of one activation element, for activation sizes and peak memory.</summary>
    /// <value>The default value is 4 (float32); use 1 for int8 deployment (microcontrollers).</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not 1, 2, 4 or 8.</exception>
    public int BytesPerElement
    {
        get => _bytesPerElement;
        set => _bytesPerElement = value is 1 or 2 or 4 or 8 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The bytes per element must be 1, 2, 4 or 8.");
    }
}
