using System.Globalization;
using System.Numerics;
using NasKit.SearchSpace.MobileNetV3.Internal;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.SearchSpace.MobileNetV3;

/// <summary>
/// The MobileNetV3 / Once-for-All macro search space: per stage a depth, per active block a depthwise kernel size and an expansion
/// ratio, and the input resolution (ALGORITHMS.md §2(b); by default 5 stages, d ∈ {2, 3, 4}, k ∈ {3, 5, 7}, e ∈ {3, 4, 6},
/// r ∈ {128, 132, …, 224}).
/// </summary>
/// <remarks>
/// <para><b>Decision variables and the integer encoding.</b> With L = max depth block slots per stage, the
/// <see cref="ArchitectureEncoding.Integer"/> vector holds, stage after stage, [depth index, L kernel-size indices, L expansion-ratio
/// indices], then the resolution index (length 5 · 9 + 1 = 46 by default, the CNAS/FlatNAS layout). Indices refer to the order of
/// the choice lists in <see cref="MobileNetV3SpaceOptions"/>; the entries of inactive slots are 0.</para>
/// <para><b>Neighbours</b> differ in exactly one entry of that vector: another resolution; another kernel size or expansion ratio of
/// one active block; or another depth of one stage. Because inactive slots are encoded as 0, a depth change is a move only when the
/// blocks it switches on or off hold the first kernel size and expansion ratio (index 0): growing a stage appends such blocks, and a
/// stage shrinks only after its last blocks have been mutated to them. The relation is symmetric and connects the whole space.</para>
/// <para><b>Sampling</b> draws the resolution, then per stage the depth and per active block the kernel size and expansion ratio,
/// each uniformly. <b>Crossover</b> takes each entry of the integer vector from either parent with probability ½ and decodes the
/// result. The <see cref="ArchitectureEncoding.OneHot"/> encoding has one block per entry of the integer vector; blocks of inactive
/// slots are all zeros. <see cref="Size"/> is |R| · Π over stages of Σ over depths d of (|K| · |E|)^d.</para>
/// </remarks>
public sealed class MobileNetV3SearchSpace : SearchSpace<MobileNetV3Architecture>
{
    private static readonly ArchitectureEncoding[] Encodings = [ArchitectureEncoding.Integer, ArchitectureEncoding.OneHot];

    private readonly MobileNetV3SpaceOptions _options;
    private readonly int[] _depths;
    private readonly int[] _kernels;
    private readonly int[] _expands;
    private readonly int[] _resolutions;
    private readonly Lazy<StageChoice[]> _stageChoices;

    /// <summary>Initializes a new instance of the <see cref="MobileNetV3SearchSpace"/> class.</summary>
    /// <param name="options">The options; null uses the defaults. The space keeps a validated copy.</param>
    /// <exception cref="SearchSpaceValidationException">The options are not valid; the exception lists every problem.</exception>
    public MobileNetV3SearchSpace(MobileNetV3SpaceOptions? options = null)
    {
        _options = (options ?? new MobileNetV3SpaceOptions()).ValidatedCopy();
        _depths = [.. _options.DepthChoices];
        _kernels = [.. _options.KernelSizeChoices];
        _expands = [.. _options.ExpandRatioChoices];
        _resolutions = [.. _options.Resolutions];
        StageCount = _options.StageWidths.Count;
        BlockSlotsPerStage = _depths.Max();
        var perStage = _depths.Aggregate(BigInteger.Zero, (sum, d) => sum + BigInteger.Pow(_kernels.Length * _expands.Length, d));
        Size = BigInteger.Pow(perStage, StageCount) * _resolutions.Length;
        _stageChoices = new Lazy<StageChoice[]>(BuildStageChoices);
    }

    /// <inheritdoc/>
    public override string Name => MobileNetV3Architecture.Name;

