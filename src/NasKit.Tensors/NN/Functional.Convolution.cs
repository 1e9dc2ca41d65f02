using NasKit.Tensors.Internal;
using NasKit.Tensors.Internal.Autograd;
using NasKit.Tensors.Internal.Backends;

namespace NasKit.Tensors.NN;

public static partial class Functional
{
    /// <summary>Computes a 2-D convolution (cross-correlation, as PyTorch) with square stride, padding and dilation.</summary>
    /// <param name="input">The input, [N, Cin, H, W] or [Cin, H, W].</param>
    /// <param name="weight">The filters, [Cout, Cin/groups, kh, kw].</param>
    /// <param name="bias">The optional bias, [Cout].</param>
    /// <param name="stride">The stride.</param>
    /// <param name="padding">The zero padding on each side.</param>
    /// <param name="dilation">The spacing between kernel taps.</param>
    /// <param name="groups">The number of groups (Cin for a depthwise convolution).</param>
    /// <returns>The output, [N, Cout, Hout, Wout].</returns>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias = null, int stride = 1, int padding = 0, int dilation = 1, int groups = 1) =>
        Conv2d(input, weight, bias, Pair(stride, nameof(stride)), Pair(padding, nameof(padding)), Pair(dilation, nameof(dilation)), groups);

