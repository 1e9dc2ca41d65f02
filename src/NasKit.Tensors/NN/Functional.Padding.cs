using NasKit.Tensors.Internal;
using NasKit.Tensors.Internal.Autograd;

namespace NasKit.Tensors.NN;

public static partial class Functional
{
    /// <summary>
    /// Pads the trailing dimensions of <paramref name="input"/>. <paramref name="pads"/> lists (before, after) pairs starting
    /// from the last dimension, as PyTorch's <c>pad</c>: (left, right) pads the last dimension, (left, right, top, bottom) the
    /// last two. Negative amounts crop. Constant padding works on any number of dimensions; reflect, replicate and circular
    /// on the last one or two.
    /// </summary>
    /// <param name="input">The input.</param>
    /// <param name="pads">Pairs of amounts, innermost dimension first.</param>
    /// <param name="mode">How to fill the border.</param>
    /// <param name="value">The fill value in <see cref="PaddingMode.Constant"/> mode.</param>
    /// <returns>The padded tensor.</returns>
    /// <exception cref="ArgumentException">The pads are malformed or too large for the mode.</exception>
    public static Tensor Pad(Tensor input, int[] pads, PaddingMode mode = PaddingMode.Constant, float value = 0f)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(pads);
        if (pads.Length % 2 != 0 || pads.Length / 2 > input.Rank)
        {
            ThrowHelper.ThrowArgument($"Pad needs (before, after) pairs for at most {input.Rank} dimensions, but got [{string.Join(", ", pads)}].", nameof(pads));
        }

        var dims = pads.Length / 2;
        var outShape = input.Shape;
        for (var k = 0; k < dims; k++)
        {
            var d = input.Rank - 1 - k;
            outShape[d] += pads[2 * k] + pads[(2 * k) + 1];
            if (outShape[d] < 0)
            {
                ThrowHelper.ThrowArgument($"Padding [{string.Join(", ", pads)}] crops dimension {d} of {ThrowHelper.FormatShape(input.ShapeSpan)} below zero.", nameof(pads));
            }
        }

        if (mode == PaddingMode.Constant)
        {
            return ConstantPad(input, pads, value, outShape);
        }

        if (dims is < 1 or > 2)
        {
            ThrowHelper.ThrowArgument($"{mode} padding works on the last one or two dimensions, but {dims} pairs were given.", nameof(pads));
        }

        var s = input.ShapeSpan;
        int h = dims == 2 ? s[^2] : 1, w = s[^1];
        int left = pads[0], right = pads[1], top = dims == 2 ? pads[2] : 0, bottom = dims == 2 ? pads[3] : 0;
        if (mode == PaddingMode.Reflect && (left >= w || right >= w || top >= h || bottom >= h) && !(h == 1 && top == 0 && bottom == 0 && left < w && right < w))
        {
            ThrowHelper.ThrowArgument($"Reflect padding [{string.Join(", ", pads)}] must be smaller than the padded dimensions of {ThrowHelper.FormatShape(s)}.", nameof(pads));
        }

        if (mode == PaddingMode.Circular && (left > w || right > w || top > h || bottom > h))
        {
            ThrowHelper.ThrowArgument($"Circular padding [{string.Join(", ", pads)}] must not exceed the padded dimensions of {ThrowHelper.FormatShape(s)}.", nameof(pads));
        }

        if (left < 0 || right < 0 || top < 0 || bottom < 0)
        {
            ThrowHelper.ThrowArgument($"{mode} padding does not crop; got [{string.Join(", ", pads)}].", nameof(pads));
        }

        var planes = h * w == 0 ? 0 : input.NumberOfElements / (h * w);
        var result = Tensor.CreateUninitialized(outShape);
        using (var xc = input.AsContiguous())
        {
            if (result.NumberOfElements > 0)
            {
                result.Backend.Pad2d(mode, planes, h, w, left, right, top, bottom, xc.Tensor, value, result);
            }
        }

        if (GradRecorder.Needs(input))
        {
            GradRecorder.Record(result, "PadBackward", input, g =>
            {
                using var gc = g.AsContiguous();
                var gi = Tensor.CreateUninitialized(input.Shape);
                gi.Backend.Pad2dBackward(mode, planes, h, w, left, right, top, bottom, gc.Tensor, gi);
                return gi;
            });
        }

        return result;
    }

    private static Tensor ConstantPad(Tensor input, int[] pads, float value, int[] outShape)
    {
        // Crop first (negative pads), then place the cropped input inside a filled output.
        var source = input;
        var owned = new List<Tensor>();
        var dims = pads.Length / 2;
        for (var k = 0; k < dims; k++)
        {
            var d = input.Rank - 1 - k;
            var before = Math.Min(pads[2 * k], 0);
            var after = Math.Min(pads[(2 * k) + 1], 0);
            if (before < 0 || after < 0)
            {
                var cropped = source.Narrow(d, -before, source.ShapeSpan[d] + before + after);
                owned.Add(cropped);
                source = cropped;
            }
        }

        var result = Tensor.Full(outShape, value);
        using (var target = PlacementView(result, source.ShapeSpan, pads))
        {
            result.Backend.Copy(source, source.StridesArray, target);
        }

        if (GradRecorder.Needs(source))
        {
            var src = source;
            GradRecorder.Record(result, "ConstantPadBackward", source, g =>
            {
                using var view = PlacementView(g, src.ShapeSpan, pads);
                return view.CopyContiguousRaw();
            });
        }

        foreach (var t in owned)
        {
            t.Dispose();
        }

        return result;
    }

    private static Tensor PlacementView(Tensor padded, ReadOnlySpan<int> innerShape, int[] pads)
    {
        var shape = padded.Shape;
        var offset = padded.Offset;
        for (var k = 0; k < pads.Length / 2; k++)
        {
            var d = padded.Rank - 1 - k;
            offset += Math.Max(pads[2 * k], 0) * padded.StridesSpan[d];
            shape[d] = innerShape[d];
        }

        return padded.AliasAs(shape, padded.Strides, offset);
    }
}
