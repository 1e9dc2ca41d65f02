using NasKit.Tensors.Internal;
using NasKit.Tensors.Internal.Autograd;

namespace NasKit.Tensors.NN;

public static partial class Functional
{
    /// <summary>Computes y = x·Wᵀ + b over the last dimension of <paramref name="input"/>.</summary>
    /// <param name="input">The input, [..., in].</param>
    /// <param name="weight">The weight, [out, in].</param>
    /// <param name="bias">The optional bias, [out].</param>
    /// <returns>The output, [..., out].</returns>
    /// <exception cref="ArgumentException">The shapes do not agree.</exception>
    public static Tensor Linear(Tensor input, Tensor weight, Tensor? bias = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(weight);
        if (weight.Rank != 2)
        {
            ThrowHelper.ThrowArgument($"Linear expects a weight of shape [out, in], but got {ThrowHelper.FormatShape(weight.ShapeSpan)}.", nameof(weight));
        }

        int outF = weight.ShapeSpan[0], inF = weight.ShapeSpan[1];
        if (input.Rank == 0 || input.ShapeSpan[^1] != inF)
        {
            ThrowHelper.ThrowArgument($"Linear with weight {ThrowHelper.FormatShape(weight.ShapeSpan)} expects inputs of shape [..., {inF}], but got {ThrowHelper.FormatShape(input.ShapeSpan)}.", nameof(input));
        }

        if (bias is not null && (bias.Rank != 1 || bias.ShapeSpan[0] != outF))
        {
            ThrowHelper.ThrowArgument($"Linear with weight {ThrowHelper.FormatShape(weight.ShapeSpan)} expects a bias of shape [{outF}], but got {ThrowHelper.FormatShape(bias.ShapeSpan)}.", nameof(bias));
        }

        var rows = inF == 0 ? input.NumberOfElements : input.NumberOfElements / inF;
        if (inF == 0)
        {
            rows = 1;
            for (var i = 0; i < input.Rank - 1; i++)
            {
                rows *= input.ShapeSpan[i];
            }
        }

        int[] outShape = [.. input.ShapeSpan[..^1], outF];
        using var x2 = input.ReshapeRaw(rows, inF);
        using var wt = weight.AliasAs([inF, outF], [weight.StridesSpan[1], weight.StridesSpan[0]], weight.Offset);
        var y2 = Tensor.CreateUninitialized([rows, outF]);
        var beta = 0f;
        if (bias is not null)
        {
            // Start from the broadcast bias and accumulate the product onto it (beta = 1): no second pass.
            y2.Backend.Copy(bias, [0, bias.StridesSpan[0]], y2);
            beta = 1f;
        }

        Tensor.Gemm2D(x2, wt, y2, 1f, beta);
        var result = y2.ReshapeRaw(outShape);
        y2.Dispose();

        if (GradRecorder.Needs(input, weight, bias))
        {
            var (ri, rw, rb) = (input.RequiresGrad, weight.RequiresGrad, bias?.RequiresGrad ?? false);
            var inputShape = input.Shape;
            GradRecorder.Record(result, "LinearBackward", [input, weight, bias], g =>
            {
                using var g2 = g.ReshapeRaw(rows, outF);
                Tensor? gi = null, gw = null, gb = null;
                if (ri)
                {
                    using var gi2 = Tensor.CreateUninitialized([rows, inF]);
                    Tensor.Gemm2D(g2, weight, gi2, 1f, 0f);
                    gi = gi2.ReshapeRaw(inputShape);
                }

                if (rw)
                {
                    using var xr = input.ReshapeRaw(rows, inF);
                    using var g2t = g2.AliasAs([outF, rows], [g2.StridesSpan[1], g2.StridesSpan[0]], g2.Offset);
                    gw = Tensor.CreateUninitialized([outF, inF]);
                    Tensor.Gemm2D(g2t, xr, gw, 1f, 0f);
                }

                if (rb)
                {
                    using var gd = g2.Detach();
                    gb = gd.Sum(0);
                }

                return [gi, gw, gb];
            }, input, weight);
        }

        return result;
    }
}
