using System.Numerics.Tensors;
using NasKit.Tensors.Internal.Threading;

namespace NasKit.Tensors.Internal.Backends.Cpu;

internal sealed partial class CpuBackend
{
    public void Reduce(ReduceOp op, Tensor x, int outer, int reduce, int inner, Tensor destination, Tensor? indices, float alpha)
    {
        var src = x.Storage.Data;
        var xo = x.Offset;
        var dst = destination.Storage.Data;
        var dOff = destination.Offset;
        var idx = indices?.Storage.Data;
        var iOff = indices?.Offset ?? 0;
        var columns = (long)outer * inner;
        var minColumns = Math.Max(1, ElementwiseGrain / Math.Max(reduce, 1));

        if (inner == 1)
        {
            CpuParallel.ForRange(outer, minColumns, (o0, o1) =>
            {
                for (var o = (int)o0; o < o1; o++)
                {
                    var row = src.AsSpan(xo + (o * reduce), reduce);
                    dst[dOff + o] = ReduceContiguous(op, row, alpha, out var argIndex);
                    if (idx is not null)
                    {
                        idx[iOff + o] = argIndex;
                    }
                }
            });
            return;
        }

        // Strided reduction: each (outer, inner-block) column set walks `reduce` rows of `inner` contiguous values.
        CpuParallel.ForRange(outer, Math.Max(1, minColumns / inner), (o0, o1) =>
        {
            var acc = new double[inner];
            var aux = new double[inner];
            for (var o = (int)o0; o < o1; o++)
            {
                var baseIn = xo + (o * reduce * inner);
                var outRow = dst.AsSpan(dOff + (o * inner), inner);
                switch (op)
                {
                    case ReduceOp.Sum:
                    case ReduceOp.Mean:
                    {
                        outRow.Clear();
                        for (var r = 0; r < reduce; r++)
                        {
                            TensorPrimitives.Add(outRow, src.AsSpan(baseIn + (r * inner), inner), outRow);
                        }

                        if (op == ReduceOp.Mean)
                        {
                            TensorPrimitives.Multiply(outRow, 1f / reduce, outRow);
                        }

                        break;
                    }

                    case ReduceOp.Max:
                    case ReduceOp.Min:
                    {
                        var isMax = op == ReduceOp.Max;
                        src.AsSpan(baseIn, inner).CopyTo(outRow);
                        var idxRow = idx is null ? default : idx.AsSpan(iOff + (o * inner), inner);
                        idxRow.Clear();
                        for (var r = 1; r < reduce; r++)
                        {
                            var row = src.AsSpan(baseIn + (r * inner), inner);
                            for (var i = 0; i < inner; i++)
                            {
                                var v = row[i];
                                var cur = outRow[i];
                                if (float.IsNaN(cur))
                                {
                                    continue;
                                }

                                if (float.IsNaN(v) || (isMax ? v > cur : v < cur))
                                {
                                    outRow[i] = v;
                                    if (idx is not null)
                                    {
                                        idxRow[i] = r;
                                    }
                                }
                            }
                        }

                        break;
                    }

                    case ReduceOp.LogSumExp:
                    {
                        for (var i = 0; i < inner; i++)
                        {
                            var m = float.NegativeInfinity;
                            for (var r = 0; r < reduce; r++)
                            {
                                m = MathF.Max(m, src[baseIn + (r * inner) + i]);
                            }

                            if (float.IsInfinity(m) || float.IsNaN(m))
                            {
                                outRow[i] = m;
                                continue;
                            }

                            double s = 0;
                            for (var r = 0; r < reduce; r++)
                            {
                                s += Math.Exp(src[baseIn + (r * inner) + i] - m);
                            }

                            outRow[i] = (float)(m + Math.Log(s));
                        }

                        break;
                    }

                    case ReduceOp.Var:
                    {
                        Array.Clear(acc);
                        for (var r = 0; r < reduce; r++)
                        {
                            for (var i = 0; i < inner; i++)
                            {
                                acc[i] += src[baseIn + (r * inner) + i];
                            }
                        }

                        for (var i = 0; i < inner; i++)
                        {
                            acc[i] /= reduce;
                        }

                        Array.Clear(aux);
                        for (var r = 0; r < reduce; r++)
                        {
                            for (var i = 0; i < inner; i++)
                            {
                                var dlt = src[baseIn + (r * inner) + i] - acc[i];
                                aux[i] += dlt * dlt;
                            }
                        }

                        var denom = Math.Max(reduce - alpha, 0);
                        for (var i = 0; i < inner; i++)
                        {
                            outRow[i] = (float)(aux[i] / denom);
                        }

                        break;
                    }

                    case ReduceOp.Norm:
                    {
                        Array.Clear(acc);
                        for (var r = 0; r < reduce; r++)
                        {
                            for (var i = 0; i < inner; i++)
                            {
                                var v = Math.Abs((double)src[baseIn + (r * inner) + i]);
                                acc[i] = float.IsPositiveInfinity(alpha) ? Math.Max(acc[i], v) : acc[i] + NormTerm(v, alpha);
                            }
                        }

                        for (var i = 0; i < inner; i++)
                        {
                            outRow[i] = (float)NormFinish(acc[i], alpha);
                        }

                        break;
                    }

                    default:
                        throw new NotSupportedException($"Reduction {op} has no CPU kernel.");
                }
            }
        });
        _ = columns;
    }

