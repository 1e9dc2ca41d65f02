using System.Globalization;
using System.Text;

namespace NasKit.SearchSpace.MobileNetV3;

/// <summary>
/// Represents one sub-network of the MobileNetV3 / Once-for-All macro space: the input resolution, and per stage a depth and the
/// kernel size and expansion ratio of each active block.
/// </summary>
/// <remarks>
/// <para>Text form (also the canonical form): <c>r=R|S1|S2|…</c> with one group per stage, each group a comma-separated list of its active
/// blocks written <c>k{kernel}e{expansion}</c>; the depth of a stage is the number of blocks in its group. For example
/// <c>r=160|k3e4,k5e6|k7e3,k3e3,k5e4|k3e6,k5e6,k7e4,k3e3|k5e3,k5e4|k3e6,k3e6,k3e6</c> is resolution 160 with depths 2, 3, 4, 2, 3.
/// Numbers are plain decimal without sign or leading zeros, and there is no white space, so one architecture has exactly one text.</para>
/// <para>Inactive blocks (beyond a stage's depth) are not part of the architecture: the constructors accept and drop their choices,
/// so two architectures that differ only there are equal and have the same text. The integer encoding of
/// <see cref="MobileNetV3SearchSpace"/> stores them as zeros.</para>
/// </remarks>
public sealed class MobileNetV3Architecture : Architecture
{
    /// <summary>The name of the space, <c>mobilenetv3</c>.</summary>
    internal const string Name = "mobilenetv3";

    private readonly int[] _depths;
    private readonly int[][] _kernelSizes;
    private readonly int[][] _expandRatios;
    private string? _text;

    /// <summary>Initializes a new instance of the <see cref="MobileNetV3Architecture"/> class.</summary>
    /// <param name="resolution">The input resolution (square images).</param>
    /// <param name="depths">The number of active blocks of each stage.</param>
    /// <param name="kernelSizes">Per stage, the depthwise kernel size of each block; entries beyond the stage's depth are inactive and dropped.</param>
    /// <param name="expandRatios">Per stage, the expansion ratio of each block; entries beyond the stage's depth are inactive and dropped.</param>
    /// <exception cref="ArgumentNullException">A list is null.</exception>
    /// <exception cref="ArgumentException">There are no stages, the lists have different numbers of stages, a stage lists fewer blocks than its depth, or a value is not positive.</exception>
    public MobileNetV3Architecture(int resolution, IReadOnlyList<int> depths, IReadOnlyList<IReadOnlyList<int>> kernelSizes, IReadOnlyList<IReadOnlyList<int>> expandRatios)
    {
        ArgumentNullException.ThrowIfNull(depths);
        ArgumentNullException.ThrowIfNull(kernelSizes);
        ArgumentNullException.ThrowIfNull(expandRatios);
        if (resolution <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(resolution), resolution, $"'{nameof(resolution)} > 0' must hold, but got {nameof(resolution)}={resolution}.");
        }

        if (depths.Count == 0)
        {
            throw new ArgumentException("An architecture needs at least one stage, but the depth list is empty.", nameof(depths));
        }

        if (kernelSizes.Count != depths.Count || expandRatios.Count != depths.Count)
        {
            throw new ArgumentException(
                Invariant($"The lists must have one entry per stage, but got {depths.Count} depths, {kernelSizes.Count} kernel-size lists and {expandRatios.Count} expansion-ratio lists."),
                nameof(kernelSizes));
        }

        Resolution = resolution;
        _depths = new int[depths.Count];
        _kernelSizes = new int[depths.Count][];
        _expandRatios = new int[depths.Count][];
        for (var s = 0; s < depths.Count; s++)
        {
            var d = depths[s];
            if (d <= 0)
            {
                throw new ArgumentException(Invariant($"Every depth must be positive, but stage {s} has depth {d}."), nameof(depths));
            }

            _depths[s] = d;
            _kernelSizes[s] = TakeActive(kernelSizes[s], d, s, "kernel sizes", nameof(kernelSizes));
            _expandRatios[s] = TakeActive(expandRatios[s], d, s, "expansion ratios", nameof(expandRatios));
        }

