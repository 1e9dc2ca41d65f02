using NasKit.Data.Idx;

namespace NasKit.Data.Tests.Idx;

[TestFixture]
public sealed class IdxReaderTests
{
    private string _folder = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = Path.Combine(Path.GetTempPath(), "naskit-idx-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void Read_RawRank3_ReturnsShapeAndValues()
    {
        var data = IdxTestFiles.Ramp(2 * 3 * 4);
        using var stream = new MemoryStream(IdxTestFiles.Build([2, 3, 4], data));

        var result = IdxReader.Read(stream, expectedRank: 3);

        Assert.Multiple(() =>
        {
            Assert.That(result.Shape, Is.EqualTo(new[] { 2, 3, 4 }));
            Assert.That(result.Rank, Is.EqualTo(3));
            Assert.That(result.Data.ToArray(), Is.EqualTo(data));
        });
    }

    [Test]
    public void Read_Gzip_ReturnsSameValuesAsRaw()
    {
        var data = IdxTestFiles.Ramp(300);
        using var stream = new MemoryStream(IdxTestFiles.Gzip(IdxTestFiles.Build([300], data)));

        var result = IdxReader.Read(stream, expectedRank: 1);

        Assert.Multiple(() =>
        {
            Assert.That(result.Shape, Is.EqualTo(new[] { 300 }));
            Assert.That(result.Data.ToArray(), Is.EqualTo(data));
        });
    }

    [Test]
    public void Read_FilesNamedAgainstTheirContent_DetectsGzipByMagic()
    {
        var data = IdxTestFiles.Ramp(6);
        var raw = IdxTestFiles.Build([2, 3], data);
        var gzipNamedRaw = Path.Combine(_folder, "a-idx2-ubyte");
        var rawNamedGz = Path.Combine(_folder, "b-idx2-ubyte.gz");
        File.WriteAllBytes(gzipNamedRaw, IdxTestFiles.Gzip(raw));
        File.WriteAllBytes(rawNamedGz, raw);

        var fromGzip = IdxReader.Read(gzipNamedRaw, expectedRank: 2);
        var fromRaw = IdxReader.Read(rawNamedGz, expectedRank: 2);

        Assert.Multiple(() =>
        {
            Assert.That(fromGzip.Data.ToArray(), Is.EqualTo(data));
            Assert.That(fromRaw.Data.ToArray(), Is.EqualTo(data));
            Assert.That(fromGzip.Shape, Is.EqualTo(new[] { 2, 3 }));
        });
    }

    [Test]
    public void Read_StreamNotAtStart_ReadsFromCurrentPosition()
    {
        var file = IdxTestFiles.Build([3], [7, 8, 9]);
        var bytes = new byte[5 + file.Length];
        file.CopyTo(bytes, 5);
        using var stream = new MemoryStream(bytes) { Position = 5 };

        var result = IdxReader.Read(stream, expectedRank: 1);

        Assert.That(result.Data.ToArray(), Is.EqualTo(new byte[] { 7, 8, 9 }));
    }

    [Test]
    public void Read_ZeroCount_ReturnsEmptyData()
    {
        using var stream = new MemoryStream(IdxTestFiles.Build([0, 28, 28], []));

        var result = IdxReader.Read(stream, expectedRank: 3);

        Assert.Multiple(() =>
        {
            Assert.That(result.Shape, Is.EqualTo(new[] { 0, 28, 28 }));
            Assert.That(result.Data.Length, Is.Zero);
        });
    }

    [Test]
    public void Read_WrongMagic_ThrowsWithBytesAndName()
    {
        var bytes = IdxTestFiles.Build([2], [1, 2]);
        bytes[1] = 0x01;
        using var stream = new MemoryStream(bytes);

        Assert.That(
            () => IdxReader.Read(stream, expectedRank: 1, sourceName: "labels.idx"),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("'labels.idx'").And.Message.Contains("0x00 0x01"));
    }

    [Test]
    public void Read_FloatTypeCode_ThrowsNamingTheTypeCode()
    {
        using var stream = new MemoryStream(IdxTestFiles.Build([1], [0, 0, 0, 0], typeCode: 0x0D));

        Assert.That(
            () => IdxReader.Read(stream, expectedRank: 1),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("0x0D").And.Message.Contains("float32"));
    }

    [Test]
    public void Read_RankDiffersFromExpected_ThrowsWithBothRanks()
    {
        using var stream = new MemoryStream(IdxTestFiles.Build([4], [1, 2, 3, 4]));

        Assert.That(
            () => IdxReader.Read(stream, expectedRank: 3),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("rank 1").And.Message.Contains("rank 3 was expected"));
    }

    [Test]
    public void Read_TruncatedRawData_ThrowsWithExpectedFoundAndName()
    {
        var full = IdxTestFiles.Build([3, 4], IdxTestFiles.Ramp(12));
        using var stream = new MemoryStream(full[..^5]);

        Assert.That(
            () => IdxReader.Read(stream, expectedRank: 2, sourceName: "images.idx"),
            Throws.TypeOf<InvalidDataException>()
                .With.Message.Contains("'images.idx' is truncated")
                .And.Message.Contains("needs 12 data bytes")
                .And.Message.Contains("only 7 follow"));
    }

    [Test]
    public void Read_TruncatedGzipData_ThrowsWithExpectedAndFound()
    {
        var full = IdxTestFiles.Build([3, 4], IdxTestFiles.Ramp(12));
        using var stream = new MemoryStream(IdxTestFiles.Gzip(full[..^5]));

        Assert.That(
            () => IdxReader.Read(stream, expectedRank: 2, sourceName: "images.gz"),
            Throws.TypeOf<InvalidDataException>()
                .With.Message.Contains("'images.gz' is truncated")
                .And.Message.Contains("needs 12 data bytes")
                .And.Message.Contains("only 7 follow"));
    }

    [TestCase(3)]
    [TestCase(9)]
    public void Read_TruncatedHeader_ThrowsWithHeaderLength(int keep)
    {
        var full = IdxTestFiles.Build([3, 4], IdxTestFiles.Ramp(12));
        using var stream = new MemoryStream(full[..keep]);

        Assert.That(
            () => IdxReader.Read(stream, expectedRank: 2),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("truncated").And.Message.Contains($"holds {keep}"));
    }

    [Test]
    public void Read_TrailingBytesRaw_ThrowsWithTheirCount()
    {
        var full = IdxTestFiles.Build([2], [1, 2]);
        using var stream = new MemoryStream([.. full, 0xAA, 0xBB, 0xCC]);

        Assert.That(
            () => IdxReader.Read(stream, expectedRank: 1),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("3 unexpected trailing bytes"));
    }

    [Test]
    public void Read_TrailingBytesGzip_ThrowsWithTheirCount()
    {
        var full = IdxTestFiles.Build([2], [1, 2]);
        using var stream = new MemoryStream(IdxTestFiles.Gzip([.. full, 0xAA, 0xBB]));

        Assert.That(
            () => IdxReader.Read(stream, expectedRank: 1),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("2 unexpected trailing bytes"));
    }

    [Test]
    public void Read_HugeDimensionsInSmallRawFile_ThrowsWithoutAllocating()
    {
        // 2,000,000,000 bytes: below Array.MaxLength, so only the length check stands between the header and a 2 GB allocation.
        using var stream = new MemoryStream(IdxTestFiles.Build([2000, 1000, 1000], [1, 2, 3]));
        var before = GC.GetAllocatedBytesForCurrentThread();

        Assert.That(
            () => IdxReader.Read(stream, expectedRank: 3),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("needs 2000000000 data bytes").And.Message.Contains("only 3 follow"));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(1 << 20));
    }

