using NasKit.Tensors.Internal;
using NasKit.Tensors.Internal.Autograd;

namespace NasKit.Tensors.NN;

public static partial class Functional
{
    /// <summary>
    /// Computes batch normalisation over the channel dimension (dimension 1) of [N, C], [N, C, L] or [N, C, H, W] inputs.
    /// In training mode it normalises with the batch statistics (biased variance) and, when running statistics are given,
    /// updates them in place with <paramref name="momentum"/> (unbiased variance), as PyTorch does. Otherwise it uses the running statistics.
    /// </summary>
    /// <param name="input">The input.</param>
    /// <param name="runningMean">The running mean, [C], or null.</param>
    /// <param name="runningVar">The running variance, [C], or null.</param>
    /// <param name="weight">The optional scale γ, [C].</param>
    /// <param name="bias">The optional shift β, [C].</param>
    /// <param name="training">Whether to use batch statistics.</param>
    /// <param name="momentum">The running-statistics update factor.</param>
    /// <param name="eps">Added to the variance for stability.</param>
    /// <returns>The normalised output.</returns>
    /// <exception cref="ArgumentException">The shapes do not agree, or evaluation mode has no running statistics.</exception>
    /// <exception cref="InvalidOperationException">Training mode sees a single value per channel.</exception>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null,
        bool training = false, float momentum = 0.1f, float eps = 1e-5f) =>
        BatchNormCore(input, runningMean, runningVar, weight, bias, training, momentum, eps, relu: false);

    /// <summary>
    /// Computes <c>Relu(BatchNorm(...))</c> with the arguments of <see cref="BatchNorm"/>, in the passes of batch norm alone: the
    /// ReLU is applied as the normalised values are written, and its gradient is taken inside batch norm's backward pass (masked
    /// by the saved output). Results equal the two operations run one after the other.
    /// </summary>
    internal static Tensor BatchNormRelu(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias,
        bool training, float momentum, float eps) =>
        BatchNormCore(input, runningMean, runningVar, weight, bias, training, momentum, eps, relu: true);

    private static Tensor BatchNormCore(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight, Tensor? bias,
        bool training, float momentum, float eps, bool relu)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Rank < 2)
        {
            ThrowHelper.ThrowArgument($"BatchNorm expects an input of shape [N, C, ...], but got {ThrowHelper.FormatShape(input.ShapeSpan)}.", nameof(input));
        }

        var s = input.ShapeSpan;
        int n = s[0], c = s[1];
        var plane = 1;
        for (var i = 2; i < s.Length; i++)
        {
            plane *= s[i];
        }

        CheckChannelVector(runningMean, c, nameof(runningMean));
        CheckChannelVector(runningVar, c, nameof(runningVar));
        CheckChannelVector(weight, c, nameof(weight));
        CheckChannelVector(bias, c, nameof(bias));
        if (!training && (runningMean is null || runningVar is null))
        {
            ThrowHelper.ThrowArgument("BatchNorm in evaluation mode needs running statistics; pass training: true to normalise with batch statistics.");
        }

        if (training && (long)n * plane <= 1)
        {
            ThrowHelper.ThrowInvalidOperation($"BatchNorm in training mode needs more than one value per channel, but got input of shape {ThrowHelper.FormatShape(s)}.");
        }

        var result = Tensor.CreateUninitialized(input.Shape);
        var mean = Tensor.CreateUninitialized([c]);
        var invStd = Tensor.CreateUninitialized([c]);
        // The kernels index weight and bias densely: a strided view (e.g. every other element) must be copied first.
        using (var xc = input.AsContiguous())
        using (var wc = weight is null ? default : weight.AsContiguous())
        using (var bc = bias is null ? default : bias.AsContiguous())
        {
            var (wk, bk) = (weight is null ? null : wc.Tensor, bias is null ? null : bc.Tensor);
            if (training)
            {
                result.Backend.BatchNormTrainForward(n, c, plane, xc.Tensor, wk, bk, runningMean, runningVar, momentum, eps, result, mean, invStd, relu);
                runningMean?.BumpVersion();
                runningVar?.BumpVersion();
            }
            else
            {
                runningMean!.Backend.Copy(runningMean, runningMean.StridesArray, mean);
                using (var v = runningVar!.AffineKernel(1f, eps))
                {
                    v.Backend.Unary(Internal.Backends.UnaryOp.Rsqrt, v, invStd, 0f, 0f);
                }

                result.Backend.BatchNormApply(n, c, plane, xc.Tensor, mean, invStd, wk, bk, result, relu);
            }
        }

        if (GradRecorder.Needs(input, weight, bias))
        {
            var (ri, rw, rb) = (input.RequiresGrad, weight?.RequiresGrad ?? false, bias?.RequiresGrad ?? false);
            var reluOutput = relu ? result : null;
            GradRecorder.Record(result, relu ? "BatchNormReluBackward" : "BatchNormBackward", [input, weight, bias], g =>
            {
                using var gc = g.AsContiguous();
                using var xc = input.AsContiguous();
                using var wc = weight is null ? default : weight.AsContiguous();
                var gi = ri ? Tensor.CreateUninitialized(input.Shape) : null;
                var gw = rw ? Tensor.CreateUninitialized([c]) : null;
                var gb = rb ? Tensor.CreateUninitialized([c]) : null;
                input.Backend.BatchNormBackward(n, c, plane, gc.Tensor, xc.Tensor, mean, invStd, weight is null ? null : wc.Tensor, training, gi, gw, gb, reluOutput);
                return [gi, gw, gb];
            }, input, mean, invStd, weight, reluOutput);
        }
        else
        {
            mean.Dispose();
            invStd.Dispose();
        }

        return result;
    }

    /// <summary>Computes layer normalisation over the trailing <paramref name="normalizedShape"/> dimensions (biased variance).</summary>
    /// <param name="input">The input, [..., *normalizedShape].</param>
    /// <param name="normalizedShape">The trailing shape to normalise over.</param>
    /// <param name="weight">The optional element-wise scale, of <paramref name="normalizedShape"/>.</param>
    /// <param name="bias">The optional element-wise shift, of <paramref name="normalizedShape"/>.</param>
    /// <param name="eps">Added to the variance for stability.</param>
    /// <returns>The normalised output.</returns>
    public static Tensor LayerNorm(Tensor input, int[] normalizedShape, Tensor? weight = null, Tensor? bias = null, float eps = 1e-5f)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(normalizedShape);
        var s = input.ShapeSpan;
        if (normalizedShape.Length == 0 || normalizedShape.Length > s.Length || !s[^normalizedShape.Length..].SequenceEqual(normalizedShape))
        {
            ThrowHelper.ThrowArgument($"LayerNorm over {ThrowHelper.FormatShape(normalizedShape)} needs an input whose trailing dimensions match, but got {ThrowHelper.FormatShape(s)}.", nameof(normalizedShape));
        }

        foreach (var (t, name) in new[] { (weight, nameof(weight)), (bias, nameof(bias)) })
        {
            if (t is not null && !t.ShapeSpan.SequenceEqual(normalizedShape))
            {
                ThrowHelper.ThrowArgument($"LayerNorm {name} must have shape {ThrowHelper.FormatShape(normalizedShape)}, but got {ThrowHelper.FormatShape(t.ShapeSpan)}.", name);
            }
        }

        var inner = 1;
        foreach (var d in normalizedShape)
        {
            inner *= d;
        }

        var outer = inner == 0 ? 0 : input.NumberOfElements / inner;
        var result = Tensor.CreateUninitialized(input.Shape);
        var mean = Tensor.CreateUninitialized([outer]);
        var invStd = Tensor.CreateUninitialized([outer]);
        using (var xc = input.AsContiguous())
        using (var wc = weight is null ? default : weight.AsContiguous())
        using (var bc = bias is null ? default : bias.AsContiguous())
        {
            if (outer > 0 && inner > 0)
            {
                result.Backend.LayerNormForward(outer, inner, xc.Tensor, weight is null ? null : wc.Tensor, bias is null ? null : bc.Tensor, eps, result, mean, invStd);
            }
        }

        if (GradRecorder.Needs(input, weight, bias))
        {
            var (ri, rw, rb) = (input.RequiresGrad, weight?.RequiresGrad ?? false, bias?.RequiresGrad ?? false);
            GradRecorder.Record(result, "LayerNormBackward", [input, weight, bias], g =>
            {
                using var gc = g.AsContiguous();
                using var xc = input.AsContiguous();
                using var wc = weight is null ? default : weight.AsContiguous();
                var gi = ri ? Tensor.CreateUninitialized(input.Shape) : null;
                var gw = rw ? Tensor.CreateUninitialized(weight!.Shape) : null;
                var gb = rb ? Tensor.CreateUninitialized(bias!.Shape) : null;
                input.Backend.LayerNormBackward(outer, inner, gc.Tensor, xc.Tensor, mean, invStd, weight is null ? null : wc.Tensor, gi, gw, gb);
                return [gi, gw, gb];
            }, input, mean, invStd, weight);
        }
        else
        {
            mean.Dispose();
            invStd.Dispose();
        }

        return result;
    }

    /// <summary>Zeroes each element with probability <paramref name="p"/> and scales the rest by 1/(1 − p) in training mode; the identity otherwise.</summary>
    /// <param name="input">The input.</param>
    /// <param name="p">The drop probability, in [0, 1].</param>
    /// <param name="training">Whether dropout is active.</param>
    /// <param name="generator">The generator for the mask; <see cref="Generator.Default"/> when null.</param>
    /// <returns>The output.</returns>
    public static Tensor Dropout(Tensor input, float p = 0.5f, bool training = true, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!(p >= 0f && p <= 1f))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(p), p, $"The dropout probability must be in [0, 1], but got {p}.");
        }

        if (!training || p == 0f)
        {
            return input.Mul(1f);
        }

        var mask = Tensor.CreateUninitialized(input.Shape);
        mask.Backend.FillBernoulli(mask, 1f - p, p == 1f ? 0f : 1f / (1f - p), generator ?? Generator.Default);
        var result = input.Mul(mask);
        if (!result.RequiresGrad)
        {
            mask.Dispose(); // otherwise the backward pass still needs it
        }

        return result;
    }

    private static void CheckChannelVector(Tensor? t, int channels, string name)
    {
        if (t is not null && (t.Rank != 1 || t.ShapeSpan[0] != channels))
        {
            ThrowHelper.ThrowArgument($"BatchNorm {name} must have shape [{channels}], but got {ThrowHelper.FormatShape(t.ShapeSpan)}.", name);
        }
    }
}
