using System.Globalization;
using NasKit.SearchSpace;

namespace NasKit.Testing.Tests;

/// <summary>An architecture of <see cref="ToySearchSpace"/>: three integer levels, written <c>x.y.z</c>.</summary>
public sealed class ToyArchitecture(string spaceName, int x, int y, int z) : Architecture
{
    public int X { get; } = x;

    public int Y { get; } = y;

    public int Z { get; } = z;

    public int[] Values => [X, Y, Z];

    public override string SpaceName { get; } = spaceName;

    public override string CanonicalForm => ToString();

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{X}.{Y}.{Z}");
}
