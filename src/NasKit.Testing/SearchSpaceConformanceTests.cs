using NasKit.SearchSpace;
using NasKit.Tensors;
using NasKit.Tensors.NN;
using NUnit.Framework;

namespace NasKit.Testing;

/// <summary>
/// The contract every search space must keep, as an abstract NUnit fixture: derive a <c>[TestFixture]</c> from it, return the space
/// from <see cref="CreateSpace"/>, and every test below runs against it.
/// </summary>
/// <typeparam name="TArchitecture">The space's architecture type.</typeparam>
/// <remarks>
/// The checks: seeded sampling is deterministic and always valid; text forms round-trip; neighbours are valid, distinct and differ
/// in exactly one integer-encoded variable; mutation returns a neighbour; crossover children are valid and take every variable from
/// a parent; encodings have their declared lengths; malformed text fails with a position; architectures of another space are
/// refused; built networks run forward and backward at the declared input shape.
/// </remarks>
public abstract class SearchSpaceConformanceTests<TArchitecture>
    where TArchitecture : Architecture
{
    /// <summary>Gets the number of architectures drawn by the sampling-based checks.</summary>
    /// <value>The default value is 64.</value>
    protected virtual int SampleCount => 64;

    /// <summary>Gets the number of sampled architectures whose networks are built and run.</summary>
    /// <value>The default value is 2.</value>
    protected virtual int BuildCount => 2;

    /// <summary>Gets texts that are not valid text forms of the space (the suite adds a few of its own).</summary>
    protected virtual IEnumerable<string> MalformedTexts => [];

    /// <summary>Creates the space under test.</summary>
    /// <returns>The space.</returns>
    protected abstract ISearchSpace<TArchitecture> CreateSpace();

    /// <summary>Creates the space used for the build checks (override to use smaller networks); defaults to <see cref="CreateSpace"/>.</summary>
    /// <returns>The space.</returns>
    protected virtual ISearchSpace<TArchitecture> CreateBuildSpace() => CreateSpace();

    /// <summary>Checks that one seed gives one sequence of architectures and another seed a different one.</summary>
    [Test]
    public void Sample_SameSeed_SameArchitectures()
    {
        var space = CreateSpace();
        var first = Draw(space, 17);
        var again = Draw(space, 17);
        var other = Draw(space, 18);
        Assert.Multiple(() =>
        {
            Assert.That(again.Select(a => a.ToString()), Is.EqualTo(first.Select(a => a.ToString())));
            Assert.That(other.Select(a => a.ToString()), Is.Not.EqualTo(first.Select(a => a.ToString())));
        });
    }

    /// <summary>Checks that sampled architectures are valid and belong to the space.</summary>
    [Test]
    public void Sample_Always_ValidInSpace()
    {
        var space = CreateSpace();
        foreach (var a in Draw(space, 1))
        {
            Assert.That(space.Validate(a), Is.Empty, a.ToString());
            Assert.That(a.SpaceName, Is.EqualTo(space.Name));
        }
    }

    /// <summary>Checks that the text form parses back to an equal architecture with the same text.</summary>
    [Test]
    public void Parse_TextFormOfSample_RoundTrips()
    {
        var space = CreateSpace();
        foreach (var a in Draw(space, 2))
        {
            var text = a.ToString();
            var parsed = space.Parse(text);
            Assert.Multiple(() =>
            {
                Assert.That(parsed.ToString(), Is.EqualTo(text));
                Assert.That(parsed, Is.EqualTo(a));
                Assert.That(parsed.GetHashCode(), Is.EqualTo(a.GetHashCode()));
                Assert.That(parsed.CanonicalHash(), Is.EqualTo(a.CanonicalHash()));
            });
        }
    }

    /// <summary>Checks that malformed texts fail with an <see cref="ArchitectureFormatException"/> that carries a position.</summary>
    [Test]
    public void Parse_MalformedText_ThrowsWithPosition()
    {
        var space = CreateSpace();
        foreach (var text in MalformedTexts.Concat([string.Empty, "|", "not an architecture", "\u0000"]))
        {
            var e = Assert.Throws<ArchitectureFormatException>(() => space.Parse(text), $"'{text}'");
            Assert.Multiple(() =>
            {
                Assert.That(e!.Position, Is.InRange(0, text.Length), $"'{text}'");
                Assert.That(e.Message, Does.Contain("position"), $"'{text}'");
                Assert.That(space.TryParse(text, out _, out var error), Is.False, $"'{text}'");
                Assert.That(error, Is.Not.Null);
            });
        }
    }

    /// <summary>Checks that neighbours are valid, distinct, not the architecture itself, and differ in exactly one integer variable.</summary>
    [Test]
    public void Neighbors_Sample_ValidDistinctAtDistanceOne()
    {
        var space = CreateSpace();
        var integer = space.SupportedEncodings.Contains(ArchitectureEncoding.Integer);
        foreach (var a in Draw(space, 3).Take(8))
        {
            var neighbors = space.Neighbors(a).ToList();
            Assert.That(neighbors, Is.Not.Empty, a.ToString());
            Assert.That(neighbors.Select(n => n.ToString()), Is.Unique, a.ToString());
            var code = integer ? space.Encode(a, ArchitectureEncoding.Integer) : null;
            foreach (var n in neighbors)
            {
                Assert.That(space.Validate(n), Is.Empty, n.ToString());
                Assert.That(n.ToString(), Is.Not.EqualTo(a.ToString()));
                if (code is not null)
                {
                    Assert.That(Differences(code, space.Encode(n, ArchitectureEncoding.Integer)), Is.EqualTo(1), $"{a} -> {n}");
                }
            }
        }
    }

    /// <summary>Checks that mutation returns one of the neighbours and is seeded.</summary>
    [Test]
    public void Mutate_Sample_ReturnsANeighbor()
    {
        var space = CreateSpace();
        var g = new Generator(4);
        foreach (var a in Draw(space, 5).Take(16))
        {
            var neighbors = space.Neighbors(a).Select(n => n.ToString()).ToHashSet(StringComparer.Ordinal);
            var m = space.Mutate(a, g);
            Assert.That(neighbors, Does.Contain(m.ToString()), a.ToString());
        }

        var x = space.Sample(new Generator(9));
        Assert.That(space.Mutate(x, new Generator(3)).ToString(), Is.EqualTo(space.Mutate(x, new Generator(3)).ToString()));
    }

    /// <summary>Checks that crossover children are valid and take every integer variable from one of the parents.</summary>
    [Test]
    public void Crossover_TwoSamples_ChildValidWithParentsVariables()
    {
        var space = CreateSpace();
        var integer = space.SupportedEncodings.Contains(ArchitectureEncoding.Integer);
        var g = new Generator(6);
        var parents = Draw(space, 7);
        for (var i = 0; i + 1 < parents.Count; i += 2)
        {
            var child = space.Crossover(parents[i], parents[i + 1], g);
            Assert.That(space.Validate(child), Is.Empty, child.ToString());
            if (integer)
            {
                var (a, b, c) = (space.Encode(parents[i], ArchitectureEncoding.Integer), space.Encode(parents[i + 1], ArchitectureEncoding.Integer), space.Encode(child, ArchitectureEncoding.Integer));
                Assert.That(Enumerable.Range(0, c.Length).All(j => c[j] == a[j] || c[j] == b[j]), Is.True, $"{parents[i]} x {parents[i + 1]} -> {child}");
            }
        }

        var self = parents[0];
        Assert.That(space.Crossover(self, self, g), Is.EqualTo(self), "crossing an architecture with itself gives it back");
    }

    /// <summary>Checks that every supported encoding has its declared length and is deterministic; unsupported ones throw.</summary>
    [Test]
    public void Encode_EverySupportedEncoding_DeclaredLengthAndDeterministic()
    {
        var space = CreateSpace();
        var samples = Draw(space, 8).Take(16).ToList();
        foreach (var encoding in Enum.GetValues<ArchitectureEncoding>())
        {
            if (!space.SupportedEncodings.Contains(encoding))
            {
                Assert.That(() => space.Encode(samples[0], encoding), Throws.TypeOf<NotSupportedException>(), encoding.ToString());
                continue;
            }

            var length = space.GetEncodingLength(encoding);
            foreach (var a in samples)
            {
                var v = space.Encode(a, encoding);
                Assert.That(v, Has.Length.EqualTo(length), $"{encoding} of {a}");
                Assert.That(space.Encode(space.Parse(a.ToString()), encoding), Is.EqualTo(v), $"{encoding} of {a}");
                Assert.That(v.All(float.IsFinite), Is.True, $"{encoding} of {a}");
            }
        }
    }

    /// <summary>Checks that an architecture of another space is refused with <see cref="IncompatibleArchitectureException"/>.</summary>
    [Test]
    public void Operations_ForeignArchitecture_Refused()
    {
        ISearchSpace space = CreateSpace();
        var foreign = new ForeignArchitecture();
        var g = new Generator(1);
        Assert.Multiple(() =>
        {
            Assert.That(() => space.Neighbors(foreign).ToList(), Throws.TypeOf<IncompatibleArchitectureException>());
            Assert.That(() => space.Mutate(foreign, g), Throws.TypeOf<IncompatibleArchitectureException>());
            Assert.That(() => space.Build(foreign), Throws.TypeOf<IncompatibleArchitectureException>());
            Assert.That(space.Validate(foreign), Is.Not.Empty);
        });
    }

    /// <summary>Checks that a finite space enumerates as many distinct text forms as its size (when the size is small enough to walk).</summary>
    [Test]
    public void Enumerate_FiniteSpace_CountsSizeDistinctValidArchitectures()
    {
        var space = CreateSpace();
        if (space.Size is not { } size)
        {
            Assert.That(() => space.Enumerate().First(), Throws.TypeOf<NotSupportedException>());
            return;
        }

        if (size > 200_000)
        {
            Assert.That(space.Enumerate().Take(100).Select(a => a.ToString()), Is.Unique);
            return;
        }

        var texts = new HashSet<string>(StringComparer.Ordinal);
        foreach (var a in space.Enumerate())
        {
            Assert.That(texts.Add(a.ToString()), Is.True, $"{a} enumerated twice");
        }

        Assert.That(texts, Has.Count.EqualTo((int)size));
    }

    /// <summary>Checks that built networks map a batch of the declared input shape to one row per sample and back-propagate to every parameter.</summary>
    [Test]
    public void Build_Sample_ForwardAndBackwardAtDeclaredShape()
    {
        var space = CreateBuildSpace();
        foreach (var a in Draw(space, 10).Take(BuildCount))
        {
            using var scope = TensorScope.Begin();
            using var network = space.Build(a, new Generator(11));
            var shape = space.GetInputShape(a);
            var x = Tensor.Randn([2, .. shape], new Generator(12));
            var y = network.Call(x);
            Assert.That(y.Shape, Has.Length.EqualTo(2), a.ToString());
            Assert.That(y.Shape[0], Is.EqualTo(2), a.ToString());
            Assert.That(y.ToArray().All(float.IsFinite), Is.True, a.ToString());
            var loss = y.Square().Mean();
            loss.Backward();
            var missing = network.NamedParameters().Where(p => p.Value.RequiresGrad && p.Value.Grad is null).Select(p => p.Key).ToList();
            Assert.That(missing, Is.Empty, $"parameters without a gradient in {a}");
        }
    }

    private List<TArchitecture> Draw(ISearchSpace<TArchitecture> space, long seed)
    {
        var g = new Generator(seed);
        return Enumerable.Range(0, SampleCount).Select(_ => space.Sample(g)).ToList();
    }

    private static int Differences(float[] a, float[] b) => a.Zip(b).Count(p => p.First != p.Second);

    private sealed class ForeignArchitecture : Architecture
    {
        public override string SpaceName => "conformance-foreign";

        public override string CanonicalForm => "foreign";

        public override string ToString() => "foreign";
    }
}
