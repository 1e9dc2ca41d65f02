using System.Globalization;
using NasKit.Tensors.Internal.Backends;

namespace NasKit.Tensors.NN;

/// <summary>Represents a 2-D convolution layer with learnable filters and optional bias (PyTorch's <c>nn.Conv2d</c>).</summary>
/// <remarks>Parameters are initialised as PyTorch does: Kaiming-uniform with a = √5 for the weight and U(−1/√fan_in, 1/√fan_in) for the bias.</remarks>
public sealed class Conv2d : Module<Tensor, Tensor>
{
    /// <summary>Initializes a new instance of the <see cref="Conv2d"/> class with square kernel, stride, padding and dilation.</summary>
    /// <param name="inChannels">The input channels.</param>
    /// <param name="outChannels">The output channels.</param>
    /// <param name="kernelSize">The kernel side.</param>
    /// <param name="stride">The stride.</param>
    /// <param name="padding">The zero padding on each side.</param>
    /// <param name="dilation">The dilation.</param>
    /// <param name="groups">The number of groups; divides both channel counts.</param>
    /// <param name="bias">Whether to learn a bias.</param>
    /// <param name="generator">The generator for initialisation; <see cref="Generator.Default"/> when null.</param>
    public Conv2d(int inChannels, int outChannels, int kernelSize, int stride = 1, int padding = 0, int dilation = 1, int groups = 1, bool bias = true, Generator? generator = null)
        : this(inChannels, outChannels, (kernelSize, kernelSize), (stride, stride), (padding, padding), (dilation, dilation), groups, bias, generator)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="Conv2d"/> class with per-axis hyper-parameters.</summary>
    /// <param name="inChannels">The input channels.</param>
    /// <param name="outChannels">The output channels.</param>
    /// <param name="kernelSize">The kernel (height, width).</param>
    /// <param name="stride">The stride.</param>
    /// <param name="padding">The zero padding.</param>
    /// <param name="dilation">The dilation.</param>
    /// <param name="groups">The number of groups; divides both channel counts.</param>
    /// <param name="bias">Whether to learn a bias.</param>
    /// <param name="generator">The generator for initialisation; <see cref="Generator.Default"/> when null.</param>
    /// <exception cref="ArgumentException">A hyper-parameter is out of range or the groups do not divide the channels.</exception>
    public Conv2d(int inChannels, int outChannels, (int H, int W) kernelSize, (int H, int W) stride, (int H, int W) padding, (int H, int W) dilation, int groups = 1, bool bias = true, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(groups);
        if (kernelSize.H <= 0 || kernelSize.W <= 0 || stride.H <= 0 || stride.W <= 0 || dilation.H <= 0 || dilation.W <= 0 || padding.H < 0 || padding.W < 0)
        {
            throw new ArgumentException($"Conv2d needs positive kernel size, stride and dilation and non-negative padding, but got kernel={kernelSize}, stride={stride}, padding={padding}, dilation={dilation}.");
        }

        if (inChannels % groups != 0 || outChannels % groups != 0)
        {
            throw new ArgumentException($"groups={groups} must divide both inChannels={inChannels} and outChannels={outChannels}.", nameof(groups));
        }

        InChannels = inChannels;
        OutChannels = outChannels;
        KernelSize = kernelSize;
        Stride = stride;
        Padding = padding;
        Dilation = dilation;
        Groups = groups;
        Weight = RegisterParameter("weight", new Parameter(Tensor.Empty(outChannels, inChannels / groups, kernelSize.H, kernelSize.W)));
        Bias = RegisterParameter("bias", bias ? new Parameter(Tensor.Empty(outChannels)) : null);
        ResetParameters(generator);
    }

    /// <summary>Gets the number of input channels.</summary>
    public int InChannels { get; }

    /// <summary>Gets the number of output channels.</summary>
    public int OutChannels { get; }

    /// <summary>Gets the kernel size.</summary>
    public (int H, int W) KernelSize { get; }

    /// <summary>Gets the stride.</summary>
    public (int H, int W) Stride { get; }

    /// <summary>Gets the zero padding.</summary>
    public (int H, int W) Padding { get; }

    /// <summary>Gets the dilation.</summary>
    public (int H, int W) Dilation { get; }

    /// <summary>Gets the number of groups.</summary>
    public int Groups { get; }

    /// <summary>Gets the filters, [out, in/groups, kh, kw].</summary>
    public Parameter Weight { get; }

    /// <summary>Gets the bias, [out], or null.</summary>
    public Parameter? Bias { get; }

    /// <inheritdoc />
    protected override string ExtraRepresentation
    {
        get
        {
            var text = string.Create(CultureInfo.InvariantCulture, $"{InChannels}, {OutChannels}, kernel_size=({KernelSize.H}, {KernelSize.W}), stride=({Stride.H}, {Stride.W})");
            if (Padding != (0, 0))
            {
                text += string.Create(CultureInfo.InvariantCulture, $", padding=({Padding.H}, {Padding.W})");
            }

            if (Dilation != (1, 1))
            {
                text += string.Create(CultureInfo.InvariantCulture, $", dilation=({Dilation.H}, {Dilation.W})");
            }

            if (Groups != 1)
            {
                text += string.Create(CultureInfo.InvariantCulture, $", groups={Groups}");
            }

            return Bias is null ? text + ", bias=False" : text;
        }
    }

    /// <summary>Re-initialises the parameters as PyTorch does.</summary>
    /// <param name="generator">The generator; <see cref="Generator.Default"/> when null.</param>
    public void ResetParameters(Generator? generator = null)
    {
        Init.KaimingUniform(Weight, a: Math.Sqrt(5), generator: generator);
        if (Bias is not null)
        {
            var (fanIn, _) = Init.CalculateFanInAndFanOut(Weight);
            var bound = fanIn > 0 ? 1.0 / Math.Sqrt(fanIn) : 0;
            Init.Uniform(Bias, -bound, bound, generator);
        }
    }

    /// <summary>
    /// Computes <c>Call(Functional.Relu(input))</c> with the ReLU applied as the convolution reads its input, in training as in
    /// inference: no rectified tensor is made or kept for the backward pass (one pass over the activations less each way, and one
    /// activation-sized tensor less per call held until backward). Gradients equal those of the two-step computation.
    /// </summary>
    /// <remarks>
    /// When the module has forward hooks, or an execution trace is being recorded (<see cref="TensorEngine.StartTracing"/>), it runs
    /// the two steps instead, so that hooks see the rectified input and traces the model's own operations.
    /// </remarks>
    /// <param name="input">The input, [N, Cin, H, W] or [Cin, H, W].</param>
    /// <returns>The convolution of max(input, 0); the caller disposes it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    /// <exception cref="ArgumentException">The input's shape does not fit the convolution.</exception>
    public Tensor CallWithInputRelu(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (HasForwardHooks || BackendProvider.IsTracing)
        {
            using var rectified = Functional.Relu(input);
            return Call(rectified);
        }

        return Functional.Conv2dOfRelu(input, Weight, Bias, Stride, Padding, Dilation, Groups);
    }

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input) => Functional.Conv2d(input, Weight, Bias, Stride, Padding, Dilation, Groups);
}