    /// <inheritdoc/>
    public override BigInteger? Size { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<ArchitectureEncoding> SupportedEncodings => Encodings;

    /// <summary>Gets the number of searchable stages.</summary>
    public int StageCount { get; }

    /// <summary>Gets the number of block slots per stage (the largest depth choice).</summary>
    public int BlockSlotsPerStage { get; }

    /// <summary>Gets a copy of the space's options.</summary>
    public MobileNetV3SpaceOptions Options => _options.ValidatedCopy();

    /// <summary>Gets the integer encoding of an architecture as integers (see the class remarks for the layout).</summary>
    /// <param name="architecture">The architecture.</param>
    /// <returns>A new vector of <see cref="SearchSpace{TArchitecture}.GetEncodingLength"/>(<see cref="ArchitectureEncoding.Integer"/>) choice indices.</returns>
    /// <exception cref="SearchSpaceValidationException">The architecture is not valid in this space.</exception>
    public int[] EncodeIndices(MobileNetV3Architecture architecture)
    {
        EnsureValid(architecture, nameof(architecture));
        return ToIndices(architecture);
    }

    /// <summary>Decodes an integer encoding (see the class remarks); the entries of inactive slots are ignored.</summary>
    /// <param name="indices">The choice indices.</param>
    /// <returns>The architecture.</returns>
    /// <exception cref="ArgumentException">The vector has the wrong length or an index is out of range for its variable.</exception>
    public MobileNetV3Architecture DecodeIndices(ReadOnlySpan<int> indices)
    {
        var length = IntegerLength;
        if (indices.Length != length)
        {
            throw new ArgumentException(Invariant($"The integer encoding of this space has {length} entries, but got {indices.Length}."), nameof(indices));
        }

        var stride = StageStride;
        for (var s = 0; s < StageCount; s++)
        {
            var depth = _depths[CheckIndex(indices, s * stride, _depths.Length, Invariant($"depth of stage {s}"))];
            for (var l = 0; l < depth; l++)
            {
                CheckIndex(indices, (s * stride) + 1 + l, _kernels.Length, Invariant($"kernel size of stage {s}, block {l}"));
                CheckIndex(indices, (s * stride) + 1 + BlockSlotsPerStage + l, _expands.Length, Invariant($"expansion ratio of stage {s}, block {l}"));
            }
        }

        CheckIndex(indices, length - 1, _resolutions.Length, "resolution");
        return FromIndices(indices);
    }

    /// <inheritdoc/>
    public override IEnumerable<MobileNetV3Architecture> Enumerate()
    {
        var choices = _stageChoices.Value;
        var counters = new int[StageCount];
        foreach (var r in _resolutions)
        {
            Array.Clear(counters);
            while (true)
            {
                yield return new MobileNetV3Architecture(
                    r,
                    [.. counters.Select(c => choices[c].Depth)],
                    [.. counters.Select(c => choices[c].KernelSizes)],
                    [.. counters.Select(c => choices[c].ExpandRatios)]);
                var s = StageCount - 1;
                while (s >= 0 && ++counters[s] == choices.Length)
                {
                    counters[s] = 0;
                    s--;
                }

                if (s < 0)
                {
                    break;
                }
            }
        }
    }

    /// <inheritdoc/>
    protected override MobileNetV3Architecture SampleCore(Generator generator)
    {
        var resolution = _resolutions[generator.NextInt(_resolutions.Length)];
        var depths = new int[StageCount];
        var ks = new IReadOnlyList<int>[StageCount];
        var es = new IReadOnlyList<int>[StageCount];
        for (var s = 0; s < StageCount; s++)
        {
            var d = _depths[generator.NextInt(_depths.Length)];
            var k = new int[d];
            var e = new int[d];
            for (var l = 0; l < d; l++)
            {
                k[l] = _kernels[generator.NextInt(_kernels.Length)];
                e[l] = _expands[generator.NextInt(_expands.Length)];
            }

            (depths[s], ks[s], es[s]) = (d, k, e);
        }

        return new MobileNetV3Architecture(resolution, depths, ks, es);
    }

    /// <inheritdoc/>
    protected override IEnumerable<MobileNetV3Architecture> NeighborsCore(MobileNetV3Architecture architecture)
    {
        var code = ToIndices(architecture);
        var candidate = new int[code.Length];
        for (var j = 0; j < code.Length; j++)
        {
            var choices = ChoiceCount(j);
            for (var v = 0; v < choices; v++)
            {
                if (v == code[j])
                {
                    continue;
                }

                code.CopyTo(candidate, 0);
                candidate[j] = v;

                // Only vectors that are already canonical (inactive slots 0) are one-entry moves; see the class remarks.
                if (IsCanonical(candidate))
                {
                    yield return FromIndices(candidate);
                }
            }
        }
    }

    /// <inheritdoc/>
    protected override MobileNetV3Architecture CrossoverCore(MobileNetV3Architecture first, MobileNetV3Architecture second, Generator generator)
    {
        var a = ToIndices(first);
        var b = ToIndices(second);
        var child = new int[a.Length];
        for (var j = 0; j < a.Length; j++)
        {
            child[j] = generator.NextInt(2) == 0 ? a[j] : b[j];
        }

        return FromIndices(child);
    }

    /// <inheritdoc/>
    protected override MobileNetV3Architecture ParseCore(string text) => MobileNetV3TextParser.Parse(_options, text);

    /// <inheritdoc/>
    protected override IReadOnlyList<ArchitectureValidationError> ValidateCore(MobileNetV3Architecture architecture)
    {
        var errors = new List<ArchitectureValidationError>();
        if (!_resolutions.Contains(architecture.Resolution))
        {
            errors.Add(new("resolution", Invariant($"the resolution must be one of {{{string.Join(", ", _resolutions)}}}, but got {architecture.Resolution}.")));
        }

        if (architecture.StageCount != StageCount)
        {
            errors.Add(new("stages", Invariant($"the space has {StageCount} stages, but the architecture has {architecture.StageCount}.")));
        }

        for (var s = 0; s < architecture.StageCount; s++)
        {
            var d = architecture.Depths[s];
            if (!_depths.Contains(d))
            {
                errors.Add(new(Invariant($"stage {s + 1}"), Invariant($"the depth must be one of {{{string.Join(", ", _depths)}}}, but got {d}.")));
            }

            for (var l = 0; l < d; l++)
            {
                var k = architecture.KernelSizes[s][l];
                if (!_kernels.Contains(k))
                {
                    errors.Add(new(Invariant($"stage {s + 1}, block {l + 1}"), Invariant($"the kernel size must be one of {{{string.Join(", ", _kernels)}}}, but got {k}.")));
                }

                var e = architecture.ExpandRatios[s][l];
                if (!_expands.Contains(e))
                {
                    errors.Add(new(Invariant($"stage {s + 1}, block {l + 1}"), Invariant($"the expansion ratio must be one of {{{string.Join(", ", _expands)}}}, but got {e}.")));
                }
            }
        }

        return errors;
    }

    /// <inheritdoc/>
    protected override int GetEncodingLengthCore(ArchitectureEncoding encoding) => encoding switch
    {
        ArchitectureEncoding.Integer => IntegerLength,
        _ => (StageCount * (_depths.Length + (BlockSlotsPerStage * (_kernels.Length + _expands.Length)))) + _resolutions.Length,
    };

    /// <inheritdoc/>
    protected override float[] EncodeCore(MobileNetV3Architecture architecture, ArchitectureEncoding encoding)
    {
        var code = ToIndices(architecture);
        if (encoding == ArchitectureEncoding.Integer)
        {
            return [.. code.Select(c => (float)c)];
        }

        var vector = new float[GetEncodingLengthCore(ArchitectureEncoding.OneHot)];
        var offset = 0;
        for (var j = 0; j < code.Length; j++)
        {
            var choices = ChoiceCount(j);
            if (IsActive(code, j))
            {
                vector[offset + code[j]] = 1f;
            }

            offset += choices;
        }

        return vector;
    }

    /// <inheritdoc/>
    protected override int[] GetInputShapeCore(MobileNetV3Architecture architecture) =>
        [_options.InputChannels, architecture.Resolution, architecture.Resolution];

    /// <inheritdoc/>
    protected override Module<Tensor, Tensor> BuildCore(MobileNetV3Architecture architecture, Generator generator) =>
        new MobileNetV3Network(architecture, _options, generator);

    private int StageStride => 1 + (2 * BlockSlotsPerStage);

    private int IntegerLength => (StageCount * StageStride) + 1;

    private int ChoiceCount(int j)
    {
        if (j == IntegerLength - 1)
        {
            return _resolutions.Length;
        }

        var within = j % StageStride;
        return within == 0 ? _depths.Length : within <= BlockSlotsPerStage ? _kernels.Length : _expands.Length;
    }

    private bool IsActive(int[] code, int j)
    {
        if (j == IntegerLength - 1)
        {
            return true;
        }

        var within = j % StageStride;
        if (within == 0)
        {
            return true;
        }

        var slot = (within - 1) % BlockSlotsPerStage;
        return slot < _depths[code[j - within]];
    }

    private bool IsCanonical(int[] code)
    {
        for (var j = 0; j < code.Length; j++)
        {
            if (code[j] != 0 && !IsActive(code, j))
            {
                return false;
            }
        }

        return true;
    }

    private int[] ToIndices(MobileNetV3Architecture architecture)
    {
        var code = new int[IntegerLength];
        var stride = StageStride;
        for (var s = 0; s < StageCount; s++)
        {
            var d = architecture.Depths[s];
            code[s * stride] = Array.IndexOf(_depths, d);
            for (var l = 0; l < d; l++)
            {
                code[(s * stride) + 1 + l] = Array.IndexOf(_kernels, architecture.KernelSizes[s][l]);
                code[(s * stride) + 1 + BlockSlotsPerStage + l] = Array.IndexOf(_expands, architecture.ExpandRatios[s][l]);
            }
        }

        code[^1] = Array.IndexOf(_resolutions, architecture.Resolution);
        return code;
    }

    private MobileNetV3Architecture FromIndices(ReadOnlySpan<int> code)
    {
        var stride = StageStride;
        var depths = new int[StageCount];
        var ks = new IReadOnlyList<int>[StageCount];
        var es = new IReadOnlyList<int>[StageCount];
        for (var s = 0; s < StageCount; s++)
        {
            var d = _depths[code[s * stride]];
            var k = new int[d];
            var e = new int[d];
            for (var l = 0; l < d; l++)
            {
                k[l] = _kernels[code[(s * stride) + 1 + l]];
                e[l] = _expands[code[(s * stride) + 1 + BlockSlotsPerStage + l]];
            }

            (depths[s], ks[s], es[s]) = (d, k, e);
        }

        return new MobileNetV3Architecture(_resolutions[code[^1]], depths, ks, es);
    }

    private StageChoice[] BuildStageChoices()
    {
        var list = new List<StageChoice>();
        foreach (var d in _depths)
        {
            var idx = new int[2 * d];
            while (true)
            {
                list.Add(new StageChoice(d, [.. idx[..d].Select(i => _kernels[i])], [.. idx[d..].Select(i => _expands[i])]));
                var p = idx.Length - 1;
                while (p >= 0 && ++idx[p] == (p < d ? _kernels.Length : _expands.Length))
                {
                    idx[p] = 0;
                    p--;
                }

                if (p < 0)
                {
                    break;
                }
            }
        }

        return [.. list];
    }

    private static int CheckIndex(ReadOnlySpan<int> indices, int position, int count, string what)
    {
        var value = indices[position];
        if (value < 0 || value >= count)
        {
            throw new ArgumentException(Invariant($"Entry {position} ({what}) must be in [0, {count - 1}], but got {value}."), nameof(indices));
        }

        return value;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record StageChoice(int Depth, int[] KernelSizes, int[] ExpandRatios);
}
