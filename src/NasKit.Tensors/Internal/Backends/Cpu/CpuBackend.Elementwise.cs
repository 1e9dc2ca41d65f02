using System.Numerics.Tensors;
using NasKit.Tensors.Internal.Backends.Cpu.Kernels;
using NasKit.Tensors.Internal.Threading;

namespace NasKit.Tensors.Internal.Backends.Cpu;

internal sealed partial class CpuBackend
{
    public void Unary(UnaryOp op, Tensor x, Tensor destination, float alpha, float beta)
    {
        var xs = x.Storage.Data;
        var ds = destination.Storage.Data;
        int xo = x.Offset, d0 = destination.Offset;
        CpuParallel.ForRange(x.NumberOfElements, ElementwiseGrain, (s, e) =>
        {
            var len = (int)(e - s);
            UnarySpan(op, xs.AsSpan(xo + (int)s, len), ds.AsSpan(d0 + (int)s, len), alpha, beta);
        });
    }

    private static void UnarySpan(UnaryOp op, ReadOnlySpan<float> x, Span<float> d, float alpha, float beta)
    {
        switch (op)
        {
            case UnaryOp.Neg: TensorPrimitives.Negate(x, d); break;
            case UnaryOp.Exp: TensorPrimitives.Exp(x, d); break;
            case UnaryOp.Log: TensorPrimitives.Log(x, d); break;
            case UnaryOp.Sqrt: TensorPrimitives.Sqrt(x, d); break;
            case UnaryOp.Rsqrt: TensorPrimitives.ReciprocalSqrt(x, d); break;
            case UnaryOp.Abs: TensorPrimitives.Abs(x, d); break;
            case UnaryOp.Square: ElementwiseDriver.Unary(new SquareOperator(), x, d); break;
            case UnaryOp.Reciprocal: TensorPrimitives.Reciprocal(x, d); break;
            case UnaryOp.Sign: ElementwiseDriver.Unary(new SignOperator(), x, d); break;
            case UnaryOp.Floor: TensorPrimitives.Floor(x, d); break;
            case UnaryOp.Ceil: TensorPrimitives.Ceiling(x, d); break;
            case UnaryOp.Round: TensorPrimitives.Round(x, d); break;
            case UnaryOp.Sin: TensorPrimitives.Sin(x, d); break;
            case UnaryOp.Cos: TensorPrimitives.Cos(x, d); break;
            case UnaryOp.Log1p: TensorPrimitives.LogP1(x, d); break;
            case UnaryOp.Expm1: TensorPrimitives.ExpM1(x, d); break;
            case UnaryOp.Pow: TensorPrimitives.Pow(x, alpha, d); break;
            case UnaryOp.Affine: ElementwiseDriver.Unary(new AffineOperator(alpha, beta), x, d); break;
            case UnaryOp.Clamp:
                ElementwiseDriver.Unary(new ClampOperator(float.IsNaN(alpha) ? float.NegativeInfinity : alpha, float.IsNaN(beta) ? float.PositiveInfinity : beta), x, d);
                break;
            case UnaryOp.Sigmoid: TensorPrimitives.Sigmoid(x, d); break;
            case UnaryOp.Tanh: TensorPrimitives.Tanh(x, d); break;
            case UnaryOp.Relu: ElementwiseDriver.Unary(new ReluOperator(), x, d); break;
            case UnaryOp.Relu6: ElementwiseDriver.Unary(new ClampOperator(0f, 6f), x, d); break;
            case UnaryOp.LeakyRelu: ElementwiseDriver.Unary(new LeakyReluOperator(alpha), x, d); break;
            case UnaryOp.Elu: ElementwiseDriver.Unary(new EluOperator(alpha), x, d); break;
            case UnaryOp.Hardswish: ElementwiseDriver.Unary(new HardswishOperator(), x, d); break;
            case UnaryOp.Hardsigmoid: ElementwiseDriver.Unary(new HardsigmoidOperator(), x, d); break;
            case UnaryOp.Silu: ElementwiseDriver.Unary(new SiluOperator(), x, d); break;
            case UnaryOp.Gelu: ElementwiseDriver.Unary(new GeluOperator(), x, d); break;
            case UnaryOp.GeluTanh: ElementwiseDriver.Unary(new GeluTanhOperator(), x, d); break;
            case UnaryOp.Softplus: ElementwiseDriver.Unary(new SoftplusOperator(alpha, beta), x, d); break;
            default: throw new NotSupportedException($"Unary op {op} has no CPU kernel.");
        }
    }

