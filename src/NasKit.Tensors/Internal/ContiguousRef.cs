namespace NasKit.Tensors.Internal;

/// <summary>
/// A tensor guaranteed contiguous for the duration of a kernel call: the tensor itself when it already is,
/// otherwise a temporary copy that <see cref="Dispose"/> releases.
/// </summary>
internal readonly ref struct ContiguousRef
{
    private readonly bool _owned;

    public ContiguousRef(Tensor tensor, bool owned)
    {
        Tensor = tensor;
        _owned = owned;
    }

    public Tensor Tensor { get; }

    public void Dispose()
    {
        if (_owned)
        {
            Tensor.Dispose();
        }
    }
}
