using NasKit.Tensors.Internal;
using NasKit.Tensors.Internal.Autograd;
using NasKit.Tensors.Internal.Backends;
using NasKit.Tensors.Internal.Shapes;

namespace NasKit.Tensors;

/// <summary>Shared machinery of element-wise ops: kernel dispatch, broadcasting, and backward wiring.</summary>
public partial class Tensor
{
    /// <summary>Runs a unary kernel into a new contiguous tensor (no autograd).</summary>
    internal Tensor UnaryKernel(UnaryOp op, float alpha = 0f, float beta = 0f)
    {
        using var xc = AsContiguous();
        var result = CreateUninitialized((int[])_shape.Clone());
        Backend.Unary(op, xc.Tensor, result, alpha, beta);
        return result;
    }

    /// <summary>Runs a unary op and records its backward kernel, saving the input or the output.</summary>
    internal Tensor UnaryWithGrad(UnaryOp op, string name, bool saveOutput, float alpha = 0f, float beta = 0f)
    {
        var result = UnaryKernel(op, alpha, beta);
        if (GradRecorder.Needs(this))
        {
            var saved = saveOutput ? result : this;
            GradRecorder.Record(result, name, this, g => UnaryGrad(op, g, saved, alpha, beta), saved);
        }

        return result;
    }

    /// <summary>Computes grad · op'(saved) through the backend's fused backward kernel.</summary>
    internal static Tensor UnaryGrad(UnaryOp op, Tensor grad, Tensor saved, float alpha, float beta)
    {
        using var gc = grad.AsContiguous();
        using var sc = saved.AsContiguous();
        var dx = CreateUninitialized(saved.Shape);
        saved.Backend.UnaryBackward(op, gc.Tensor, sc.Tensor, dx, alpha, beta);
        return dx;
    }

    /// <summary>Runs a broadcasting binary kernel into a new contiguous tensor (no autograd).</summary>
    internal static Tensor BinaryKernel(BinaryOp op, Tensor a, Tensor b, float alpha = 1f)
    {
        CheckSameDevice(a, b);
        int[] shape, aStrides, bStrides;
        if (a.ShapeSpan.SequenceEqual(b.ShapeSpan))
        {
            shape = (int[])a._shape.Clone();
            aStrides = a._strides;
            bStrides = b._strides;
        }
        else
        {
            shape = ShapeUtils.Broadcast(a._shape, b._shape);
            aStrides = ShapeUtils.BroadcastStrides(a._shape, a._strides, shape);
            bStrides = ShapeUtils.BroadcastStrides(b._shape, b._strides, shape);
        }

        var result = CreateUninitialized(shape);
        a.Backend.Binary(op, a, aStrides, b, bStrides, result, alpha);
        return result;
    }

    private static void CheckSameDevice(Tensor a, Tensor b)
    {
        if (a.Device != b.Device)
        {
            ThrowHelper.ThrowArgument($"Tensors on different devices cannot be combined: {a.Device} and {b.Device}.");
        }
    }

    /// <summary>Reduces a gradient to an input's shape and disposes the full-size temporary.</summary>
    private static Tensor ReduceGrad(Tensor fullGrad, int[] shape)
    {
        var reduced = GradRecorder.SumToShape(fullGrad, shape);
        fullGrad.Dispose();
        return reduced;
    }

    private static Tensor ScalarTensor(float value) => Full([], value);
}
