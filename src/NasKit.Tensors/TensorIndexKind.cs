namespace NasKit.Tensors;

/// <summary>Specifies what a <see cref="TensorIndex"/> selects.</summary>
public enum TensorIndexKind
{
    /// <summary>One position; the dimension is removed.</summary>
    Single = 0,

    /// <summary>A range of positions with a step; the dimension is kept.</summary>
    Slice = 1,

    /// <summary>As many full slices as needed to cover the remaining dimensions.</summary>
    Ellipsis = 2,

    /// <summary>A new dimension of size 1.</summary>
    NewAxis = 3,
}