    public void UnaryBackward(UnaryOp op, Tensor grad, Tensor saved, Tensor destination, float alpha, float beta)
    {
        var gs = grad.Storage.Data;
        var ss = saved.Storage.Data;
        var ds = destination.Storage.Data;
        int go = grad.Offset, so = saved.Offset, d0 = destination.Offset;
        CpuParallel.ForRange(grad.NumberOfElements, ElementwiseGrain, (s, e) =>
        {
            var len = (int)(e - s);
            UnaryBackwardSpan(op, gs.AsSpan(go + (int)s, len), ss.AsSpan(so + (int)s, len), ds.AsSpan(d0 + (int)s, len), alpha, beta);
        });
    }

    private static void UnaryBackwardSpan(UnaryOp op, ReadOnlySpan<float> g, ReadOnlySpan<float> s, Span<float> d, float alpha, float beta)
    {
        switch (op)
        {
            case UnaryOp.Relu: ElementwiseDriver.Binary(new ReluGradOperator(), g, s, d); break;
            case UnaryOp.Relu6: ElementwiseDriver.Binary(new RangeGradOperator(0f, 6f, open: true, 1f), g, s, d); break;
            case UnaryOp.Clamp:
                ElementwiseDriver.Binary(new RangeGradOperator(float.IsNaN(alpha) ? float.NegativeInfinity : alpha, float.IsNaN(beta) ? float.PositiveInfinity : beta, open: false, 1f), g, s, d);
                break;
            case UnaryOp.Hardsigmoid: ElementwiseDriver.Binary(new RangeGradOperator(-3f, 3f, open: true, 1f / 6f), g, s, d); break;
            case UnaryOp.LeakyRelu: ElementwiseDriver.Binary(new LeakyReluGradOperator(alpha), g, s, d); break;
            case UnaryOp.Elu: ElementwiseDriver.Binary(new EluGradOperator(alpha), g, s, d); break;
            case UnaryOp.Hardswish: ElementwiseDriver.Binary(new HardswishGradOperator(), g, s, d); break;
            case UnaryOp.Silu: ElementwiseDriver.Binary(new SiluGradOperator(), g, s, d); break;
            case UnaryOp.Gelu: ElementwiseDriver.Binary(new GeluGradOperator(), g, s, d); break;
            case UnaryOp.GeluTanh: ElementwiseDriver.Binary(new GeluTanhGradOperator(), g, s, d); break;
            case UnaryOp.Sigmoid: ElementwiseDriver.Binary(new SigmoidGradOperator(), g, s, d); break;
            case UnaryOp.Tanh: ElementwiseDriver.Binary(new TanhGradOperator(), g, s, d); break;
            case UnaryOp.Abs: ElementwiseDriver.Binary(new AbsGradOperator(), g, s, d); break;
            case UnaryOp.Softplus: ElementwiseDriver.Binary(new SoftplusGradOperator(alpha, beta), g, s, d); break;
            case UnaryOp.Exp: TensorPrimitives.Multiply(g, s, d); break; // saved = output
            case UnaryOp.Expm1:
                // saved = output y; dy/dx = y + 1
                TensorPrimitives.MultiplyAdd(g, s, g, d);
                break;
            case UnaryOp.Log: TensorPrimitives.Divide(g, s, d); break;
            case UnaryOp.Log1p:
                for (var i = 0; i < g.Length; i++)
                {
                    d[i] = g[i] / (1f + s[i]);
                }

                break;
            case UnaryOp.Sqrt:
                // saved = output y; d/dx = 1 / (2y)
                for (var i = 0; i < g.Length; i++)
                {
                    d[i] = g[i] / (2f * s[i]);
                }

                break;
            case UnaryOp.Rsqrt:
                // saved = output y; d/dx = -0.5 y^3
                for (var i = 0; i < g.Length; i++)
                {
                    var y = s[i];
                    d[i] = -0.5f * g[i] * y * y * y;
                }

                break;
            case UnaryOp.Reciprocal:
                // saved = output y; d/dx = -y^2
                for (var i = 0; i < g.Length; i++)
                {
                    d[i] = -g[i] * s[i] * s[i];
                }

                break;
            case UnaryOp.Square:
                for (var i = 0; i < g.Length; i++)
                {
                    d[i] = 2f * g[i] * s[i];
                }

                break;
            case UnaryOp.Pow:
                for (var i = 0; i < g.Length; i++)
                {
                    d[i] = alpha == 0f ? 0f : g[i] * alpha * MathF.Pow(s[i], alpha - 1f);
                }

                break;
            case UnaryOp.Sin:
                for (var i = 0; i < g.Length; i++)
                {
                    d[i] = g[i] * MathF.Cos(s[i]);
                }

                break;
            case UnaryOp.Cos:
                for (var i = 0; i < g.Length; i++)
                {
                    d[i] = -g[i] * MathF.Sin(s[i]);
                }

                break;
            default: throw new NotSupportedException($"Unary op {op} has no CPU backward kernel.");
        }
    }