    private static double NormTerm(double absValue, float p) => p switch
    {
        1f => absValue,
        2f => absValue * absValue,
        0f => absValue != 0 ? 1 : 0,
        _ => Math.Pow(absValue, p),
    };

    private static double NormFinish(double acc, float p) => p switch
    {
        1f => acc,
        2f => Math.Sqrt(acc),
        0f => acc,
        _ when float.IsPositiveInfinity(p) => acc,
        _ => Math.Pow(acc, 1.0 / p),
    };

    private static float ReduceContiguous(ReduceOp op, ReadOnlySpan<float> row, float alpha, out int argIndex)
    {
        argIndex = 0;
        switch (op)
        {
            case ReduceOp.Sum:
                return SumPrecise(row);
            case ReduceOp.Mean:
                return row.Length == 0 ? float.NaN : (float)(SumPreciseDouble(row) / row.Length);
            case ReduceOp.Max:
            case ReduceOp.Min:
            {
                var isMax = op == ReduceOp.Max;
                var best = row[0];
                for (var i = 1; i < row.Length && !float.IsNaN(best); i++)
                {
                    var v = row[i];
                    if (float.IsNaN(v) || (isMax ? v > best : v < best))
                    {
                        best = v;
                        argIndex = i;
                    }
                }

                return best;
            }

            case ReduceOp.LogSumExp:
            {
                var m = TensorPrimitives.Max(row);
                if (float.IsInfinity(m) || float.IsNaN(m))
                {
                    return m;
                }

                double s = 0;
                foreach (var v in row)
                {
                    s += Math.Exp(v - m);
                }

                return (float)(m + Math.Log(s));
            }

            case ReduceOp.Var:
            {
                var mean = SumPreciseDouble(row) / row.Length;
                double ss = 0;
                foreach (var v in row)
                {
                    var d = v - mean;
                    ss += d * d;
                }

                return (float)(ss / Math.Max(row.Length - alpha, 0));
            }

            case ReduceOp.Norm:
            {
                if (float.IsPositiveInfinity(alpha))
                {
                    return row.Length == 0 ? 0f : TensorPrimitives.MaxMagnitude(row) is var mm ? MathF.Abs(mm) : 0f;
                }

                if (alpha == 2f)
                {
                    return (float)Math.Sqrt(SumSquaresDouble(row));
                }

                double acc = 0;
                foreach (var v in row)
                {
                    acc += NormTerm(Math.Abs((double)v), alpha);
                }

                return (float)NormFinish(acc, alpha);
            }

            default:
                throw new NotSupportedException($"Reduction {op} has no CPU kernel.");
        }
    }

    /// <summary>Sums in float blocks of 1024 accumulated in double: fast and accurate for long rows.</summary>
    internal static float SumPrecise(ReadOnlySpan<float> row) => (float)SumPreciseDouble(row);