    /// <summary>Computes a 2-D convolution with per-axis stride, padding and dilation.</summary>
    /// <param name="input">The input, [N, Cin, H, W] or [Cin, H, W].</param>
    /// <param name="weight">The filters, [Cout, Cin/groups, kh, kw].</param>
    /// <param name="bias">The optional bias, [Cout].</param>
    /// <param name="stride">The (vertical, horizontal) stride.</param>
    /// <param name="padding">The (vertical, horizontal) zero padding.</param>
    /// <param name="dilation">The (vertical, horizontal) dilation.</param>
    /// <param name="groups">The number of groups.</param>
    /// <returns>The output.</returns>
    /// <exception cref="ArgumentException">The shapes or hyper-parameters do not agree.</exception>
    public static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, (int H, int W) stride, (int H, int W) padding, (int H, int W) dilation, int groups = 1) =>
        Conv2d(input, weight, bias, stride, padding, dilation, groups, reluInput: false);

    /// <summary>
    /// Computes conv(max(input, 0)) in one kernel: the ReLU is applied as the kernel reads its input, so no rectified tensor is made
    /// or kept. The gradient is that of the two-step computation: the weight gradient reads max(input, 0) the same way, and the
    /// input gradient is the convolution's, kept where input &gt; 0 (zero elsewhere, as the ReLU's backward).
    /// </summary>
    internal static Tensor Conv2dOfRelu(Tensor input, Tensor weight, Tensor? bias, (int H, int W) stride, (int H, int W) padding, (int H, int W) dilation, int groups) =>
        Conv2d(input, weight, bias, stride, padding, dilation, groups, reluInput: true);

    private static Tensor Conv2d(Tensor input, Tensor weight, Tensor? bias, (int H, int W) stride, (int H, int W) padding, (int H, int W) dilation, int groups, bool reluInput)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        CheckRank(input, "Conv2d", 3, 4);
        if (input.Rank == 3)
        {
            using var batched = input.Unsqueeze(0);
            using var y = Conv2d(batched, weight, bias, stride, padding, dilation, groups, reluInput);
            return y.Squeeze(0);
        }

        if (weight.Rank != 4)
        {
            ThrowHelper.ThrowArgument($"Conv2d expects a weight of shape [Cout, Cin/groups, kh, kw], but got {ThrowHelper.FormatShape(weight.ShapeSpan)}.", nameof(weight));
        }

        if (stride.H <= 0 || stride.W <= 0 || dilation.H <= 0 || dilation.W <= 0 || padding.H < 0 || padding.W < 0 || groups <= 0)
        {
            ThrowHelper.ThrowArgument($"Conv2d needs positive stride, dilation and groups and non-negative padding, but got stride={stride}, padding={padding}, dilation={dilation}, groups={groups}.");
        }

        var x = input.ShapeSpan;
        var w = weight.ShapeSpan;
        int n = x[0], cin = x[1], h = x[2], wd = x[3], cout = w[0], kh = w[2], kw = w[3];
        if (cin % groups != 0 || cout % groups != 0 || w[1] * groups != cin)
        {
            ThrowHelper.ThrowArgument(
                $"Conv2d with groups={groups} and weight {ThrowHelper.FormatShape(w)} expects {w[1] * groups} input channels (divisible by groups, as are the {cout} output channels), but the input {ThrowHelper.FormatShape(x)} has {cin}.");
        }

        if (bias is not null && (bias.Rank != 1 || bias.ShapeSpan[0] != cout))
        {
            ThrowHelper.ThrowArgument($"Conv2d expects a bias of shape [{cout}], but got {ThrowHelper.FormatShape(bias.ShapeSpan)}.", nameof(bias));
        }

        var outH = ((h + (2 * padding.H) - (dilation.H * (kh - 1)) - 1) / stride.H) + 1;
        var outW = ((wd + (2 * padding.W) - (dilation.W * (kw - 1)) - 1) / stride.W) + 1;
        if (outH <= 0 || outW <= 0 || h + (2 * padding.H) < (dilation.H * (kh - 1)) + 1 || wd + (2 * padding.W) < (dilation.W * (kw - 1)) + 1)
        {
            ThrowHelper.ThrowArgument(
                $"Conv2d input of spatial size {h}x{wd} with padding {padding} is smaller than the dilated kernel {(dilation.H * (kh - 1)) + 1}x{(dilation.W * (kw - 1)) + 1}.", nameof(input));
        }

        var geo = new Conv2dGeometry(n, cin, h, wd, cout, outH, outW, kh, kw, stride.H, stride.W, padding.H, padding.W, dilation.H, dilation.W, groups)
        {
            ReluInput = reluInput,
            StableWeights = weight is Parameter && !GradRecorder.Needs(weight),
        };
        var result = Tensor.CreateUninitialized([n, cout, outH, outW]);
        using (var xc = input.AsContiguous())
        using (var wc = weight.AsContiguous())
        using (var bc = bias is null ? default : bias.AsContiguous())
        {
            if (result.NumberOfElements > 0)
            {
                result.Backend.Conv2dForward(geo, xc.Tensor, wc.Tensor, bias is null ? null : bc.Tensor, result);
            }
        }

        if (GradRecorder.Needs(input, weight, bias))
        {
            var (requiresInput, requiresWeight, requiresBias) = (input.RequiresGrad, weight.RequiresGrad, bias?.RequiresGrad ?? false);
            GradRecorder.Record(result, "Conv2dBackward", [input, weight, bias], g =>
            {
                // Autograd.Grad for some inputs only (say architecture parameters) skips the other gradients' kernels.
                var ri = requiresInput && GradRecorder.NeedsInputGradient(0);
                var rw = requiresWeight && GradRecorder.NeedsInputGradient(1);
                var rb = requiresBias && GradRecorder.NeedsInputGradient(2);
                using var gc = g.AsContiguous();
                Tensor? gi = null, gw = null, gb = null;
                if (ri)
                {
                    using var wc = weight.AsContiguous();
                    using var xc = reluInput ? input.AsContiguous() : default;
                    gi = Tensor.CreateUninitialized(input.Shape);

                    // Through a fused ReLU the gradient is kept where the input is positive (the kernel's output stage applies it).
                    gi.Backend.Conv2dBackwardInput(geo, gc.Tensor, wc.Tensor, gi, reluInput ? xc.Tensor : null);
                }

                if (rw || rb)
                {
                    using var xc = input.AsContiguous();
                    var dw = Tensor.CreateUninitialized(weight.Shape);
                    var db = rb ? Tensor.CreateUninitialized([cout]) : null;
                    dw.Backend.Conv2dBackwardWeight(geo, gc.Tensor, xc.Tensor, dw, db);
                    if (rw)
                    {
                        gw = dw;
                    }
                    else
                    {
                        dw.Dispose();
                    }

                    gb = db;
                }

                return [gi, gw, gb];
            }, input, weight);
        }

        return result;
    }
}
