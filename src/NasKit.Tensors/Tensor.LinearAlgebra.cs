using NasKit.Tensors.Internal;
using NasKit.Tensors.Internal.Autograd;
using NasKit.Tensors.Internal.Backends;
using NasKit.Tensors.Internal.Shapes;

namespace NasKit.Tensors;

public partial class Tensor
{
    /// <summary>
    /// Computes the matrix product with PyTorch's <c>matmul</c> semantics: dot product for two vectors, matrix-vector
    /// and vector-matrix products, and batched products with broadcasting of the leading dimensions.
    /// </summary>
    /// <param name="other">The right operand.</param>
    /// <returns>The product.</returns>
    /// <exception cref="ArgumentException">The inner dimensions differ, or the batch dimensions do not broadcast.</exception>
    public Tensor MatMul(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Rank == 0 || other.Rank == 0)
        {
            ThrowHelper.ThrowArgument($"MatMul needs operands of rank >= 1, but got shapes {ThrowHelper.FormatShape(_shape)} and {ThrowHelper.FormatShape(other._shape)}.");
        }

        if (Rank == 1 && other.Rank == 1)
        {
            using var row = Unsqueeze(0);
            using var col = other.Unsqueeze(1);
            using var m = row.MatMul(col);
            return m.Reshape();
        }

        if (Rank == 1)
        {
            using var row = Unsqueeze(0);
            using var m = row.MatMul(other);
            return m.Squeeze(-2);
        }

        if (other.Rank == 1)
        {
            using var col = other.Unsqueeze(1);
            using var m = MatMul(col);
            return m.Squeeze(-1);
        }