    internal static double SumPreciseDouble(ReadOnlySpan<float> row)
    {
        const int Block = 1024;
        if (row.Length <= Block)
        {
            return TensorPrimitives.Sum(row);
        }

        double total = 0;
        for (var i = 0; i < row.Length; i += Block)
        {
            total += TensorPrimitives.Sum(row.Slice(i, Math.Min(Block, row.Length - i)));
        }

        return total;
    }

    private static double SumSquaresDouble(ReadOnlySpan<float> row)
    {
        const int Block = 1024;
        double total = 0;
        for (var i = 0; i < row.Length; i += Block)
        {
            total += TensorPrimitives.SumOfSquares(row.Slice(i, Math.Min(Block, row.Length - i)));
        }

        return total;
    }

    public void Softmax(Tensor x, int outer, int dim, int inner, Tensor destination, bool log)
    {
        var src = x.Storage.Data;
        var dst = destination.Storage.Data;
        int xo = x.Offset, dOff = destination.Offset;
        if (inner == 1)
        {
            CpuParallel.ForRange(outer, Math.Max(1, ElementwiseGrain / Math.Max(dim, 1)), (o0, o1) =>
            {
                for (var o = (int)o0; o < o1; o++)
                {
                    var row = src.AsSpan(xo + (o * dim), dim);
                    var outRow = dst.AsSpan(dOff + (o * dim), dim);
                    SoftmaxRow(row, outRow, log);
                }
            });
            return;
        }

        CpuParallel.ForRange(outer, 1, (o0, o1) =>
        {
            var column = new float[dim];
            var result = new float[dim];
            for (var o = (int)o0; o < o1; o++)
            {
                for (var i = 0; i < inner; i++)
                {
                    var b = (o * dim * inner) + i;
                    for (var r = 0; r < dim; r++)
                    {
                        column[r] = src[xo + b + (r * inner)];
                    }

                    SoftmaxRow(column, result, log);
                    for (var r = 0; r < dim; r++)
                    {
                        dst[dOff + b + (r * inner)] = result[r];
                    }
                }
            }
        });
    }

    private static void SoftmaxRow(ReadOnlySpan<float> row, Span<float> outRow, bool log)
    {
        var m = TensorPrimitives.Max(row);
        if (float.IsNegativeInfinity(m))
        {
            // Every logit is -inf: PyTorch returns NaN for softmax and -inf - (-inf) = NaN for log-softmax.
            outRow.Fill(float.NaN);
            return;
        }

        TensorPrimitives.Subtract(row, m, outRow);
        if (log)
        {
            // outRow holds x - m; log-softmax = (x - m) - log(sum(exp(x - m))).
            double s = 0;
            foreach (var v in outRow)
            {
                s += MathF.Exp(v);
            }

            TensorPrimitives.Subtract(outRow, (float)Math.Log(s), outRow);
        }
        else
        {
            TensorPrimitives.Exp(outRow, outRow);
            var s = SumPreciseDouble(outRow);
            TensorPrimitives.Multiply(outRow, (float)(1.0 / s), outRow);
        }
    }

    public void SoftmaxBackward(Tensor grad, Tensor output, int outer, int dim, int inner, Tensor destination, bool log)
    {
        var g = grad.Storage.Data;
        var y = output.Storage.Data;
        var d = destination.Storage.Data;
        int go = grad.Offset, yo = output.Offset, dOff = destination.Offset;
        CpuParallel.ForRange(outer, Math.Max(1, ElementwiseGrain / Math.Max(dim * inner, 1)), (o0, o1) =>
        {
            for (var o = (int)o0; o < o1; o++)
            {
                for (var i = 0; i < inner; i++)
                {
                    var b = (o * dim * inner) + i;
                    double s = 0;
                    for (var r = 0; r < dim; r++)
                    {
                        var k = b + (r * inner);
                        s += log ? g[go + k] : (double)g[go + k] * y[yo + k];
                    }

                    for (var r = 0; r < dim; r++)
                    {
                        var k = b + (r * inner);
                        d[dOff + k] = log
                            ? (float)(g[go + k] - (Math.Exp(y[yo + k]) * s))
                            : (float)(y[yo + k] * (g[go + k] - s));
                    }
                }
            }
        });
    }
}
