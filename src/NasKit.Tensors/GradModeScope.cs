using NasKit.Tensors.Internal.Autograd;

namespace NasKit.Tensors;

/// <summary>Represents a region in which gradient recording is switched on or off; disposing restores the previous mode.</summary>
/// <remarks>Obtain one from <see cref="Autograd.NoGrad"/> or <see cref="Autograd.EnableGrad"/>. The mode is per thread.</remarks>
public readonly struct GradModeScope : IDisposable, IEquatable<GradModeScope>
{
    private readonly bool _previous;
    private readonly bool _active;

    internal GradModeScope(bool enabled)
    {
        _previous = GradMode.IsEnabled;
        _active = true;
        GradMode.IsEnabled = enabled;
    }

    /// <summary>Restores the gradient mode that was active when the scope began.</summary>
    public void Dispose()
    {
        if (_active)
        {
            GradMode.IsEnabled = _previous;
        }
    }

    /// <inheritdoc />
    public bool Equals(GradModeScope other) => _previous == other._previous && _active == other._active;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is GradModeScope other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_previous, _active);

    /// <summary>Compares two scopes for equality.</summary>
    /// <param name="left">The first scope.</param>
    /// <param name="right">The second scope.</param>
    /// <returns>Whether they are equal.</returns>
    public static bool operator ==(GradModeScope left, GradModeScope right) => left.Equals(right);

    /// <summary>Compares two scopes for inequality.</summary>
    /// <param name="left">The first scope.</param>
    /// <param name="right">The second scope.</param>
    /// <returns>Whether they differ.</returns>
    public static bool operator !=(GradModeScope left, GradModeScope right) => !left.Equals(right);
}