        return Rank == 2 && other.Rank == 2 ? Mm(other) : BatchedMatMul(this, other);
    }

    /// <summary>Computes the product of two matrices.</summary>
    /// <param name="other">The right matrix.</param>
    /// <returns>The product.</returns>
    /// <exception cref="ArgumentException">An operand is not a matrix or the inner dimensions differ.</exception>
    public Tensor Mm(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Rank != 2 || other.Rank != 2)
        {
            ThrowHelper.ThrowArgument($"Mm needs two matrices, but got shapes {ThrowHelper.FormatShape(_shape)} and {ThrowHelper.FormatShape(other._shape)}.");
        }

        if (_shape[1] != other._shape[0])
        {
            ThrowHelper.ThrowArgument($"Cannot multiply matrices of shapes {ThrowHelper.FormatShape(_shape)} and {ThrowHelper.FormatShape(other._shape)}: inner dimensions {_shape[1]} and {other._shape[0]} differ.");
        }

        var result = CreateUninitialized([_shape[0], other._shape[1]]);
        Gemm2D(this, other, result, 1f, 0f);
        if (GradRecorder.Needs(this, other))
        {
            var (a, b, ra, rb) = (this, other, RequiresGrad, other.RequiresGrad);
            GradRecorder.Record(result, "MmBackward", [this, other], g =>
            {
                Tensor? ga = null, gb = null;
                if (ra)
                {
                    using var bt = b.Transpose(0, 1);
                    ga = CreateUninitialized(a.Shape);
                    Gemm2D(g, bt, ga, 1f, 0f);
                }

                if (rb)
                {
                    using var at = a.Transpose(0, 1);
                    gb = CreateUninitialized(b.Shape);
                    Gemm2D(at, g, gb, 1f, 0f);
                }

                return [ga, gb];
            }, a, b);
        }

        return result;
    }

    /// <summary>Computes a batch of matrix products: [b, n, k] × [b, k, m] → [b, n, m].</summary>
    /// <param name="other">The right batch of matrices.</param>
    /// <returns>The products.</returns>
    /// <exception cref="ArgumentException">The shapes are not compatible.</exception>
    public Tensor Bmm(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Rank != 3 || other.Rank != 3 || _shape[0] != other._shape[0])
        {
            ThrowHelper.ThrowArgument($"Bmm needs two 3-D tensors with the same batch size, but got shapes {ThrowHelper.FormatShape(_shape)} and {ThrowHelper.FormatShape(other._shape)}.");
        }

        return BatchedMatMul(this, other);
    }

    /// <summary>Computes the dot product of two vectors.</summary>
    /// <param name="other">The other vector.</param>
    /// <returns>A zero-dimensional tensor.</returns>
    public Tensor Dot(Tensor other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Rank != 1 || other.Rank != 1 || _shape[0] != other._shape[0])
        {
            ThrowHelper.ThrowArgument($"Dot needs two vectors of the same length, but got shapes {ThrowHelper.FormatShape(_shape)} and {ThrowHelper.FormatShape(other._shape)}.");
        }

        return MatMul(other);
    }

    /// <summary>Runs C = alpha · A · B + beta · C for 2-D views, reading transposed layouts without copying.</summary>
    internal static void Gemm2D(Tensor a, Tensor b, Tensor c, float alpha, float beta)
    {
        using var ar = MatrixOperand(a, out var transA, out var lda);
        using var br = MatrixOperand(b, out var transB, out var ldb);
        var desc = new GemmDescriptor(a._shape[0], b._shape[1], a._shape[1], transA, transB, lda, ldb, c._strides[0], alpha, beta);
        c.Backend.Gemm(desc, ar.Tensor, br.Tensor, c);
    }

    /// <summary>Describes a 2-D view as a (possibly transposed) row-major matrix, copying only when the layout cannot be expressed.</summary>
    private static ContiguousRef MatrixOperand(Tensor t, out bool transposed, out int ld)
    {
        var rows = t._shape[0];
        var cols = t._shape[1];
        var s0 = t._strides[0];
        var s1 = t._strides[1];
        if ((s1 == 1 || cols == 1) && s0 >= Math.Max(cols, 1))
        {
            transposed = false;
            ld = Math.Max(s0, 1);
            return new ContiguousRef(t, owned: false);
        }

        if ((s0 == 1 || rows == 1) && s1 >= Math.Max(rows, 1))
        {
            transposed = true;
            ld = Math.Max(s1, 1);
            return new ContiguousRef(t, owned: false);
        }

        transposed = false;
        ld = Math.Max(cols, 1);
        return new ContiguousRef(t.CopyContiguousRaw(), owned: true);
    }

    private static Tensor BatchedMatMul(Tensor a, Tensor b)
    {
        int n = a._shape[^2], k = a._shape[^1], k2 = b._shape[^2], m = b._shape[^1];
        if (k != k2)
        {
            ThrowHelper.ThrowArgument($"Cannot multiply batches of shapes {ThrowHelper.FormatShape(a._shape)} and {ThrowHelper.FormatShape(b._shape)}: inner dimensions {k} and {k2} differ.");
        }

        var batchShape = ShapeUtils.Broadcast(a.ShapeSpan[..^2], b.ShapeSpan[..^2]);
        var batch = ShapeUtils.Numel(batchShape);
        int[] aFull = [.. batchShape, n, k];
        int[] bFull = [.. batchShape, k, m];
        using var ac = MaterializeExpanded(a, aFull);
        using var bc = MaterializeExpanded(b, bFull);
        var result = CreateUninitialized([.. batchShape, n, m]);
        var desc = new GemmDescriptor(n, m, k, false, false, k, m, m, 1f, 0f, batch, n * k, k * m, n * m);
        result.Backend.Gemm(desc, ac.Tensor, bc.Tensor, result);
        if (GradRecorder.Needs(a, b))
        {
            var (ra, rb, sa, sb) = (a.RequiresGrad, b.RequiresGrad, a.Shape, b.Shape);
            GradRecorder.Record(result, "BmmBackward", [a, b], g =>
            {
                using var gc = g.AsContiguous();
                using var ae = MaterializeExpanded(a, aFull);
                using var be = MaterializeExpanded(b, bFull);
                Tensor? ga = null, gb = null;
                if (ra)
                {
                    // dA = g · Bᵀ
                    var full = CreateUninitialized(aFull);
                    var d = new GemmDescriptor(n, k, m, false, true, m, m, k, 1f, 0f, batch, n * m, k * m, n * k);
                    full.Backend.Gemm(d, gc.Tensor, be.Tensor, full);
                    ga = ReduceGrad(full, sa);
                }

                if (rb)
                {
                    // dB = Aᵀ · g
                    var full = CreateUninitialized(bFull);
                    var d = new GemmDescriptor(k, m, n, true, false, k, m, m, 1f, 0f, batch, n * k, n * m, k * m);
                    full.Backend.Gemm(d, ae.Tensor, gc.Tensor, full);
                    gb = ReduceGrad(full, sb);
                }

                return [ga, gb];
            }, a, b);
        }

        return result;
    }

    /// <summary>Gets a contiguous tensor of <paramref name="shape"/> holding <paramref name="t"/> broadcast to it.</summary>
    private static ContiguousRef MaterializeExpanded(Tensor t, int[] shape)
    {
        if (t._isContiguous && t.ShapeSpan.SequenceEqual(shape))
        {
            return new ContiguousRef(t, owned: false);
        }

        var result = CreateUninitialized(shape);
        t.Backend.Copy(t, ShapeUtils.BroadcastStrides(t._shape, t._strides, shape), result);
        return new ContiguousRef(result, owned: true);
    }
}
