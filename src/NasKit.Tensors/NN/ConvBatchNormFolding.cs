using NasKit.Tensors.Internal;
using NasKit.Tensors.Internal.Autograd;
using NasKit.Tensors.Internal.Backends;

namespace NasKit.Tensors.NN;

/// <summary>
/// Runs a <see cref="Conv2d"/> followed by an evaluation-mode <see cref="BatchNorm2d"/> as one convolution whose weights and bias
/// absorb the normalisation (PyTorch's <c>fuse_conv_bn_eval</c>, kept live): w′ = w·s, b′ = (b − μ)·s + β with s = γ/√(σ² + ε).
/// </summary>
/// <remarks>
/// <para>Inference only: <see cref="IsApplicable"/> holds while both modules are in evaluation mode, the batch norm has running
/// statistics, gradient recording is off (<see cref="Autograd.NoGrad"/>) and neither module has forward hooks (the folded path does
/// not run them). Modules that own a convolution and its batch norm call <see cref="Forward"/> when it holds and their ordinary
/// path otherwise, so training, gradients and hooks see exactly the unfused computation.</para>
/// <para>The folded weights are cached and recomputed only when a parameter or a running statistic changed since (every in-place
/// update, optimizer step, state-dict load or recalibration of those tensors is seen), so a forward pass costs one convolution and
/// no batch-norm pass. The result equals the unfused one up to float rounding (the scale is computed in double precision).</para>
/// </remarks>
/// <example>
/// <code>
/// using var folding = new ConvBatchNormFolding(conv, bn);
/// model.Eval();
/// using (Autograd.NoGrad())
/// {
///     var y = folding.IsApplicable ? folding.Forward(x) : bn.Call(conv.Call(x));
/// }
/// </code>
/// </example>
public sealed class ConvBatchNormFolding : IDisposable
{
    private readonly Tensor?[] _seenTensors = new Tensor?[6];
    private readonly object?[] _seenStorages = new object?[6];
    private readonly int[] _seenVersions = new int[6];
    private Tensor? _weight;
    private Tensor? _bias;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="ConvBatchNormFolding"/> class.</summary>
    /// <param name="convolution">The convolution.</param>
    /// <param name="batchNorm">The batch norm applied to the convolution's output.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The batch norm's channel count differs from the convolution's output channels.</exception>
    public ConvBatchNormFolding(Conv2d convolution, BatchNorm2d batchNorm)
    {
        ArgumentNullException.ThrowIfNull(convolution);
        ArgumentNullException.ThrowIfNull(batchNorm);
        if (batchNorm.NumFeatures != convolution.OutChannels)
        {
            throw new ArgumentException(
                $"The batch norm normalises {batchNorm.NumFeatures} channels but the convolution outputs {convolution.OutChannels}.", nameof(batchNorm));
        }

        Convolution = convolution;
        BatchNorm = batchNorm;
    }

    /// <summary>Gets the convolution.</summary>
    public Conv2d Convolution { get; }

    /// <summary>Gets the batch norm.</summary>
    public BatchNorm2d BatchNorm { get; }

    /// <summary>
    /// Gets whether <see cref="Forward"/> computes what <c>BatchNorm.Call(Convolution.Call(x))</c> would: both modules in evaluation
    /// mode, the batch norm with running statistics, gradient recording off, no forward hooks on either module, and no execution
    /// trace being recorded (<see cref="TensorEngine.StartTracing"/>: cost counting and latency signatures see the model's own
    /// operations).
    /// </summary>
    public bool IsApplicable =>
        !_disposed && !Convolution.IsTraining && !BatchNorm.IsTraining && BatchNorm.RunningMean is not null && BatchNorm.RunningVar is not null
        && !GradMode.IsEnabled && !Convolution.HasForwardHooks && !BatchNorm.HasForwardHooks && !BackendProvider.IsTracing;

