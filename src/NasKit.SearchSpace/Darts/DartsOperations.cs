using System.Diagnostics.CodeAnalysis;
using NasKit.SearchSpace.Operations;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.SearchSpace.Darts;

/// <summary>Provides the text names of the DARTS operations and builds their modules as DARTS's evaluation network does.</summary>
public static class DartsOperations
{
    private static readonly string[] s_names =
    [
        "none", "max_pool_3x3", "avg_pool_3x3", "skip_connect", "sep_conv_3x3", "sep_conv_5x5", "dil_conv_3x3", "dil_conv_5x5",
    ];

    /// <summary>Gets the eight operations in DARTS's <c>PRIMITIVES</c> order, <see cref="DartsOperation.None"/> first.</summary>
    public static IReadOnlyList<DartsOperation> All { get; } = Enum.GetValues<DartsOperation>();

    /// <summary>Gets the seven operations a discrete genotype may use (all but <see cref="DartsOperation.None"/>), in <c>PRIMITIVES</c> order.</summary>
    public static IReadOnlyList<DartsOperation> Candidates { get; } = [.. Enum.GetValues<DartsOperation>().Where(o => o != DartsOperation.None)];

    /// <summary>Gets the text name of an operation as DARTS writes it (for example <c>sep_conv_3x3</c>).</summary>
    /// <param name="operation">The operation.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The value is not a defined operation.</exception>
    public static string GetName(DartsOperation operation) =>
        (uint)operation < (uint)s_names.Length
            ? s_names[(int)operation]
            : throw new ArgumentOutOfRangeException(nameof(operation), operation, $"'0 <= operation <= {s_names.Length - 1}' must hold, but got {(int)operation}.");

    /// <summary>Looks an operation up by its DARTS text name (ordinal, case-sensitive).</summary>
    /// <param name="name">The name, for example <c>dil_conv_5x5</c>.</param>
    /// <param name="operation">The operation, when the name is known.</param>
    /// <returns>Whether the name is one of the eight operation names.</returns>
    public static bool TryParse(string? name, out DartsOperation operation)
    {
        var index = name is null ? -1 : Array.IndexOf(s_names, name);
        operation = index < 0 ? DartsOperation.None : (DartsOperation)index;
        return index >= 0;
    }

    /// <summary>Looks an operation up by its DARTS text name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The operation.</returns>
    /// <exception cref="ArgumentException">The name is not one of the eight operation names; the message lists them.</exception>
    public static DartsOperation Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return TryParse(name, out var operation)
            ? operation
            : throw new ArgumentException($"Unknown DARTS operation '{name}'; the operations are {string.Join(", ", s_names)}.", nameof(name));
    }

    /// <summary>Lists the operation names, comma-separated, for error messages.</summary>
    /// <param name="includeNone">Whether to include <c>none</c>.</param>
    /// <returns>The list.</returns>
    [SuppressMessage("Design", "CA1024:Use properties where appropriate", Justification = "Takes a parameter.")]
    public static string GetNameList(bool includeNone) => string.Join(", ", includeNone ? s_names : s_names[1..]);

    /// <summary>
    /// Builds the module of an operation on an edge of a cell with <paramref name="channels"/> channels, as DARTS's <c>OPS</c> table does:
    /// zero, max/average pooling (3×3, padding 1, the average excluding padding), identity or (stride 2) <see cref="FactorizedReduce"/>,
    /// <see cref="SepConv"/> (k = 3, 5) and <see cref="DilConv"/> (k = 3, 5, dilation 2).
    /// </summary>
    /// <param name="operation">The operation.</param>
    /// <param name="channels">The channels of the edge's input and output.</param>
    /// <param name="stride">1, or 2 for the edges that leave the two cell inputs of a reduction cell.</param>
    /// <param name="affine">Whether batch norms inside the operation learn a scale and shift (true in the evaluation network, false in the search supernet).</param>
    /// <param name="generator">The random source for convolution weights; null uses the default generator.</param>
    /// <returns>The module; every operation maps (N, C, H, W) to (N, C, ⌈H/s⌉, ⌈W/s⌉).</returns>
    /// <remarks>The pools are plain pools, as in DARTS's evaluation network; the search supernet appends a non-affine batch norm to them itself.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channels"/> is not positive, <paramref name="stride"/> is neither 1 nor 2, or the operation is not defined.</exception>
    /// <exception cref="ArgumentException">A stride-2 <see cref="DartsOperation.SkipConnect"/> needs an even channel count (see <see cref="FactorizedReduce"/>).</exception>
    public static Module<Tensor, Tensor> Create(DartsOperation operation, int channels, int stride, bool affine = true, Generator? generator = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channels);
        if (stride is not (1 or 2))
        {
            throw new ArgumentOutOfRangeException(nameof(stride), stride, $"'stride == 1 || stride == 2' must hold, but got stride={stride}.");
        }

        return operation switch
        {
            DartsOperation.None => new Zero(stride),
            DartsOperation.MaxPool3x3 => new MaxPool2d(3, stride, 1),
            DartsOperation.AvgPool3x3 => new AvgPool2d(3, stride, 1, countIncludePad: false),
            DartsOperation.SkipConnect => stride == 1 ? new Identity() : new FactorizedReduce(channels, channels, affine, generator),
            DartsOperation.SepConv3x3 => new SepConv(channels, channels, 3, stride, 1, affine, generator),
            DartsOperation.SepConv5x5 => new SepConv(channels, channels, 5, stride, 2, affine, generator),
            DartsOperation.DilConv3x3 => new DilConv(channels, channels, 3, stride, 2, 2, affine, generator),
            DartsOperation.DilConv5x5 => new DilConv(channels, channels, 5, stride, 4, 2, affine, generator),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, $"'0 <= operation <= 7' must hold, but got {(int)operation}."),
        };
    }
}
