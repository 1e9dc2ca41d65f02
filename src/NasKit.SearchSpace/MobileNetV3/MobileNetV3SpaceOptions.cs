using System.Globalization;
using NasKit.SearchSpace.Operations;

namespace NasKit.SearchSpace.MobileNetV3;

/// <summary>
/// Configures the MobileNetV3 / Once-for-All macro search space (<see cref="MobileNetV3SearchSpace"/>) and the networks it builds
/// (<see cref="MobileNetV3Network"/>); the defaults are OFA's <c>ofa_mbv3_d234_e346_k357_w1.0</c> supernet with the FlatNAS resolutions.
/// </summary>
/// <remarks>
/// The per-stage lists (<see cref="StageWidths"/>, <see cref="StageStrides"/>, <see cref="StageActivations"/>, <see cref="StageSqueezeExcite"/>)
/// must have the same length, which is the number of searchable stages. <see cref="Validate"/> checks every rule and reports all
/// problems at once; the space and the network builder call it and keep a copy, so later changes to this object do not affect them.
/// </remarks>
public sealed class MobileNetV3SpaceOptions
{
    /// <summary>Gets or sets the depths (active blocks) a stage may choose.</summary>
    /// <value>The default value is {2, 3, 4}.</value>
    public IReadOnlyList<int> DepthChoices { get; set; } = [2, 3, 4];

    /// <summary>Gets or sets the depthwise kernel sizes a block may choose (odd numbers).</summary>
    /// <value>The default value is {3, 5, 7}.</value>
    public IReadOnlyList<int> KernelSizeChoices { get; set; } = [3, 5, 7];

    /// <summary>Gets or sets the expansion ratios a block may choose.</summary>
    /// <value>The default value is {3, 4, 6}.</value>
    public IReadOnlyList<int> ExpandRatioChoices { get; set; } = [3, 4, 6];

    /// <summary>Gets or sets the input resolutions (square images, pixels) an architecture may choose.</summary>
    /// <value>The default value is 128, 132, …, 224 (25 resolutions, step 4).</value>
    public IReadOnlyList<int> Resolutions { get; set; } = [.. Enumerable.Range(0, 25).Select(i => 128 + (4 * i))];

    /// <summary>Gets or sets the width multiplier applied to every base width before rounding to a multiple of 8.</summary>
    /// <value>The default value is 1.0.</value>
    public double WidthMultiplier { get; set; } = 1.0;

    /// <summary>Gets or sets the base output widths of the searchable stages.</summary>
    /// <value>The default value is {24, 40, 80, 112, 160}.</value>
    public IReadOnlyList<int> StageWidths { get; set; } = [24, 40, 80, 112, 160];

    /// <summary>Gets or sets the stride of each stage's first block (the other blocks use stride 1).</summary>
    /// <value>The default value is {2, 2, 2, 1, 2}.</value>
    public IReadOnlyList<int> StageStrides { get; set; } = [2, 2, 2, 1, 2];

    /// <summary>Gets or sets the activation of each stage's blocks.</summary>
    /// <value>The default value is {Relu, Relu, Hardswish, Hardswish, Hardswish}.</value>
    public IReadOnlyList<ActivationKind> StageActivations { get; set; } =
        [ActivationKind.Relu, ActivationKind.Relu, ActivationKind.Hardswish, ActivationKind.Hardswish, ActivationKind.Hardswish];

    /// <summary>Gets or sets whether each stage's blocks carry a squeeze-and-excitation gate.</summary>
    /// <value>The default value is {false, true, false, true, true}.</value>
    public IReadOnlyList<bool> StageSqueezeExcite { get; set; } = [false, true, false, true, true];

    /// <summary>Gets or sets the base width of the stem convolution and of the fixed first block.</summary>
    /// <value>The default value is 16.</value>
    public int StemWidth { get; set; } = 16;

    /// <summary>Gets or sets the base width of the head's 1×1 expansion layer (before global pooling).</summary>
    /// <value>The default value is 960.</value>
    public int FinalExpandWidth { get; set; } = 960;

    /// <summary>Gets or sets the base width of the head's 1×1 feature-mix layer (after global pooling).</summary>
    /// <value>The default value is 1280.</value>
    public int FeatureMixWidth { get; set; } = 1280;

    /// <summary>Gets or sets the channels of the input images.</summary>
    /// <value>The default value is 3.</value>
    public int InputChannels { get; set; } = 3;

    /// <summary>Gets or sets the number of classes of the classifier.</summary>
    /// <value>The default value is 1000.</value>
    public int Classes { get; set; } = 1000;

    /// <summary>Gets or sets the dropout probability before the classifier.</summary>
    /// <value>The default value is 0.1.</value>
    public double DropoutRate { get; set; } = 0.1;

    /// <summary>Checks every rule and throws one exception that lists all problems.</summary>
    /// <exception cref="SearchSpaceValidationException">One or more options are not valid; <see cref="SearchSpaceValidationException.Errors"/> names each property and rule.</exception>
    public void Validate()
    {
        var errors = GetErrors();
        if (errors.Count > 0)
        {
            throw new SearchSpaceValidationException("The MobileNetV3 search-space options", errors);
        }
    }

