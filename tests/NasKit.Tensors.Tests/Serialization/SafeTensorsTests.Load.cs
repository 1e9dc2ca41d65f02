using System.Text;
using NasKit.Tensors.Serialization;

namespace NasKit.Tensors.Tests.Serialization;

// Load: dtype conversion and the rejection of malformed or hostile files.
public partial class SafeTensorsTests
{
    private const long OneMegabyte = 1 << 20;

    // Byte patterns: IEEE 754 binary64/binary16, bfloat16 (upper half of binary32) and two's complement, all little-endian.
    [TestCase("F64", new byte[] { 0, 0, 0, 0, 0, 0, 0xF8, 0x3F, 0, 0, 0, 0, 0, 0, 0x02, 0xC0 }, new[] { 1.5f, -2.25f })]
    [TestCase("F64", new byte[] { 0x9C, 0x75, 0x88, 0x3C, 0xE4, 0x37, 0x7E, 0x7E }, new[] { float.PositiveInfinity })] // 1e300 overflows float32
    [TestCase("F16", new byte[] { 0x00, 0x3C, 0x00, 0xC0, 0xFF, 0x7B, 0x01, 0x00 }, new[] { 1f, -2f, 65504f, 5.9604645e-8f })]
    [TestCase("BF16", new byte[] { 0x80, 0x3F, 0x40, 0xC0, 0xCD, 0x3D }, new[] { 1f, -3f, 0.10009765625f })]
    [TestCase("I64", new byte[] { 3, 0, 0, 0, 0, 0, 0, 0, 0xFB, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 1, 0, 0, 1, 0, 0, 0, 0 }, new[] { 3f, -5f, 16777216f })] // 2^24 + 1 rounds to even
    [TestCase("I32", new byte[] { 7, 0, 0, 0, 0, 0, 0, 0x80 }, new[] { 7f, -2147483648f })]
    [TestCase("I16", new byte[] { 0x00, 0x80, 0xFF, 0x7F }, new[] { -32768f, 32767f })]
    [TestCase("I8", new byte[] { 0x80, 0x7F, 0x00 }, new[] { -128f, 127f, 0f })]
    [TestCase("U8", new byte[] { 0xFF, 0x11, 0x00 }, new[] { 255f, 17f, 0f })]
    [TestCase("BOOL", new byte[] { 0, 1, 1 }, new[] { 0f, 1f, 1f })]
    [TestCase("F32", new byte[] { 0x00, 0x00, 0xC0, 0xFF, 0x01, 0x00, 0x00, 0x80 }, new[] { float.NaN, -1e-45f })] // float.NaN is 0xFFC00000
    public void Load_SupportedDType_ConvertsToFloat32(string code, byte[] data, float[] expected)
    {
        var bytes = SafeTensorsTestData.Craft($"{{\"t\":{{\"dtype\":\"{code}\",\"shape\":[{expected.Length}],\"data_offsets\":[0,{data.Length}]}}}}", data);

        using var content = SafeTensors.Load(new MemoryStream(bytes));
        Assert.That(SafeTensorsTestData.Bits(content.Tensors["t"].ToArray()), Is.EqualTo(SafeTensorsTestData.Bits(expected)));
    }

    [Test]
    public void Load_MixedDTypes_ReportsEachSourceDType()
    {
        var header = "{\"n\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]},\"m\":{\"dtype\":\"F16\",\"shape\":[1,1],\"data_offsets\":[8,10]}}";
        var bytes = SafeTensorsTestData.Craft(header, [2, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x38]);

        using var content = SafeTensors.Load(new MemoryStream(bytes));
        Assert.Multiple(() =>
        {
            Assert.That(content.SourceDTypes["n"], Is.EqualTo(SafeTensorsDType.Int64));
            Assert.That(content.SourceDTypes["m"], Is.EqualTo(SafeTensorsDType.Float16));
            Assert.That(content.Tensors["n"].Shape, Is.Empty);
            Assert.That(content.Tensors["n"].Item(), Is.EqualTo(2f));
            Assert.That(content.Tensors["m"].Item(), Is.EqualTo(0.5f)); // binary16 0x3800 = 0.5
        });
    }

    [Test]
    public void Load_BoolByteOtherThanZeroOrOne_ThrowsNamingTensorAndElement()
    {
        var bytes = SafeTensorsTestData.Craft("{\"mask\":{\"dtype\":\"BOOL\",\"shape\":[3],\"data_offsets\":[0,3]}}", [1, 0, 7]);

        Assert.That(() => SafeTensors.Load(new MemoryStream(bytes)),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("'mask'").And.Message.Contains("element 2").And.Message.Contains("byte 7"));
    }