    /// <summary>Computes the batch norm of the convolution of <paramref name="input"/> as one convolution with folded weights.</summary>
    /// <param name="input">The input, [N, Cin, H, W].</param>
    /// <param name="reluInput">Whether to convolve max(input, 0) instead (a ReLU → Conv → BN block in one kernel: the ReLU is applied
    /// as the convolution reads its input, with no separate pass and no intermediate tensor).</param>
    /// <returns>The output; the caller disposes it.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="input"/> is null.</exception>
    /// <exception cref="InvalidOperationException"><see cref="IsApplicable"/> is false (the message says why).</exception>
    public Tensor Forward(Tensor input, bool reluInput = false)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!IsApplicable)
        {
            ThrowHelper.ThrowInvalidOperation(NotApplicableReason());
        }

        Refresh();
        var c = Convolution;
        return reluInput
            ? Functional.Conv2dOfRelu(input, _weight!, _bias, c.Stride, c.Padding, c.Dilation, c.Groups)
            : Functional.Conv2d(input, _weight!, _bias, c.Stride, c.Padding, c.Dilation, c.Groups);
    }

    /// <summary>Releases the folded weights.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _weight?.Dispose();
        _bias?.Dispose();
        _weight = _bias = null;
    }

    private string NotApplicableReason() =>
        _disposed ? "The folding was disposed."
        : Convolution.IsTraining || BatchNorm.IsTraining ? "Folding a batch norm into its convolution needs both modules in evaluation mode (call Eval())."
        : BatchNorm.RunningMean is null || BatchNorm.RunningVar is null ? "The batch norm has no running statistics (trackRunningStats: false), so evaluation normalises with batch statistics and cannot be folded."
        : GradMode.IsEnabled ? "Folding is for inference: run it under Autograd.NoGrad() (the folded weights carry no gradient to the original parameters)."
        : BackendProvider.IsTracing ? "An execution trace is being recorded; it records the model's own operations, so nothing is folded."
        : "The convolution or the batch norm has forward hooks, which the folded path would skip.";

    /// <summary>Recomputes the folded weight and bias when any source tensor changed since the last fold.</summary>
    private void Refresh()
    {
        var c = Convolution;
        var bn = BatchNorm;
        ReadOnlySpan<Tensor?> sources = [c.Weight, c.Bias, bn.RunningMean, bn.RunningVar, bn.Weight, bn.Bias];
        var stale = _weight is null;
        for (var i = 0; i < sources.Length; i++)
        {
            var t = sources[i];
            object? storage = t?.Storage;
            var version = t?.Version ?? 0;
            if (!ReferenceEquals(_seenTensors[i], t) || !ReferenceEquals(_seenStorages[i], storage) || _seenVersions[i] != version)
            {
                _seenTensors[i] = t;
                _seenStorages[i] = storage;
                _seenVersions[i] = version;
                stale = true;
            }
        }

        if (!stale)
        {
            return;
        }

        var channels = c.OutChannels;
        var weight = c.Weight.ToArray();
        var perChannel = weight.Length / channels;
        var convBias = c.Bias?.ToArray();
        var mean = bn.RunningMean!.ToArray();
        var variance = bn.RunningVar!.ToArray();
        var gamma = bn.Weight?.ToArray();
        var beta = bn.Bias?.ToArray();
        var bias = new float[channels];
        for (var o = 0; o < channels; o++)
        {
            var scale = (gamma?[o] ?? 1.0) / Math.Sqrt(variance[o] + bn.Eps);
            bias[o] = (float)((((convBias?[o] ?? 0.0) - mean[o]) * scale) + (beta?[o] ?? 0.0));
            var row = weight.AsSpan(o * perChannel, perChannel);
            for (var k = 0; k < row.Length; k++)
            {
                row[k] = (float)(row[k] * scale);
            }
        }

        if (_weight is null)
        {
            // A parameter that takes no gradient: the backend may keep its packed layout until the next refold bumps its version.
            using (var folded = Tensor.FromArray(weight, c.Weight.ShapeSpan))
            {
                _weight = new Parameter(folded, requiresGrad: false);
            }

            _bias = Tensor.FromArray(bias, channels);
            TensorScope.Release(_bias);
        }
        else
        {
            _weight.CopyFrom(weight);
            _bias!.CopyFrom(bias);
        }
    }
}
