using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using NasKit.Tensors.Serialization;

namespace NasKit.Tensors.Tests.Serialization;

public partial class SafeTensorsTests
{
    private string _folder = null!;

    private static IEnumerable<int[]> Shapes()
    {
        yield return [];
        yield return [0];
        yield return [1];
        yield return [7];
        yield return [2, 3];
        yield return [2, 0, 3];
        yield return [3, 1, 4, 5];
        yield return [1, 1, 1, 1, 1, 2];
    }

    [SetUp]
    public void SetUp()
    {
        _folder = Path.Combine(Path.GetTempPath(), "naskit-safetensors-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [TestCaseSource(nameof(Shapes))]
    public void SaveLoad_AssortedShapes_RoundTripsShapeAndBitsExactly(int[] shape)
    {
        using var scope = TensorScope.Begin();
        var original = Tensor.Randn(shape, new Generator(7));
        var values = original.ToArray();
        if (values.Length >= 6)
        {
            // Values that a lossy or reordering writer would change: NaN payload, infinities, -0, a subnormal, the extremes.
            float[] special = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, 1e-45f, float.MaxValue];
            special.CopyTo(values, 0);
            original = Tensor.FromArray(values, shape);
        }

        var path = Path.Combine(_folder, "t.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["t"] = original });

        using var content = SafeTensors.Load(path);
        var loaded = content.Tensors["t"];
        Assert.Multiple(() =>
        {
            Assert.That(loaded.Shape, Is.EqualTo(shape));
            Assert.That(SafeTensorsTestData.Bits(loaded.ToArray()), Is.EqualTo(SafeTensorsTestData.Bits(values)));
            Assert.That(content.SourceDTypes["t"], Is.EqualTo(SafeTensorsDType.Float32));
        });
    }

    [Test]
    public void Save_SeveralTensors_LoadReturnsThemInInsertionOrder()
    {
        using var scope = TensorScope.Begin();
        var tensors = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal)
        {
            ["zeta"] = Tensor.FromArray([1f, 2f]),
            ["alpha"] = Tensor.Scalar(3f),
            ["mid.weight"] = Tensor.FromArray([4f, 5f, 6f, 7f], 2, 2),
            ["empty"] = Tensor.Zeros(0, 4),
        };
        using var stream = new MemoryStream();
        SafeTensors.Save(stream, tensors);
        stream.Position = 0;

        using var content = SafeTensors.Load(stream);
        Assert.Multiple(() =>
        {
            Assert.That(content.Names, Is.EqualTo(new[] { "zeta", "alpha", "mid.weight", "empty" }));
            Assert.That(content.Tensors.Keys, Is.EqualTo(new[] { "zeta", "alpha", "mid.weight", "empty" }));
            Assert.That(content.Tensors["alpha"].Shape, Is.Empty);
            Assert.That(content.Tensors["alpha"].Item(), Is.EqualTo(3f));
            Assert.That(content.Tensors["mid.weight"].ToArray(), Is.EqualTo(new[] { 4f, 5f, 6f, 7f }));
            Assert.That(content.Tensors["empty"].Shape, Is.EqualTo(new[] { 0, 4 }));
        });
    }

    [Test]
    public void Save_SingleTensor_WritesTheBytesTheFormatPrescribes()
    {
        using var scope = TensorScope.Begin();
        using var stream = new MemoryStream();
        SafeTensors.Save(stream, new Dictionary<string, Tensor> { ["a"] = Tensor.FromArray([1f, 2f]) });

        // Format description: u64 LE header length, JSON header padded with spaces to a multiple of 8, then LE data.
        // The 54-byte JSON is padded with two spaces to 56 = 0x38; 1f = 0x3F800000 and 2f = 0x40000000 as IEEE binary32.
        var header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}  ";
        byte[] expected = [0x38, 0, 0, 0, 0, 0, 0, 0, .. Encoding.UTF8.GetBytes(header), 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x40];
        Assert.That(stream.ToArray(), Is.EqualTo(expected));
    }

    [Test]
    public void Save_NamesOfVaryingLength_PadsHeaderToEightBytesAndStoresContiguousOffsets()
    {
        using var scope = TensorScope.Begin();
        var tensors = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal)
        {
            ["b"] = Tensor.Ones(3),
            ["a_longer_name"] = Tensor.Ones(2, 2),
            ["é"] = Tensor.Zeros(0),
            ["c"] = Tensor.Scalar(1f),
        };
        using var stream = new MemoryStream();
        SafeTensors.Save(stream, tensors, new Dictionary<string, string> { ["k"] = "v" });
        var bytes = stream.ToArray();