        Depths = Array.AsReadOnly(_depths);
        KernelSizes = Array.AsReadOnly(_kernelSizes.Select(k => (IReadOnlyList<int>)Array.AsReadOnly(k)).ToArray());
        ExpandRatios = Array.AsReadOnly(_expandRatios.Select(e => (IReadOnlyList<int>)Array.AsReadOnly(e)).ToArray());
    }

    /// <inheritdoc/>
    public override string SpaceName => Name;

    /// <inheritdoc/>
    public override string CanonicalForm => ToString();

    /// <summary>Gets the input resolution (height and width of the square input).</summary>
    public int Resolution { get; }

    /// <summary>Gets the number of stages.</summary>
    public int StageCount => _depths.Length;

    /// <summary>Gets the depth (number of active blocks) of each stage.</summary>
    public IReadOnlyList<int> Depths { get; }

    /// <summary>Gets, per stage, the depthwise kernel size of each active block.</summary>
    public IReadOnlyList<IReadOnlyList<int>> KernelSizes { get; }

    /// <summary>Gets, per stage, the expansion ratio of each active block.</summary>
    public IReadOnlyList<IReadOnlyList<int>> ExpandRatios { get; }

    /// <summary>Creates an architecture from Once-for-All's flat configuration (<c>ks</c>, <c>e</c>, <c>d</c> lists and resolution <c>r</c>).</summary>
    /// <param name="resolution">The input resolution.</param>
    /// <param name="depths">The depth of each stage (OFA's <c>d</c>).</param>
    /// <param name="kernelSizes">The kernel sizes of all block slots, stage after stage (OFA's <c>ks</c>, 20 entries for 5 stages of 4 slots); inactive slots are ignored.</param>
    /// <param name="expandRatios">The expansion ratios of all block slots, laid out like <paramref name="kernelSizes"/> (OFA's <c>e</c>).</param>
    /// <returns>The architecture.</returns>
    /// <exception cref="ArgumentNullException">A list is null.</exception>
    /// <exception cref="ArgumentException">The flat lists do not split into equal per-stage slots that hold every active block, or a value is not positive.</exception>
    public static MobileNetV3Architecture FromOfaConfig(int resolution, IReadOnlyList<int> depths, IReadOnlyList<int> kernelSizes, IReadOnlyList<int> expandRatios)
    {
        ArgumentNullException.ThrowIfNull(depths);
        ArgumentNullException.ThrowIfNull(kernelSizes);
        ArgumentNullException.ThrowIfNull(expandRatios);
        if (depths.Count == 0 || kernelSizes.Count != expandRatios.Count || kernelSizes.Count % depths.Count != 0)
        {
            throw new ArgumentException(
                Invariant($"The flat lists must hold the same number of slots per stage, but got {depths.Count} depths, {kernelSizes.Count} kernel sizes and {expandRatios.Count} expansion ratios."),
                nameof(kernelSizes));
        }

        var slots = kernelSizes.Count / depths.Count;
        var ks = new IReadOnlyList<int>[depths.Count];
        var es = new IReadOnlyList<int>[depths.Count];
        for (var s = 0; s < depths.Count; s++)
        {
            ks[s] = [.. kernelSizes.Skip(s * slots).Take(slots)];
            es[s] = [.. expandRatios.Skip(s * slots).Take(slots)];
        }

        return new MobileNetV3Architecture(resolution, depths, ks, es);
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        if (_text is not null)
        {
            return _text;
        }

        var sb = new StringBuilder();
        sb.Append("r=").Append(Resolution.ToString(CultureInfo.InvariantCulture));
        for (var s = 0; s < _depths.Length; s++)
        {
            sb.Append('|');
            for (var l = 0; l < _depths[s]; l++)
            {
                if (l > 0)
                {
                    sb.Append(',');
                }

                sb.Append('k').Append(_kernelSizes[s][l].ToString(CultureInfo.InvariantCulture))
                  .Append('e').Append(_expandRatios[s][l].ToString(CultureInfo.InvariantCulture));
            }
        }

        return _text = sb.ToString();
    }

    private static int[] TakeActive(IReadOnlyList<int>? values, int depth, int stage, string what, string parameterName)
    {
        if (values is null)
        {
            throw new ArgumentException(Invariant($"Stage {stage} has no list of {what} (the entry is null)."), parameterName);
        }

        if (values.Count < depth)
        {
            throw new ArgumentException(Invariant($"Stage {stage} has depth {depth} but only {values.Count} {what}; every active block needs one."), parameterName);
        }

        var active = new int[depth];
        for (var l = 0; l < depth; l++)
        {
            if (values[l] <= 0)
            {
                throw new ArgumentException(Invariant($"Every value must be positive, but block {l} of stage {stage} has {what} entry {values[l]}."), parameterName);
            }

            active[l] = values[l];
        }

        return active;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