    [Test]
    public void Read_HugeDimensionsInSmallGzipFile_ThrowsWithoutAllocating()
    {
        using var stream = new MemoryStream(IdxTestFiles.Gzip(IdxTestFiles.Build([2000, 1000, 1000], [1, 2, 3])));
        var before = GC.GetAllocatedBytesForCurrentThread();

        Assert.That(
            () => IdxReader.Read(stream, expectedRank: 3),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("absurd shape [2000, 1000, 1000]"));
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(1 << 20));
    }

    [Test]
    public void Read_DimensionsBeyondAnyArray_ThrowsAbsurd()
    {
        var bytes = IdxTestFiles.Build([1, 1], []);
        bytes[4] = 0xFF; // first dimension 0xFF000001, above int.MaxValue
        using var stream = new MemoryStream(bytes);

        Assert.That(
            () => IdxReader.Read(stream, expectedRank: 2),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("absurd shape [4278190081, 1]"));
    }

    [Test]
    public void Read_CorruptGzipBody_ThrowsNamingTheSource()
    {
        // A valid gzip header (magic, deflate, no flags) followed by an invalid deflate block type (BTYPE = 11).
        byte[] bytes = [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF];
        using var stream = new MemoryStream(bytes);

        Assert.That(
            () => IdxReader.Read(stream, expectedRank: 1, sourceName: "broken.gz"),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("'broken.gz'"));
    }

    [Test]
    public void Read_GzipCutMidway_ThrowsNamingTheSource()
    {
        // Incompressible (seeded random) data so that cutting the compressed bytes in half loses data, not just the trailer.
        var data = new byte[4096];
        new Random(12).NextBytes(data);
        var gzip = IdxTestFiles.Gzip(IdxTestFiles.Build([4096], data));
        using var stream = new MemoryStream(gzip[..(gzip.Length / 2)]);

        Assert.That(
            () => IdxReader.Read(stream, expectedRank: 1, sourceName: "cut.gz"),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("'cut.gz'"));
    }

    [Test]
    public void Read_NonSeekableStream_ThrowsArgumentException()
    {
        using var inner = new MemoryStream(IdxTestFiles.Build([1], [1]));
        using var forwardOnly = new ForwardOnlyStream(inner);

        Assert.That(
            () => IdxReader.Read(forwardOnly, expectedRank: 1),
            Throws.ArgumentException.With.Message.Contains("CanSeek=False"));
    }

    [TestCase(0)]
    [TestCase(256)]
    public void Read_ExpectedRankOutOfRange_Throws(int rank)
    {
        using var stream = new MemoryStream(IdxTestFiles.Build([1], [1]));

        Assert.That(() => IdxReader.Read(stream, rank), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains($"got {rank}"));
    }

    [Test]
    public void Read_MissingFile_ThrowsFileNotFound()
    {
        Assert.That(() => IdxReader.Read(Path.Combine(_folder, "nope"), expectedRank: 1), Throws.TypeOf<FileNotFoundException>());
    }

    [Test]
    public void ReadLabeledImages_ValidPair_ScalesPixelsAndKeepsLabels()
    {
        byte[] pixels = [0, 255, 128, 51, 1, 2, 3, 4, 5, 6, 7, 8];
        var images = Path.Combine(_folder, "images");
        var labels = Path.Combine(_folder, "labels.gz");
        File.WriteAllBytes(images, IdxTestFiles.Build([3, 2, 2], pixels));
        File.WriteAllBytes(labels, IdxTestFiles.Gzip(IdxTestFiles.Build([3], [2, 0, 1])));

        var dataset = IdxReader.ReadLabeledImages(images, labels, numClasses: 3);

        Assert.Multiple(() =>
        {
            Assert.That(dataset.Count, Is.EqualTo(3));
            Assert.That(dataset.SampleShape, Is.EqualTo(new[] { 1, 2, 2 }));
            Assert.That(dataset.NumClasses, Is.EqualTo(3));
            Assert.That(dataset.Labels.ToArray(), Is.EqualTo(new[] { 2, 0, 1 }));
            Assert.That(dataset.GetFeatures(0).ToArray(), Is.EqualTo(new[] { 0f, 1f, 128f / 255f, 0.2f }));
            Assert.That(dataset.GetFeatures(2).ToArray(), Is.EqualTo(new[] { 5f / 255f, 6f / 255f, 7f / 255f, 8f / 255f }));
        });
    }

    [Test]
    public void ReadLabeledImages_CountMismatch_ThrowsWithBothCounts()
    {
        using var images = new MemoryStream(IdxTestFiles.Build([3, 1, 1], [1, 2, 3]));
        using var labels = new MemoryStream(IdxTestFiles.Build([2], [0, 1]));

        Assert.That(
            () => IdxReader.ReadLabeledImages(images, labels, numClasses: 10),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("holds 3 images").And.Message.Contains("holds 2 labels"));
    }

    [Test]
    public void ReadLabeledImages_LabelNotBelowNumClasses_ThrowsWithLabelAndIndex()
    {
        using var images = new MemoryStream(IdxTestFiles.Build([3, 1, 1], [1, 2, 3]));
        using var labels = new MemoryStream(IdxTestFiles.Build([3], [0, 9, 10]));

        Assert.That(
            () => IdxReader.ReadLabeledImages(images, labels, numClasses: 10),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("label 10 at index 2").And.Message.Contains("numClasses=10"));
    }

    [Test]
    public void ReadLabeledImages_LabelsFileGivenAsImages_ThrowsRankMismatch()
    {
        using var images = new MemoryStream(IdxTestFiles.Build([3], [1, 2, 3]));
        using var labels = new MemoryStream(IdxTestFiles.Build([3], [0, 1, 2]));

        Assert.That(
            () => IdxReader.ReadLabeledImages(images, labels, numClasses: 10),
            Throws.TypeOf<InvalidDataException>().With.Message.Contains("'images stream' has rank 1"));
    }

    [TestCase(0)]
    [TestCase(257)]
    public void ReadLabeledImages_NumClassesOutOfRange_Throws(int numClasses)
    {
        using var images = new MemoryStream(IdxTestFiles.Build([1, 1, 1], [1]));
        using var labels = new MemoryStream(IdxTestFiles.Build([1], [0]));

        Assert.That(() => IdxReader.ReadLabeledImages(images, labels, numClasses), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    /// <summary>A read-only stream that cannot seek, like a network stream.</summary>
    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
