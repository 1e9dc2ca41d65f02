using NasKit.Tensors.Internal;
using NasKit.Tensors.Internal.Autograd;
using NasKit.Tensors.Internal.Backends;

namespace NasKit.Tensors.NN;

public static partial class Functional
{
    /// <summary>Computes 2-D max pooling (NaN propagates).</summary>
    /// <param name="input">The input, [N, C, H, W] or [C, H, W].</param>
    /// <param name="kernelSize">The window size.</param>
    /// <param name="stride">The stride; defaults to the window size.</param>
    /// <param name="padding">The implicit −∞ padding on each side; at most half the window.</param>
    /// <param name="dilation">The spacing between window taps.</param>
    /// <param name="ceilMode">Whether to use ceiling instead of floor for the output size.</param>
    /// <returns>The pooled output.</returns>
    public static Tensor MaxPool2d(Tensor input, int kernelSize, int? stride = null, int padding = 0, int dilation = 1, bool ceilMode = false) =>
        MaxPool2d(input, (kernelSize, kernelSize), stride is null ? null : (stride.Value, stride.Value), (padding, padding), (dilation, dilation), ceilMode);

    /// <summary>Computes 2-D max pooling with per-axis parameters.</summary>
    /// <param name="input">The input, [N, C, H, W] or [C, H, W].</param>
    /// <param name="kernelSize">The window size.</param>
    /// <param name="stride">The stride; defaults to the window size.</param>
    /// <param name="padding">The implicit −∞ padding.</param>
    /// <param name="dilation">The dilation.</param>
    /// <param name="ceilMode">Whether to use ceiling for the output size.</param>
    /// <returns>The pooled output.</returns>
    public static Tensor MaxPool2d(Tensor input, (int H, int W) kernelSize, (int H, int W)? stride, (int H, int W) padding, (int H, int W) dilation, bool ceilMode = false)
    {
        var (geo, outShape, _) = PoolGeometry(input, "MaxPool2d", kernelSize, stride ?? kernelSize, padding, dilation, ceilMode);
        CheckIndexablePlane("MaxPool2d", geo.InHeight, geo.InWidth);
        var result = Tensor.CreateUninitialized(outShape);
        var indices = Tensor.CreateUninitialized((int[])outShape.Clone()); // in-plane positions of the maxima, for the backward pass
        using (var xc = input.AsContiguous())
        {
            if (result.NumberOfElements > 0)
            {
                result.Backend.MaxPool2dForward(geo, xc.Tensor, result, indices);
            }
        }

        if (GradRecorder.Needs(input))
        {
            GradRecorder.Record(result, "MaxPool2dBackward", input, g =>
            {
                using var gc = g.AsContiguous();
                var gi = Tensor.CreateUninitialized(input.Shape);
                gi.Backend.MaxPool2dBackward(geo, gc.Tensor, indices, gi);
                return gi;
            }, indices);
        }

        indices.Dispose(); // deferred until the backward pass is done with it, when one was recorded
        return result;
    }

    /// <summary>Computes 2-D average pooling.</summary>
    /// <param name="input">The input, [N, C, H, W] or [C, H, W].</param>
    /// <param name="kernelSize">The window size.</param>
    /// <param name="stride">The stride; defaults to the window size.</param>
    /// <param name="padding">The implicit zero padding; at most half the window.</param>
    /// <param name="ceilMode">Whether to use ceiling for the output size.</param>
    /// <param name="countIncludePad">Whether padded zeros count in the average (PyTorch's default true; NAS-Bench-201 uses false).</param>
    /// <param name="divisorOverride">A fixed divisor, when given.</param>
    /// <returns>The pooled output.</returns>
    public static Tensor AvgPool2d(Tensor input, int kernelSize, int? stride = null, int padding = 0, bool ceilMode = false, bool countIncludePad = true, int? divisorOverride = null) =>
        AvgPool2d(input, (kernelSize, kernelSize), stride is null ? null : (stride.Value, stride.Value), (padding, padding), ceilMode, countIncludePad, divisorOverride);