        var n = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var headerText = Encoding.UTF8.GetString(bytes, 8, n);
        using var document = JsonDocument.Parse(headerText);
        var names = document.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        var offsets = document.RootElement.EnumerateObject().Where(p => p.Name != "__metadata__")
            .Select(p => p.Value.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray()).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(n % 8, Is.Zero);
            Assert.That(headerText.TrimEnd(' '), Does.EndWith("}"));
            Assert.That(headerText[headerText.TrimEnd(' ').Length..], Is.EqualTo(new string(' ', headerText.Length - headerText.TrimEnd(' ').Length)));
            Assert.That(names, Is.EqualTo(new[] { "__metadata__", "b", "a_longer_name", "é", "c" }));
            Assert.That(offsets, Is.EqualTo(new[] { new long[] { 0, 12 }, [12, 28], [28, 28], [28, 32] }));
            Assert.That(bytes.Length, Is.EqualTo(8 + n + 32));
        });
    }

    [Test]
    public void SaveLoad_Metadata_RoundTripsKeysAndValuesInOrder()
    {
        using var scope = TensorScope.Begin();
        var metadata = new OrderedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["format"] = "pt",
            ["quote\"and\\slash"] = "line\nbreak\ttab",
            ["unicode"] = "größe ✓ 模型",
            ["empty"] = string.Empty,
        };
        using var stream = new MemoryStream();
        SafeTensors.Save(stream, new Dictionary<string, Tensor> { ["x"] = Tensor.Ones(1) }, metadata);
        stream.Position = 0;

        using var content = SafeTensors.Load(stream);
        Assert.That(content.Metadata.ToList(), Is.EqualTo(metadata.ToList()));
    }

    [Test]
    public void SaveLoad_NoMetadata_OmitsTheKeyAndLoadsAnEmptyDictionary()
    {
        using var scope = TensorScope.Begin();
        using var stream = new MemoryStream();
        SafeTensors.Save(stream, new Dictionary<string, Tensor> { ["x"] = Tensor.Ones(1) });
        var text = Encoding.UTF8.GetString(stream.ToArray());
        stream.Position = 0;

        using var content = SafeTensors.Load(stream);
        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Not.Contain("__metadata__"));
            Assert.That(content.Metadata, Is.Empty);
        });
    }

    [Test]
    public void Save_NonContiguousViews_WritesRowMajorValues()
    {
        using var scope = TensorScope.Begin();
        var baseTensor = Tensor.Arange(24f).View(2, 3, 4);
        var views = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal)
        {
            ["transposed"] = baseTensor.Transpose(0, 2),
            ["permuted"] = baseTensor.Permute(1, 2, 0),
            ["strided"] = baseTensor.Slice(2, 0, 4, step: 3),
            ["expanded"] = Tensor.FromArray([1f, 2f, 3f], 3, 1).Expand(3, 4),
        };
        Assume.That(views.Values.All(v => !v.IsContiguous), Is.True, "every view must be non-contiguous for this test to mean anything");
        using var stream = new MemoryStream();
        SafeTensors.Save(stream, views);
        stream.Position = 0;

        using var content = SafeTensors.Load(stream);
        Assert.Multiple(() =>
        {
            foreach (var (name, view) in views)
            {
                Assert.That(content.Tensors[name].Shape, Is.EqualTo(view.Shape), name);
                Assert.That(content.Tensors[name].ToArray(), Is.EqualTo(view.ToArray()), name);
            }

            // Element [i, j, k] of transpose(0, 2) is base[k, j, i] = 12k + 4j + i; row-major order runs k fastest.
            Assert.That(content.Tensors["transposed"].ToArray()[..4], Is.EqualTo(new[] { 0f, 12f, 4f, 16f }));
        });
    }

    [Test]
    public void Save_DictionaryWithDisposedTensor_ThrowsAndKeepsTheExistingFile()
    {
        using var scope = TensorScope.Begin();
        var path = Path.Combine(_folder, "model.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["w"] = Tensor.FromArray([1f, 2f, 3f]) });
        var before = File.ReadAllBytes(path);
        var disposed = Tensor.Ones(4);
        disposed.Dispose();
        var tensors = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal) { ["w"] = Tensor.Zeros(3), ["gone"] = disposed };

        Assert.That(() => SafeTensors.Save(path, tensors), Throws.ArgumentException.With.Message.Contains("'gone'").And.Message.Contains("disposed"));
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllBytes(path), Is.EqualTo(before));
            Assert.That(Directory.GetFiles(_folder).Select(Path.GetFileName), Is.EqualTo(new[] { "model.safetensors" }), "the temporary file must be removed");
        });
    }

    [Test]
    public void Save_OverAnExistingFile_ReplacesItAndLeavesNoTemporaryFile()
    {
        using var scope = TensorScope.Begin();
        var path = Path.Combine(_folder, "model.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["w"] = Tensor.FromArray([1f, 2f, 3f]) });
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["v"] = Tensor.FromArray([9f]) });

        using var content = SafeTensors.Load(path);
        Assert.Multiple(() =>
        {
            Assert.That(content.Names, Is.EqualTo(new[] { "v" }));
            Assert.That(content.Tensors["v"].ToArray(), Is.EqualTo(new[] { 9f }));
            Assert.That(Directory.GetFiles(_folder).Select(Path.GetFileName), Is.EqualTo(new[] { "model.safetensors" }));
        });
    }

    [Test]
    public void Save_ReservedMetadataName_ThrowsArgumentException()
    {
        using var scope = TensorScope.Begin();
        using var stream = new MemoryStream();
        Assert.Multiple(() =>
        {
            Assert.That(() => SafeTensors.Save(stream, new Dictionary<string, Tensor> { ["__metadata__"] = Tensor.Ones(1) }),
                Throws.ArgumentException.With.Message.Contains("'__metadata__' is reserved"));
            Assert.That(stream.Length, Is.Zero, "nothing may be written when validation fails");
        });
    }

    [Test]
    public void Save_NullTensorOrMetadataValue_ThrowsNamingTheEntry()
    {
        using var scope = TensorScope.Begin();
        using var stream = new MemoryStream();
        Assert.Multiple(() =>
        {
            Assert.That(() => SafeTensors.Save(stream, new Dictionary<string, Tensor> { ["w"] = null! }),
                Throws.ArgumentException.With.Message.Contains("'w' is null"));
            Assert.That(() => SafeTensors.Save(stream, new Dictionary<string, Tensor> { ["w"] = Tensor.Ones(1) }, new Dictionary<string, string> { ["k"] = null! }),
                Throws.ArgumentException.With.Message.Contains("'k' has a null value"));
            Assert.That(stream.Length, Is.Zero);
        });
    }

    [Test]
    public void Load_NonSeekableStream_ReturnsTheSameTensors()
    {
        using var scope = TensorScope.Begin();
        using var stream = new MemoryStream();
        SafeTensors.Save(stream, new Dictionary<string, Tensor> { ["a"] = Tensor.FromArray([1f, -2f, 3.5f], 3, 1), ["b"] = Tensor.Scalar(4f) });
        stream.Position = 0;

        using var content = SafeTensors.Load(new NonSeekableStream(stream));
        Assert.Multiple(() =>
        {
            Assert.That(content.Names, Is.EqualTo(new[] { "a", "b" }));
            Assert.That(content.Tensors["a"].Shape, Is.EqualTo(new[] { 3, 1 }));
            Assert.That(content.Tensors["a"].ToArray(), Is.EqualTo(new[] { 1f, -2f, 3.5f }));
            Assert.That(content.Tensors["b"].Item(), Is.EqualTo(4f));
        });
    }

    [Test]
    public void Load_StreamPositionedAfterAPrefix_ReadsFromThatPosition()
    {
        using var scope = TensorScope.Begin();
        using var stream = new MemoryStream();
        stream.Write("PREFIX"u8);
        SafeTensors.Save(stream, new Dictionary<string, Tensor> { ["a"] = Tensor.FromArray([5f, 6f]) });
        stream.Position = 6;

        using var content = SafeTensors.Load(stream);
        Assert.That(content.Tensors["a"].ToArray(), Is.EqualTo(new[] { 5f, 6f }));
    }

    [Test]
    public void Dispose_LoadedContent_DisposesItsTensors()
    {
        using var stream = new MemoryStream();
        using (var t = Tensor.Ones(2))
        {
            SafeTensors.Save(stream, new Dictionary<string, Tensor> { ["a"] = t });
        }

        stream.Position = 0;
        var content = SafeTensors.Load(stream);
        var loaded = content.Tensors["a"];
        Assume.That(loaded.IsDisposed, Is.False);
        content.Dispose();
        Assert.That(loaded.IsDisposed, Is.True);
    }
}