    public void Binary(BinaryOp op, Tensor a, int[] aStrides, Tensor b, int[] bStrides, Tensor destination, float alpha)
    {
        var aData = a.Storage.Data;
        var bData = b.Storage.Data;
        var dData = destination.Storage.Data;
        var plan = StridedPlan.Create(destination.ShapeSpan, aStrides, bStrides, destination.StridesArray);
        int ao = a.Offset, bo = b.Offset, dOff = destination.Offset;
        var rowLen = plan.RowLength;
        int sa = plan.RowStride(0), sb = plan.RowStride(1), sd = plan.RowStride(2);
        if (plan.Rows == 1 && sd == 1)
        {
            // One long row (the common same-shape or scalar case): split the row itself across threads.
            CpuParallel.ForRange(rowLen, ElementwiseGrain, (s, e) =>
                BinaryRow(op, alpha, aData, ao + (int)(s * sa), sa, bData, bo + (int)(s * sb), sb, dData, dOff + (int)s, 1, (int)(e - s)));
            return;
        }

        var minRows = Math.Max(1, ElementwiseGrain / Math.Max(rowLen, 1));
        CpuParallel.ForRange(plan.Rows, minRows, (r0, r1) =>
            plan.ForEachRow(r0, r1, off =>
                BinaryRow(op, alpha, aData, ao + off[0], sa, bData, bo + off[1], sb, dData, dOff + off[2], sd, rowLen)));
    }

    private static void BinaryRow(BinaryOp op, float alpha, float[] a, int ao, int sa, float[] b, int bo, int sb, float[] d, int dOff, int sd, int n)
    {
        if (sd == 1 && (sa == 1 || sa == 0) && (sb == 1 || sb == 0))
        {
            var dst = d.AsSpan(dOff, n);
            if (sa == 1 && sb == 1)
            {
                BinarySpans(op, alpha, a.AsSpan(ao, n), b.AsSpan(bo, n), dst);
            }
            else if (sa == 1)
            {
                BinarySpanScalar(op, alpha, a.AsSpan(ao, n), b[bo], dst);
            }
            else if (sb == 1)
            {
                BinaryScalarSpan(op, alpha, a[ao], b.AsSpan(bo, n), dst);
            }
            else
            {
                dst.Fill(BinaryScalar(op, alpha, a[ao], b[bo]));
            }

            return;
        }

        for (var i = 0; i < n; i++)
        {
            d[dOff + (i * sd)] = BinaryScalar(op, alpha, a[ao + (i * sa)], b[bo + (i * sb)]);
        }
    }

