namespace NasKit.Testing.Tests;

/// <summary>Deliberate contract violations that <see cref="ToySearchSpace"/> can be built with.</summary>
[Flags]
public enum ToyDefects
{
    /// <summary>A correct space.</summary>
    None = 0,

    /// <summary>Parse reads the first variable one level higher than written.</summary>
    ParseDoesNotRoundTrip = 1 << 0,

    /// <summary>Sample draws from a fixed generator of its own instead of the one it is given.</summary>
    SampleIgnoresSeed = 1 << 1,

    /// <summary>Neighbors returns the architecture itself.</summary>
    NeighborsReturnsSame = 1 << 2,

    /// <summary>Neighbors changes two variables at once.</summary>
    NeighborsAtDistanceTwo = 1 << 3,

    /// <summary>Mutate returns a fresh sample instead of a neighbour.</summary>
    MutateIgnoresNeighbors = 1 << 4,

    /// <summary>Crossover sums the parents' values instead of picking one of them.</summary>
    CrossoverInventsValues = 1 << 5,

    /// <summary>The declared OneHot length is one more than the vectors Encode returns.</summary>
    EncodingLengthWrong = 1 << 6,

    /// <summary>Malformed text fails with an exception that has no position.</summary>
    ParseErrorWithoutPosition = 1 << 7,

    /// <summary>Size is one more than the number of architectures.</summary>
    SizeOverstated = 1 << 8,

    /// <summary>Sample can draw a level that Validate rejects.</summary>
    SampleOutOfRange = 1 << 9,

    /// <summary>The built network registers a layer that its forward pass never uses.</summary>
    BuildHasUnusedParameter = 1 << 10,

    /// <summary>Enumerate lists the first architecture twice and drops the last.</summary>
    EnumerateRepeats = 1 << 11,
}