    /// <summary>Copies the options, lists included, after validating them.</summary>
    /// <returns>The validated copy.</returns>
    internal MobileNetV3SpaceOptions ValidatedCopy()
    {
        Validate();
        return new MobileNetV3SpaceOptions
        {
            DepthChoices = [.. DepthChoices],
            KernelSizeChoices = [.. KernelSizeChoices],
            ExpandRatioChoices = [.. ExpandRatioChoices],
            Resolutions = [.. Resolutions],
            WidthMultiplier = WidthMultiplier,
            StageWidths = [.. StageWidths],
            StageStrides = [.. StageStrides],
            StageActivations = [.. StageActivations],
            StageSqueezeExcite = [.. StageSqueezeExcite],
            StemWidth = StemWidth,
            FinalExpandWidth = FinalExpandWidth,
            FeatureMixWidth = FeatureMixWidth,
            InputChannels = InputChannels,
            Classes = Classes,
            DropoutRate = DropoutRate,
        };
    }

    private List<ArchitectureValidationError> GetErrors()
    {
        var errors = new List<ArchitectureValidationError>();
        void Add(string property, string message) => errors.Add(new ArchitectureValidationError(property, message));

        CheckChoices(nameof(DepthChoices), DepthChoices, requireOdd: false, Add);
        CheckChoices(nameof(KernelSizeChoices), KernelSizeChoices, requireOdd: true, Add);
        CheckChoices(nameof(ExpandRatioChoices), ExpandRatioChoices, requireOdd: false, Add);
        CheckChoices(nameof(Resolutions), Resolutions, requireOdd: false, Add);

        if (!double.IsFinite(WidthMultiplier) || WidthMultiplier <= 0 || WidthMultiplier > 100)
        {
            Add(nameof(WidthMultiplier), Invariant($"'0 < {nameof(WidthMultiplier)} <= 100' must hold, but got {WidthMultiplier}."));
        }

        CheckPositive(nameof(StemWidth), StemWidth, Add);
        CheckPositive(nameof(FinalExpandWidth), FinalExpandWidth, Add);
        CheckPositive(nameof(FeatureMixWidth), FeatureMixWidth, Add);
        CheckPositive(nameof(InputChannels), InputChannels, Add);
        CheckPositive(nameof(Classes), Classes, Add);
        if (!double.IsFinite(DropoutRate) || DropoutRate < 0 || DropoutRate >= 1)
        {
            Add(nameof(DropoutRate), Invariant($"'0 <= {nameof(DropoutRate)} < 1' must hold, but got {DropoutRate}."));
        }

        if (StageWidths is null || StageStrides is null || StageActivations is null || StageSqueezeExcite is null)
        {
            Add("Stage*", "the per-stage lists (StageWidths, StageStrides, StageActivations, StageSqueezeExcite) must not be null.");
            return errors;
        }

        if (StageWidths.Count == 0)
        {
            Add(nameof(StageWidths), "at least one stage is needed, but the list is empty.");
        }

        if (StageStrides.Count != StageWidths.Count || StageActivations.Count != StageWidths.Count || StageSqueezeExcite.Count != StageWidths.Count)
        {
            Add(
                "Stage*",
                Invariant($"the per-stage lists must have one entry per stage, but got {nameof(StageWidths)}={StageWidths.Count}, {nameof(StageStrides)}={StageStrides.Count}, {nameof(StageActivations)}={StageActivations.Count}, {nameof(StageSqueezeExcite)}={StageSqueezeExcite.Count} entries."));
        }

        for (var i = 0; i < StageWidths.Count; i++)
        {
            if (StageWidths[i] <= 0)
            {
                Add(Invariant($"{nameof(StageWidths)}[{i}]"), Invariant($"a stage width must be positive, but got {StageWidths[i]}."));
            }
        }

        for (var i = 0; i < StageStrides.Count; i++)
        {
            if (StageStrides[i] <= 0)
            {
                Add(Invariant($"{nameof(StageStrides)}[{i}]"), Invariant($"a stride must be positive, but got {StageStrides[i]}."));
            }
        }

        for (var i = 0; i < StageActivations.Count; i++)
        {
            if (!Enum.IsDefined(StageActivations[i]))
            {
                Add(Invariant($"{nameof(StageActivations)}[{i}]"), Invariant($"the activation must be one of {string.Join(", ", Enum.GetNames<ActivationKind>())}, but got {(int)StageActivations[i]}."));
            }
        }

        return errors;
    }

    private static void CheckChoices(string property, IReadOnlyList<int>? choices, bool requireOdd, Action<string, string> add)
    {
        if (choices is null || choices.Count == 0)
        {
            add(property, "at least one choice is needed, but the list is null or empty.");
            return;
        }

        for (var i = 0; i < choices.Count; i++)
        {
            if (choices[i] <= 0)
            {
                add(property, Invariant($"every choice must be positive, but entry {i} is {choices[i]}."));
            }
            else if (requireOdd && choices[i] % 2 == 0)
            {
                add(property, Invariant($"every kernel size must be odd so that 'same' padding exists, but entry {i} is {choices[i]}."));
            }
        }

        var duplicates = choices.GroupBy(c => c).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            add(property, Invariant($"choices must be distinct, but {string.Join(", ", duplicates)} repeat(s) in {{{string.Join(", ", choices)}}}."));
        }
    }

    private static void CheckPositive(string property, int value, Action<string, string> add)
    {
        if (value <= 0)
        {
            add(property, Invariant($"'{property} > 0' must hold, but got {value}."));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