    [TestCase(0)]
    [TestCase(7)]
    public void Load_FewerThanEightBytes_Throws(int length)
    {
        Assert.That(() => SafeTensors.Load(new MemoryStream(new byte[length])),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains($"holds {length} bytes").And.Message.Contains("8-byte header length"));
    }

    [Test]
    public void Load_HeaderLengthOfTwoToThe62_ThrowsWithoutALargeAllocation()
    {
        var bytes = SafeTensorsTestData.WithDeclaredHeaderLength(1UL << 62, "{}      "u8.ToArray());
        using var stream = new MemoryStream(bytes);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var exception = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(stream));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Multiple(() =>
        {
            Assert.That(exception!.Message, Does.Contain("4611686018427387904").And.Contain("limit of 100000000"));
            Assert.That(allocated, Is.LessThan(OneMegabyte));
        });
    }

    [Test]
    public void Load_HeaderLengthOfTwoToThe62OnNonSeekableStream_ThrowsWithoutALargeAllocation()
    {
        var bytes = SafeTensorsTestData.WithDeclaredHeaderLength(1UL << 62, "{}      "u8.ToArray());

        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.That(() => SafeTensors.Load(new NonSeekableStream(new MemoryStream(bytes))),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("4611686018427387904"));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(OneMegabyte));
    }

    [Test]
    public void Load_HeaderLengthAboveLimitInALargeFile_ThrowsWithoutALargeAllocation()
    {
        // The stream claims 300 MB, so only the 100 MB header limit (not the file length) can reject the declaration.
        var prefix = SafeTensorsTestData.WithDeclaredHeaderLength(SafeTensors.MaxHeaderLength + 1UL, []);
        using var stream = new SparseStream(prefix, 300_000_000);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var exception = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(stream));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Multiple(() =>
        {
            Assert.That(exception!.Message, Does.Contain("declares 100000001 bytes").And.Contain("limit of 100000000"));
            Assert.That(allocated, Is.LessThan(OneMegabyte));
        });
    }

    [Test]
    public void Load_HeaderLengthBeyondTheStream_ThrowsWithBothLengths()
    {
        var bytes = SafeTensorsTestData.WithDeclaredHeaderLength(1000, "{}      "u8.ToArray());

        Assert.That(() => SafeTensors.Load(new MemoryStream(bytes)),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("declares 1000 bytes, but only 8 bytes follow"));
    }

    [Test]
    public void Load_FromFile_MessageNamesThePath()
    {
        var path = Path.Combine(_folder, "broken.safetensors");
        File.WriteAllBytes(path, SafeTensorsTestData.Craft("{\"a\":1}", 0));

        Assert.That(() => SafeTensors.Load(path), Throws.TypeOf<InvalidDataException>().With.Message.Contains(path).And.Message.Contains("tensor 'a'"));
    }

    [TestCase("{\"a\":")]
    [TestCase("not json at all")]
    [TestCase("{\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4],}}")]
    [TestCase("{\"a\":{} /* comment */}")]
    [TestCase("")]
    public void Load_MalformedJson_Throws(string header)
    {
        Assert.That(() => SafeTensors.Load(new MemoryStream(SafeTensorsTestData.Craft(header, 4))),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("not valid JSON"));
    }

    [Test]
    public void Load_HeaderWithInvalidUtf8_Throws()
    {
        byte[] header = [(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'{', (byte)'}', (byte)'}'];

        Assert.That(() => SafeTensors.Load(new MemoryStream(SafeTensorsTestData.Craft(header, []))),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("not valid JSON"));
    }

    [Test]
    public void Load_DeeplyNestedJson_Throws()
    {
        var header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[[[[[[[[1]]]]]]]],\"data_offsets\":[0,4]}}";

        Assert.That(() => SafeTensors.Load(new MemoryStream(SafeTensorsTestData.Craft(header, 4))),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("not valid JSON").Or.Message.Contains("not an integer"));
    }

    [TestCase("[]", "an array")]
    [TestCase("42", "a number")]
    [TestCase("\"F32\"", "a string")]
    public void Load_HeaderNotAnObject_Throws(string header, string kind)
    {
        Assert.That(() => SafeTensors.Load(new MemoryStream(SafeTensorsTestData.Craft(header, 0))),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains($"must be a JSON object, but it is {kind}"));
    }

    [TestCase("{\"w\":{\"shape\":[1],\"data_offsets\":[0,4]}}", "'dtype' is missing")]
    [TestCase("{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", "'shape' is missing")]
    [TestCase("{\"w\":{\"dtype\":\"F32\",\"shape\":[1]}}", "'data_offsets' is missing")]
    [TestCase("{\"w\":[1,2]}", "must be a JSON object with 'dtype', 'shape' and 'data_offsets', but it is an array")]
    [TestCase("{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"extra\":0}}", "unknown field 'extra'")]
    [TestCase("{\"w\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", "field 'dtype' appears more than once")]
    public void Load_EntryWithMissingOrExtraFields_ThrowsNamingTensorAndField(string header, string problem)
    {
        Assert.That(() => SafeTensors.Load(new MemoryStream(SafeTensorsTestData.Craft(header, 4))),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("tensor 'w'").And.Message.Contains(problem));
    }

    [TestCase("\"F8_E4M3\"", "unknown or unsupported dtype 'F8_E4M3'")]
    [TestCase("\"f32\"", "unknown or unsupported dtype 'f32'")]
    [TestCase("\"\"", "unknown or unsupported dtype ''")]
    [TestCase("32", "'dtype' must be a string")]
    public void Load_UnknownDType_ThrowsNamingTensorAndDType(string dtype, string problem)
    {
        var header = $"{{\"w\":{{\"dtype\":{dtype},\"shape\":[1],\"data_offsets\":[0,4]}}}}";

        Assert.That(() => SafeTensors.Load(new MemoryStream(SafeTensorsTestData.Craft(header, 4))),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("tensor 'w'").And.Message.Contains(problem));
    }

    [TestCase("[2,-3]", "dimension 1 of 'shape' is -3")]
    [TestCase("[1.5]", "dimension 0 of 'shape' is 1.5, which is not an integer")]
    [TestCase("[\"2\"]", "dimension 0 of 'shape' is \"2\", which is not an integer")]
    [TestCase("[1e3]", "dimension 0 of 'shape' is 1e3, which is not an integer")]
    [TestCase("[3000000000]", "dimension 0 of 'shape' is 3000000000, more than the largest supported dimension")]
    [TestCase("[99999999999999999999999]", "which is not an integer")]
    [TestCase("[2147483647,2147483647,4]", "shape [2147483647, 2147483647, 4] has more elements than")]
    [TestCase("[0,2147483647,2147483647]", "shape [0, 2147483647, 2147483647] has more elements than")]
    [TestCase("{\"0\":1}", "'shape' must be an array of non-negative integers, but it is an object")]
    public void Load_InvalidShape_ThrowsNamingTensorAndDimension(string shape, string problem)
    {
        var header = $"{{\"w\":{{\"dtype\":\"F32\",\"shape\":{shape},\"data_offsets\":[0,4]}}}}";

        Assert.That(() => SafeTensors.Load(new MemoryStream(SafeTensorsTestData.Craft(header, 4))),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("tensor 'w'").And.Message.Contains(problem));
    }

    [TestCase("[0,24]", "data_offsets [0, 24] are out of range; the data region after the header holds only 16 bytes")]
    [TestCase("[8,0]", "data_offsets [8, 0] are reversed")]
    [TestCase("[0,12]", "data_offsets [0, 12] span 12 bytes, but shape [2, 2] of F32 needs 4 x 4 = 16 bytes")]
    [TestCase("[0,16,32]", "'data_offsets' must be an array of two integers [begin, end], but it is an array of 3 values")]
    [TestCase("[-16,0]", "the begin offset in 'data_offsets' is -16; offsets must be >= 0")]
    [TestCase("[0,18446744073709551615]", "the end offset in 'data_offsets' is 18446744073709551615, beyond any readable data region")]
    [TestCase("[0,\"16\"]", "the end offset in 'data_offsets' is a string, not an integer")]
    [TestCase("[0,16.5]", "the end offset in 'data_offsets' is 16.5, which is not an integer")]
    [TestCase("\"0-16\"", "'data_offsets' must be an array of two integers [begin, end], but it is a string")]
    public void Load_InvalidDataOffsets_ThrowsNamingTensorAndOffsets(string offsets, string problem)
    {
        var header = $"{{\"w\":{{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":{offsets}}}}}";

        Assert.That(() => SafeTensors.Load(new MemoryStream(SafeTensorsTestData.Craft(header, 16))),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("tensor 'w'").And.Message.Contains(problem));
    }

    [Test]
    public void Load_DataOffsetsBeyondATruncatedFile_ThrowsBeforeAllocatingTheTensor()
    {
        // The header declares 64 Mi float32 values (256 MiB) but only 16 bytes of data exist.
        var header = "{\"big\":{\"dtype\":\"F32\",\"shape\":[8192,8192],\"data_offsets\":[0,268435456]}}";
        var bytes = SafeTensorsTestData.Craft(header, 16);

        var before = GC.GetAllocatedBytesForCurrentThread();
        Assert.That(() => SafeTensors.Load(new MemoryStream(bytes)),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("tensor 'big'").And.Message.Contains("holds only 16 bytes"));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(OneMegabyte));
    }

    [Test]
    public void Load_OverlappingTensors_ThrowsNamingBoth()
    {
        var header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]}}";

        Assert.That(() => SafeTensors.Load(new MemoryStream(SafeTensorsTestData.Craft(header, 24))),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("tensor 'b' with data_offsets [8, 24] overlaps tensor 'a' with data_offsets [0, 16]"));
    }

    [Test]
    public void Load_TwoTensorsSharingTheSameBytes_Throws()
    {
        var header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"alias\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

        Assert.That(() => SafeTensors.Load(new MemoryStream(SafeTensorsTestData.Craft(header, 8))),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("overlaps"));
    }

    [Test]
    public void Load_DuplicateTensorName_ThrowsNamingIt()
    {
        var header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";

        Assert.That(() => SafeTensors.Load(new MemoryStream(SafeTensorsTestData.Craft(header, 8))),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("lists tensor 'w' more than once"));
    }

    [Test]
    public void Load_GapBetweenTensors_ThrowsWithTheUncoveredRange()
    {
        var header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";

        Assert.That(() => SafeTensors.Load(new MemoryStream(SafeTensorsTestData.Craft(header, 12))),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("bytes [4, 8) of the data region belong to no tensor (the next tensor is 'b')"));
    }

    [Test]
    public void Load_TrailingBytesAfterTheLastTensor_ThrowsWithBothLengths()
    {
        var header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}";

        Assert.That(() => SafeTensors.Load(new MemoryStream(SafeTensorsTestData.Craft(header, 10))),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("holds 10 bytes, but the tensors cover only 4"));
    }

    [TestCase("{\"__metadata__\":[\"a\"]}", "'__metadata__' must be a JSON object of string values, but it is an array")]
    [TestCase("{\"__metadata__\":{\"epoch\":3}}", "metadata key 'epoch' must have a string value, but it is a number")]
    [TestCase("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}", "metadata key 'k' appears more than once")]
    [TestCase("{\"__metadata__\":{},\"__metadata__\":{}}", "more than one '__metadata__' entry")]
    public void Load_InvalidMetadata_Throws(string header, string problem)
    {
        Assert.That(() => SafeTensors.Load(new MemoryStream(SafeTensorsTestData.Craft(header, 0))),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains(problem));
    }

    [Test]
    public void Load_VeryLongTensorName_ShortensItInTheMessage()
    {
        var name = new string('x', 5000);
        var header = $"{{\"{name}\":{{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,8]}}}}";

        var exception = Assert.Throws<InvalidDataException>(() => SafeTensors.Load(new MemoryStream(SafeTensorsTestData.Craft(header, 8))));
        Assert.Multiple(() =>
        {
            Assert.That(exception!.Message, Does.Contain("(5000 characters)"));
            Assert.That(exception.Message.Length, Is.LessThan(600));
        });
    }

    [Test]
    public void Load_EmptyHeaderObjectAndNoData_ReturnsNoTensors()
    {
        using var content = SafeTensors.Load(new MemoryStream(SafeTensorsTestData.Craft("{}      ", 0)));
        Assert.Multiple(() =>
        {
            Assert.That(content.Tensors, Is.Empty);
            Assert.That(content.Metadata, Is.Empty);
        });
    }

    [Test]
    public void Load_HeaderPaddedWithSpaces_IsAccepted()
    {
        var header = Encoding.UTF8.GetBytes("{\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}".PadRight(64));

        using var content = SafeTensors.Load(new MemoryStream(SafeTensorsTestData.Craft(header, BitConverter.GetBytes(2.5f))));
        Assert.That(content.Tensors["a"].Item(), Is.EqualTo(2.5f));
    }
}
