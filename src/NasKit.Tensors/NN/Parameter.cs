using NasKit.Tensors.Internal.Shapes;
using NasKit.Tensors.Internal.Storage;

namespace NasKit.Tensors.NN;

/// <summary>
/// Represents a tensor that is a learnable parameter of a <see cref="Module"/>: a leaf that requires a gradient by default
/// and is never owned by a <see cref="TensorScope"/> (it lives as long as its module).
/// </summary>
public sealed class Parameter : Tensor
{
    /// <summary>Initializes a new instance of the <see cref="Parameter"/> class sharing the storage of <paramref name="data"/> (copied if not contiguous).</summary>
    /// <param name="data">The initial values.</param>
    /// <param name="requiresGrad">Whether the parameter is trained.</param>
    public Parameter(Tensor data, bool requiresGrad = true)
        : base(ShareOrCopy(data, out var offset), data.Shape, null, offset)
    {
        TensorScope.Release(this);
        RequiresGrad = requiresGrad;
    }

    private static TensorStorage ShareOrCopy(Tensor data, out int offset)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.IsContiguous)
        {
            var s = data.Storage;
            s.AddRef();
            offset = data.Offset;
            return s;
        }

        var copy = data.CopyContiguousRaw();
        var storage = copy.Storage;
        storage.AddRef();
        copy.Dispose();
        offset = 0;
        _ = ShapeUtils.Numel(data.ShapeSpan);
        return storage;
    }

    /// <summary>Creates a copy with its own storage and the same <see cref="Tensor.RequiresGrad"/>; the gradient is not copied.</summary>
    /// <returns>The copy.</returns>
    public Parameter CloneParameter()
    {
        using var copy = CopyContiguousRaw();
        return new Parameter(copy, RequiresGrad);
    }
}
