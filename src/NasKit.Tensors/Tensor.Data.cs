using NasKit.Tensors.Internal;

namespace NasKit.Tensors;

public partial class Tensor
{
    /// <summary>Gets the value of a one-element tensor.</summary>
    /// <returns>The value.</returns>
    /// <exception cref="InvalidOperationException">The tensor has more or fewer than one element.</exception>
    public float Item()
    {
        if (_numel != 1)
        {
            ThrowHelper.ThrowInvalidOperation($"Item() needs a tensor with exactly one element, but this one has shape {ThrowHelper.FormatShape(_shape)} ({_numel} elements).");
        }

        Span<float> v = stackalloc float[1];
        Backend.CopyToHost(this, v);
        return v[0];
    }

    /// <summary>Copies the values, in row-major order, into a new array.</summary>
    /// <returns>The values.</returns>
    public float[] ToArray()
    {
        var result = new float[_numel];
        Backend.CopyToHost(this, result);
        return result;
    }

    /// <summary>Copies the values, in row-major order, into <paramref name="destination"/>.</summary>
    /// <param name="destination">The destination; at least <see cref="NumberOfElements"/> long.</param>
    /// <exception cref="ArgumentException">The destination is too short.</exception>
    public void CopyTo(Span<float> destination)
    {
        if (destination.Length < _numel)
        {
            ThrowHelper.ThrowArgument($"The destination holds {destination.Length} values but the tensor has {_numel}.", nameof(destination));
        }

        Backend.CopyToHost(this, destination[.._numel]);
    }

    /// <summary>Returns a contiguous view of this tensor for a kernel call, copying only when needed.</summary>
    internal ContiguousRef AsContiguous() => _isContiguous ? new ContiguousRef(this, owned: false) : new ContiguousRef(CopyContiguousRaw(), owned: true);

    /// <summary>Copies into a new contiguous tensor without recording autograd.</summary>
    internal Tensor CopyContiguousRaw()
    {
        var result = CreateUninitialized((int[])_shape.Clone());
        Backend.Copy(this, _strides, result);
        return result;
    }
}
