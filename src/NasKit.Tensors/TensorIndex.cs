using System.Globalization;

namespace NasKit.Tensors;

/// <summary>
/// Represents one component of a tensor index: a single position, a slice with an optional step, an ellipsis or a new axis.
/// Converts implicitly from <see cref="int"/>, <see cref="System.Index"/> and <see cref="System.Range"/>, so
/// <c>t[0, 1..3]</c>, <c>t[^1]</c> and <c>t[.., TensorIndex.Ellipsis]</c> read as in Python.
/// </summary>
public readonly struct TensorIndex : IEquatable<TensorIndex>
{
    private TensorIndex(TensorIndexKind kind, int index, Index start, Index end, int step)
    {
        Kind = kind;
        Position = index;
        Start = start;
        End = end;
        Step = step;
    }

    /// <summary>Gets the ellipsis, which stands for as many full slices as needed.</summary>
    public static TensorIndex Ellipsis { get; } = new(TensorIndexKind.Ellipsis, 0, default, default, 1);

    /// <summary>Gets the new-axis marker, which inserts a dimension of size 1 (Python's <c>None</c>).</summary>
    public static TensorIndex NewAxis { get; } = new(TensorIndexKind.NewAxis, 0, default, default, 1);

    /// <summary>Gets what this component selects.</summary>
    public TensorIndexKind Kind { get; }

    /// <summary>Gets the position for <see cref="TensorIndexKind.Single"/> (negative counts from the end).</summary>
    public int Position { get; }

    /// <summary>Gets the start of a slice.</summary>
    public Index Start { get; }

    /// <summary>Gets the exclusive end of a slice.</summary>
    public Index End { get; }

    /// <summary>Gets the step of a slice (positive).</summary>
    public int Step { get; }

    /// <summary>Creates a single-position index.</summary>
    /// <param name="index">The position; negative values count from the end.</param>
    /// <returns>The index.</returns>
    public static TensorIndex Single(int index) => new(TensorIndexKind.Single, index, default, default, 1);

    /// <summary>Creates a slice with a step.</summary>
    /// <param name="range">The range.</param>
    /// <param name="step">The step; positive.</param>
    /// <returns>The index.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The step is not positive.</exception>
    public static TensorIndex Slice(Range range, int step = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(step);
        return new TensorIndex(TensorIndexKind.Slice, 0, range.Start, range.End, step);
    }

    /// <summary>Converts an integer position.</summary>
    /// <param name="index">The position.</param>
    public static implicit operator TensorIndex(int index) => Single(index);

    /// <summary>Converts a <see cref="System.Index"/> (<c>^1</c> is the last position).</summary>
    /// <param name="index">The index.</param>
    public static implicit operator TensorIndex(Index index) =>
        index.IsFromEnd ? Single(-index.Value) : Single(index.Value);

    /// <summary>Converts a <see cref="Range"/> to a slice with step 1.</summary>
    /// <param name="range">The range.</param>
    public static implicit operator TensorIndex(Range range) => Slice(range);

    /// <inheritdoc />
    public bool Equals(TensorIndex other) =>
        Kind == other.Kind && Position == other.Position && Start.Equals(other.Start) && End.Equals(other.End) && Step == other.Step;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is TensorIndex other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, Position, Start, End, Step);

    /// <summary>Compares two indices for equality.</summary>
    /// <param name="left">The first index.</param>
    /// <param name="right">The second index.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(TensorIndex left, TensorIndex right) => left.Equals(right);

    /// <summary>Compares two indices for inequality.</summary>
    /// <param name="left">The first index.</param>
    /// <param name="right">The second index.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(TensorIndex left, TensorIndex right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        TensorIndexKind.Single => Position.ToString(CultureInfo.InvariantCulture),
        TensorIndexKind.Ellipsis => "...",
        TensorIndexKind.NewAxis => "None",
        _ => Step == 1 ? $"{Start}..{End}" : $"{Start}..{End}:{Step}",
    };
}
