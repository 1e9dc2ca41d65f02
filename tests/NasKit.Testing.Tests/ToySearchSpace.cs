using System.Globalization;
using System.Numerics;
using NasKit.SearchSpace;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Testing.Tests;

/// <summary>
/// A search space of three integer variables with <see cref="Levels"/> levels each (64 architectures), text form <c>x.y.z</c>, that
/// can be built with deliberate <see cref="ToyDefects"/> to check that the conformance suite catches them.
/// </summary>
public sealed class ToySearchSpace(ToyDefects defects = ToyDefects.None) : SearchSpace<ToyArchitecture>
{
    public const int Levels = 4;
    private const int Variables = 3;

    private static readonly ArchitectureEncoding[] s_encodings = [ArchitectureEncoding.Integer, ArchitectureEncoding.OneHot];

    public override string Name => "toy";

    public override BigInteger? Size => BigInteger.Pow(Levels, Variables) + (Has(ToyDefects.SizeOverstated) ? 1 : 0);

    public override IReadOnlyList<ArchitectureEncoding> SupportedEncodings => s_encodings;

    public override IEnumerable<ToyArchitecture> Enumerate()
    {
        var all = new List<ToyArchitecture>();
        for (var x = 0; x < Levels; x++)
        {
            for (var y = 0; y < Levels; y++)
            {
                for (var z = 0; z < Levels; z++)
                {
                    all.Add(Create(x, y, z));
                }
            }
        }

        return Has(ToyDefects.EnumerateRepeats) ? [all[0], .. all.Take(all.Count - 1)] : all;
    }

    protected override ToyArchitecture SampleCore(Generator generator)
    {
        var g = Has(ToyDefects.SampleIgnoresSeed) ? new Generator(0) : generator;
        var top = Has(ToyDefects.SampleOutOfRange) ? Levels + 1 : Levels;
        return Create(g.NextInt(top), g.NextInt(top), g.NextInt(top));
    }

    protected override IEnumerable<ToyArchitecture> NeighborsCore(ToyArchitecture architecture)
    {
        if (Has(ToyDefects.NeighborsReturnsSame))
        {
            yield return architecture;
            yield break;
        }

        var values = architecture.Values;
        for (var i = 0; i < Variables; i++)
        {
            for (var level = 0; level < Levels; level++)
            {
                if (level == values[i])
                {
                    continue;
                }

                var next = (int[])values.Clone();
                next[i] = level;
                if (Has(ToyDefects.NeighborsAtDistanceTwo))
                {
                    next[(i + 1) % Variables] = (next[(i + 1) % Variables] + 1) % Levels;
                }

                yield return Create(next[0], next[1], next[2]);
            }
        }
    }

    protected override ToyArchitecture MutateCore(ToyArchitecture architecture, Generator generator) =>
        Has(ToyDefects.MutateIgnoresNeighbors) ? SampleCore(generator) : base.MutateCore(architecture, generator);

    protected override ToyArchitecture CrossoverCore(ToyArchitecture first, ToyArchitecture second, Generator generator)
    {
        var (a, b) = (first.Values, second.Values);
        var child = new int[Variables];
        for (var i = 0; i < Variables; i++)
        {
            child[i] = Has(ToyDefects.CrossoverInventsValues) ? (a[i] + b[i]) % Levels : generator.NextInt(2) == 0 ? a[i] : b[i];
        }

        return Create(child[0], child[1], child[2]);
    }

    protected override ToyArchitecture ParseCore(string text)
    {
        var parts = text.Split('.');
        var values = new int[Variables];
        var position = 0;
        for (var i = 0; i < Variables; i++)
        {
            if (i >= parts.Length || !int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out values[i]) || values[i] >= Levels)
            {
                throw Has(ToyDefects.ParseErrorWithoutPosition)
                    ? new ArchitectureFormatException("bad toy text")
                    : new ArchitectureFormatException(Name, text, Math.Min(position, text.Length), $"expected a level in [0, {Levels - 1}] for variable {i}");
            }

            position += parts[i].Length + 1;
        }

        if (parts.Length != Variables)
        {
            throw new ArchitectureFormatException(Name, text, Math.Min(position, text.Length), $"expected {Variables} variables, but got {parts.Length}");
        }

        return Has(ToyDefects.ParseDoesNotRoundTrip) ? Create((values[0] + 1) % Levels, values[1], values[2]) : Create(values[0], values[1], values[2]);
    }

    protected override IReadOnlyList<ArchitectureValidationError> ValidateCore(ToyArchitecture architecture)
    {
        var errors = new List<ArchitectureValidationError>();
        if (architecture.SpaceName != Name)
        {
            errors.Add(new ArchitectureValidationError(string.Empty, $"belongs to {architecture.SpaceName}"));
        }

        var values = architecture.Values;
        for (var i = 0; i < Variables; i++)
        {
            if (values[i] is < 0 or >= Levels)
            {
                errors.Add(new ArchitectureValidationError($"variable {i}", $"must be in [0, {Levels - 1}], but got {values[i]}"));
            }
        }

        return errors;
    }

    protected override int GetEncodingLengthCore(ArchitectureEncoding encoding) =>
        encoding == ArchitectureEncoding.Integer ? Variables : (Variables * Levels) + (Has(ToyDefects.EncodingLengthWrong) ? 1 : 0);

    protected override float[] EncodeCore(ToyArchitecture architecture, ArchitectureEncoding encoding)
    {
        var values = architecture.Values;
        if (encoding == ArchitectureEncoding.Integer)
        {
            return [.. values.Select(v => (float)v)];
        }

        var vector = new float[Variables * Levels];
        for (var i = 0; i < Variables; i++)
        {
            vector[(i * Levels) + values[i]] = 1;
        }

        return vector;
    }

    protected override int[] GetInputShapeCore(ToyArchitecture architecture) => [4];

    protected override Module<Tensor, Tensor> BuildCore(ToyArchitecture architecture, Generator generator) =>
        new ToyNetwork(4, 2 + architecture.X + architecture.Y + architecture.Z, Has(ToyDefects.BuildHasUnusedParameter), generator);

    private bool Has(ToyDefects defect) => (defects & defect) != 0;

    private ToyArchitecture Create(int x, int y, int z) => new(Name, x, y, z);
}