    /// <summary>Computes 2-D average pooling with per-axis parameters.</summary>
    /// <param name="input">The input.</param>
    /// <param name="kernelSize">The window size.</param>
    /// <param name="stride">The stride; defaults to the window size.</param>
    /// <param name="padding">The implicit zero padding.</param>
    /// <param name="ceilMode">Whether to use ceiling for the output size.</param>
    /// <param name="countIncludePad">Whether padded zeros count in the average.</param>
    /// <param name="divisorOverride">A fixed divisor, when given.</param>
    /// <returns>The pooled output.</returns>
    public static Tensor AvgPool2d(Tensor input, (int H, int W) kernelSize, (int H, int W)? stride, (int H, int W) padding, bool ceilMode = false, bool countIncludePad = true, int? divisorOverride = null)
    {
        if (divisorOverride is <= 0)
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(divisorOverride), divisorOverride, "The divisor override must be positive.");
        }

        var (geo, outShape, _) = PoolGeometry(input, "AvgPool2d", kernelSize, stride ?? kernelSize, padding, (1, 1), ceilMode);
        var div = divisorOverride ?? 0;
        var result = Tensor.CreateUninitialized(outShape);
        using (var xc = input.AsContiguous())
        {
            if (result.NumberOfElements > 0)
            {
                result.Backend.AvgPool2dForward(geo, xc.Tensor, result, countIncludePad, div);
            }
        }

        if (GradRecorder.Needs(input))
        {
            GradRecorder.Record(result, "AvgPool2dBackward", input, g =>
            {
                using var gc = g.AsContiguous();
                var gi = Tensor.CreateUninitialized(input.Shape);
                gi.Backend.AvgPool2dBackward(geo, gc.Tensor, gi, countIncludePad, div);
                return gi;
            });
        }

        return result;
    }

    /// <summary>Computes adaptive average pooling to a fixed output size (PyTorch's bin boundaries: floor(i·H/out) to ceil((i+1)·H/out)).</summary>
    /// <param name="input">The input, [N, C, H, W] or [C, H, W].</param>
    /// <param name="outputSize">The output (height, width).</param>
    /// <returns>The pooled output.</returns>
    public static Tensor AdaptiveAvgPool2d(Tensor input, (int H, int W) outputSize)
    {
        var (planes, h, w, outShape) = AdaptiveGeometry(input, "AdaptiveAvgPool2d", outputSize);
        var result = Tensor.CreateUninitialized(outShape);
        using (var xc = input.AsContiguous())
        {
            if (result.NumberOfElements > 0)
            {
                result.Backend.AdaptiveAvgPool2dForward(planes, h, w, outputSize.H, outputSize.W, xc.Tensor, result);
            }
        }

        if (GradRecorder.Needs(input))
        {
            GradRecorder.Record(result, "AdaptiveAvgPool2dBackward", input, g =>
            {
                using var gc = g.AsContiguous();
                var gi = Tensor.CreateUninitialized(input.Shape);
                gi.Backend.AdaptiveAvgPool2dBackward(planes, h, w, outputSize.H, outputSize.W, gc.Tensor, gi);
                return gi;
            });
        }

        return result;
    }

    /// <summary>Computes adaptive average pooling to a square output size.</summary>
    /// <param name="input">The input.</param>
    /// <param name="outputSize">The output side.</param>
    /// <returns>The pooled output.</returns>
    public static Tensor AdaptiveAvgPool2d(Tensor input, int outputSize) => AdaptiveAvgPool2d(input, (outputSize, outputSize));

    /// <summary>Computes adaptive max pooling to a fixed output size.</summary>
    /// <param name="input">The input, [N, C, H, W] or [C, H, W].</param>
    /// <param name="outputSize">The output (height, width).</param>
    /// <returns>The pooled output.</returns>
    public static Tensor AdaptiveMaxPool2d(Tensor input, (int H, int W) outputSize)
    {
        var (planes, h, w, outShape) = AdaptiveGeometry(input, "AdaptiveMaxPool2d", outputSize);
        CheckIndexablePlane("AdaptiveMaxPool2d", h, w);
        var result = Tensor.CreateUninitialized(outShape);
        var indices = Tensor.CreateUninitialized((int[])outShape.Clone());
        using (var xc = input.AsContiguous())
        {
            if (result.NumberOfElements > 0)
            {
                result.Backend.AdaptiveMaxPool2dForward(planes, h, w, outputSize.H, outputSize.W, xc.Tensor, result, indices);
            }
        }

        if (GradRecorder.Needs(input))
        {
            // Max pooling's backward scatters through the recorded in-plane positions; the window shape is irrelevant.
            var geo = new Pool2dGeometry(planes, h, w, outputSize.H, outputSize.W, 1, 1, 1, 1, 0, 0);
            GradRecorder.Record(result, "AdaptiveMaxPool2dBackward", input, g =>
            {
                using var gc = g.AsContiguous();
                var gi = Tensor.CreateUninitialized(input.Shape);
                gi.Backend.MaxPool2dBackward(geo, gc.Tensor, indices, gi);
                return gi;
            }, indices);
        }

        indices.Dispose();
        return result;
    }

    /// <summary>Averages each channel over its spatial positions: [N, C, H, W] → [N, C].</summary>
    /// <param name="input">The input.</param>
    /// <returns>The pooled features.</returns>
    public static Tensor GlobalAvgPool2d(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckRank(input, "GlobalAvgPool2d", 4);
        using var pooled = AdaptiveAvgPool2d(input, (1, 1));
        return pooled.Flatten(1);
    }

    private static (Pool2dGeometry Geometry, int[] OutShape, bool Batched) PoolGeometry(
        Tensor input, string op, (int H, int W) kernel, (int H, int W) stride, (int H, int W) padding, (int H, int W) dilation, bool ceilMode)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckRank(input, op, 3, 4);
        if (kernel.H <= 0 || kernel.W <= 0 || stride.H <= 0 || stride.W <= 0 || dilation.H <= 0 || dilation.W <= 0 || padding.H < 0 || padding.W < 0)
        {
            ThrowHelper.ThrowArgument($"{op} needs positive kernel size, stride and dilation and non-negative padding, but got kernel={kernel}, stride={stride}, padding={padding}, dilation={dilation}.");
        }

        if (padding.H * 2 > kernel.H || padding.W * 2 > kernel.W)
        {
            ThrowHelper.ThrowArgument($"{op} padding {padding} must be at most half of the kernel size {kernel}.");
        }

        var s = input.ShapeSpan;
        var batched = input.Rank == 4;
        int planes = batched ? s[0] * s[1] : s[0], h = s[^2], w = s[^1];
        var outH = PoolOutputSize(h, kernel.H, stride.H, padding.H, dilation.H, ceilMode);
        var outW = PoolOutputSize(w, kernel.W, stride.W, padding.W, dilation.W, ceilMode);
        if (outH <= 0 || outW <= 0)
        {
            ThrowHelper.ThrowArgument($"{op} with kernel {kernel} on an input of spatial size {h}x{w} (padding {padding}) gives an empty output ({outH}x{outW}).", nameof(input));
        }

        int[] outShape = batched ? [s[0], s[1], outH, outW] : [s[0], outH, outW];
        return (new Pool2dGeometry(planes, h, w, outH, outW, kernel.H, kernel.W, stride.H, stride.W, padding.H, padding.W, dilation.H, dilation.W), outShape, batched);
    }

    /// <summary>Max pooling records the in-plane position of each maximum as a float, which is exact up to 2^24.</summary>
    private static void CheckIndexablePlane(string op, int h, int w)
    {
        if ((long)h * w > MaxIndexablePlane)
        {
            ThrowHelper.ThrowArgument($"{op} supports spatial planes of at most {MaxIndexablePlane} elements, but the input plane is {h}x{w}.", "input");
        }
    }

    private const int MaxIndexablePlane = 1 << 24;

    /// <summary>PyTorch's pooling output size, including the rule that the last window must start inside the input or the left padding.</summary>
    private static int PoolOutputSize(int input, int kernel, int stride, int pad, int dilation, bool ceilMode)
    {
        var numerator = input + (2 * pad) - (dilation * (kernel - 1)) - 1 + (ceilMode ? stride - 1 : 0);
        var output = (int)Math.Floor((double)numerator / stride) + 1;
        if (ceilMode && (output - 1) * stride >= input + pad)
        {
            output--;
        }

        return output;
    }

    private static (int Planes, int H, int W, int[] OutShape) AdaptiveGeometry(Tensor input, string op, (int H, int W) outputSize)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckRank(input, op, 3, 4);
        if (outputSize.H <= 0 || outputSize.W <= 0)
        {
            ThrowHelper.ThrowArgument($"{op} needs a positive output size, but got {outputSize}.", nameof(outputSize));
        }

        var s = input.ShapeSpan;
        var batched = input.Rank == 4;
        if (s[^1] == 0 || s[^2] == 0)
        {
            ThrowHelper.ThrowArgument($"{op} needs a non-empty spatial input, but got {ThrowHelper.FormatShape(s)}.", nameof(input));
        }

        int[] outShape = batched ? [s[0], s[1], outputSize.H, outputSize.W] : [s[0], outputSize.H, outputSize.W];
        return (batched ? s[0] * s[1] : s[0], s[^2], s[^1], outShape);
    }
}
