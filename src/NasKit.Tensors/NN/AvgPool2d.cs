using System.Globalization;

namespace NasKit.Tensors.NN;

/// <summary>Represents 2-D average pooling (PyTorch's <c>nn.AvgPool2d</c>).</summary>
/// <param name="kernelSize">The window size.</param>
/// <param name="stride">The stride; defaults to the window size.</param>
/// <param name="padding">The implicit zero padding.</param>
/// <param name="ceilMode">Whether to use ceiling for the output size.</param>
/// <param name="countIncludePad">Whether padded zeros count in the average (NAS-Bench-201's avg_pool_3x3 uses false).</param>
/// <param name="divisorOverride">A fixed divisor, when given.</param>
public sealed class AvgPool2d(int kernelSize, int? stride = null, int padding = 0, bool ceilMode = false, bool countIncludePad = true, int? divisorOverride = null)
    : Module<Tensor, Tensor>
{
    /// <summary>Gets the window size.</summary>
    public int KernelSize { get; } = kernelSize;

    /// <summary>Gets the stride.</summary>
    public int Stride { get; } = stride ?? kernelSize;

    /// <summary>Gets the padding.</summary>
    public int Padding { get; } = padding;

    /// <summary>Gets whether the output size is rounded up.</summary>
    public bool CeilMode { get; } = ceilMode;

    /// <summary>Gets whether padded zeros count in the average.</summary>
    public bool CountIncludePad { get; } = countIncludePad;

    /// <summary>Gets the fixed divisor, or null.</summary>
    public int? DivisorOverride { get; } = divisorOverride;

    /// <inheritdoc />
    protected override string ExtraRepresentation =>
        string.Create(CultureInfo.InvariantCulture, $"kernel_size={KernelSize}, stride={Stride}, padding={Padding}, count_include_pad={(CountIncludePad ? "True" : "False")}");

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input) => Functional.AvgPool2d(input, KernelSize, Stride, Padding, CeilMode, CountIncludePad, DivisorOverride);
}