    private static float BinaryScalar(BinaryOp op, float alpha, float x, float y) => op switch
    {
        BinaryOp.Add => x + (alpha * y),
        BinaryOp.Sub => x - (alpha * y),
        BinaryOp.Mul => x * y,
        BinaryOp.Div => x / y,
        BinaryOp.Maximum => new MaxOperator().Invoke(x, y),
        BinaryOp.Minimum => new MinOperator().Invoke(x, y),
        BinaryOp.Pow => MathF.Pow(x, y),
        BinaryOp.Eq => x == y ? 1f : 0f,
        BinaryOp.Ne => x != y ? 1f : 0f,
        BinaryOp.Lt => x < y ? 1f : 0f,
        BinaryOp.Le => x <= y ? 1f : 0f,
        BinaryOp.Gt => x > y ? 1f : 0f,
        BinaryOp.Ge => x >= y ? 1f : 0f,
        _ => throw new NotSupportedException($"Binary op {op} has no CPU kernel."),
    };

    private static void BinarySpans(BinaryOp op, float alpha, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d)
    {
        switch (op)
        {
            case BinaryOp.Add when alpha == 1f: TensorPrimitives.Add(x, y, d); break;
            case BinaryOp.Add: ElementwiseDriver.Binary(new AxpyOperator(alpha), x, y, d); break;
            case BinaryOp.Sub when alpha == 1f: TensorPrimitives.Subtract(x, y, d); break;
            case BinaryOp.Sub: ElementwiseDriver.Binary(new AxpyOperator(-alpha), x, y, d); break;
            case BinaryOp.Mul: TensorPrimitives.Multiply(x, y, d); break;
            case BinaryOp.Div: TensorPrimitives.Divide(x, y, d); break;
            case BinaryOp.Maximum: ElementwiseDriver.Binary(new MaxOperator(), x, y, d); break;
            case BinaryOp.Minimum: ElementwiseDriver.Binary(new MinOperator(), x, y, d); break;
            case BinaryOp.Pow: TensorPrimitives.Pow(x, y, d); break;
            case BinaryOp.Eq: ElementwiseDriver.Binary(new EqOperator(), x, y, d); break;
            case BinaryOp.Ne: ElementwiseDriver.Binary(new NeOperator(), x, y, d); break;
            case BinaryOp.Lt: ElementwiseDriver.Binary(new LtOperator(), x, y, d); break;
            case BinaryOp.Le: ElementwiseDriver.Binary(new LeOperator(), x, y, d); break;
            case BinaryOp.Gt: ElementwiseDriver.Binary(new GtOperator(), x, y, d); break;
            case BinaryOp.Ge: ElementwiseDriver.Binary(new GeOperator(), x, y, d); break;
            default: throw new NotSupportedException($"Binary op {op} has no CPU kernel.");
        }
    }

    private static void BinarySpanScalar(BinaryOp op, float alpha, ReadOnlySpan<float> x, float y, Span<float> d)
    {
        switch (op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(x, alpha * y, d); break;
            case BinaryOp.Sub: TensorPrimitives.Subtract(x, alpha * y, d); break;
            case BinaryOp.Mul: TensorPrimitives.Multiply(x, y, d); break;
            case BinaryOp.Div: TensorPrimitives.Divide(x, y, d); break;
            case BinaryOp.Maximum: ElementwiseDriver.BinaryScalarRight(new MaxOperator(), x, y, d); break;
            case BinaryOp.Minimum: ElementwiseDriver.BinaryScalarRight(new MinOperator(), x, y, d); break;
            case BinaryOp.Pow: TensorPrimitives.Pow(x, y, d); break;
            case BinaryOp.Eq: ElementwiseDriver.BinaryScalarRight(new EqOperator(), x, y, d); break;
            case BinaryOp.Ne: ElementwiseDriver.BinaryScalarRight(new NeOperator(), x, y, d); break;
            case BinaryOp.Lt: ElementwiseDriver.BinaryScalarRight(new LtOperator(), x, y, d); break;
            case BinaryOp.Le: ElementwiseDriver.BinaryScalarRight(new LeOperator(), x, y, d); break;
            case BinaryOp.Gt: ElementwiseDriver.BinaryScalarRight(new GtOperator(), x, y, d); break;
            case BinaryOp.Ge: ElementwiseDriver.BinaryScalarRight(new GeOperator(), x, y, d); break;
            default: throw new NotSupportedException($"Binary op {op} has no CPU kernel.");
        }
    }

