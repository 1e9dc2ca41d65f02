using System.Globalization;

namespace NasKit.Tensors.NN;

/// <summary>Represents 2-D max pooling (PyTorch's <c>nn.MaxPool2d</c>).</summary>
/// <param name="kernelSize">The window size.</param>
/// <param name="stride">The stride; defaults to the window size.</param>
/// <param name="padding">The implicit −∞ padding.</param>
/// <param name="dilation">The dilation.</param>
/// <param name="ceilMode">Whether to use ceiling for the output size.</param>
public sealed class MaxPool2d(int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool ceilMode = false) : Module<Tensor, Tensor>
{
    /// <summary>Gets the window size.</summary>
    public int KernelSize { get; } = kernelSize;

    /// <summary>Gets the stride.</summary>
    public int Stride { get; } = stride ?? kernelSize;

    /// <summary>Gets the padding.</summary>
    public int Padding { get; } = padding;

    /// <summary>Gets the dilation.</summary>
    public int Dilation { get; } = dilation;

    /// <summary>Gets whether the output size is rounded up.</summary>
    public bool CeilMode { get; } = ceilMode;

    /// <inheritdoc />
    protected override string ExtraRepresentation =>
        string.Create(CultureInfo.InvariantCulture, $"kernel_size={KernelSize}, stride={Stride}, padding={Padding}, dilation={Dilation}, ceil_mode={(CeilMode ? "True" : "False")}");

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input) => Functional.MaxPool2d(input, KernelSize, Stride, Padding, Dilation, CeilMode);
}
