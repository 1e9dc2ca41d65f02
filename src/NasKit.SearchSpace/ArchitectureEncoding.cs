namespace NasKit.SearchSpace;

/// <summary>Names the fixed-length vector encodings of architectures that performance predictors consume.</summary>
public enum ArchitectureEncoding
{
    /// <summary>The space's decision variables as integers (choice indices, depths, sizes), in a documented order.</summary>
    Integer,

    /// <summary>One one-hot block per decision variable, concatenated.</summary>
    OneHot,

    /// <summary>A flattened adjacency matrix of the cell's operation graph together with one-hot operation labels.</summary>
    Adjacency,

    /// <summary>An indicator per possible input-to-output path (sequence of operations) through the cell.</summary>
    Path,
}