    private static void BinaryScalarSpan(BinaryOp op, float alpha, float x, ReadOnlySpan<float> y, Span<float> d)
    {
        switch (op)
        {
            case BinaryOp.Add when alpha == 1f: TensorPrimitives.Add(y, x, d); break;
            case BinaryOp.Add: ElementwiseDriver.BinaryScalarLeft(new AxpyOperator(alpha), x, y, d); break;
            case BinaryOp.Sub: ElementwiseDriver.BinaryScalarLeft(new AxpyOperator(-alpha), x, y, d); break;
            case BinaryOp.Mul: TensorPrimitives.Multiply(y, x, d); break;
            case BinaryOp.Div: TensorPrimitives.Divide(x, y, d); break;
            case BinaryOp.Maximum: ElementwiseDriver.BinaryScalarLeft(new MaxOperator(), x, y, d); break;
            case BinaryOp.Minimum: ElementwiseDriver.BinaryScalarLeft(new MinOperator(), x, y, d); break;
            case BinaryOp.Pow: TensorPrimitives.Pow(x, y, d); break;
            case BinaryOp.Eq: ElementwiseDriver.BinaryScalarLeft(new EqOperator(), x, y, d); break;
            case BinaryOp.Ne: ElementwiseDriver.BinaryScalarLeft(new NeOperator(), x, y, d); break;
            case BinaryOp.Lt: ElementwiseDriver.BinaryScalarLeft(new LtOperator(), x, y, d); break;
            case BinaryOp.Le: ElementwiseDriver.BinaryScalarLeft(new LeOperator(), x, y, d); break;
            case BinaryOp.Gt: ElementwiseDriver.BinaryScalarLeft(new GtOperator(), x, y, d); break;
            case BinaryOp.Ge: ElementwiseDriver.BinaryScalarLeft(new GeOperator(), x, y, d); break;
            default: throw new NotSupportedException($"Binary op {op} has no CPU kernel.");
        }
    }

    public void Where(Tensor condition, int[] conditionStrides, Tensor a, int[] aStrides, Tensor b, int[] bStrides, Tensor destination)
    {
        var cData = condition.Storage.Data;
        var aData = a.Storage.Data;
        var bData = b.Storage.Data;
        var dData = destination.Storage.Data;
        var plan = StridedPlan.Create(destination.ShapeSpan, conditionStrides, aStrides, bStrides, destination.StridesArray);
        int co = condition.Offset, ao = a.Offset, bo = b.Offset, dOff = destination.Offset;
        var n = plan.RowLength;
        int sc = plan.RowStride(0), sa = plan.RowStride(1), sb = plan.RowStride(2), sd = plan.RowStride(3);
        CpuParallel.ForRange(plan.Rows, Math.Max(1, ElementwiseGrain / Math.Max(n, 1)), (r0, r1) =>
            plan.ForEachRow(r0, r1, off =>
            {
                for (var i = 0; i < n; i++)
                {
                    var cond = cData[co + off[0] + (i * sc)];
                    dData[dOff + off[3] + (i * sd)] = cond != 0f ? aData[ao + off[1] + (i * sa)] : bData[bo + off[2] + (i * sb)];
                }
            }));
    }
}
