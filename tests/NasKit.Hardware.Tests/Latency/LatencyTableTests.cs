using NasKit.Hardware.Latency;

namespace NasKit.Hardware.Tests.Latency;

public sealed class LatencyTableTests
{
    private static readonly LatencyTableMetadata s_metadata =
        new("Test CPU @ 2.0GHz", 2, "Linux 6.1", ".NET 10.0.0", 1, 3, 15, new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero), "bench box");

    private static LatencyTable Sample() => new(s_metadata, new Dictionary<string, double>
    {
        ["ReLU()@1x16x32x32"] = 0.0123456789012345,
        ["Conv2d(16, 16, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), bias=False)@1x16x32x32"] = 0.5,
        ["Nb201InferCell:self[Binary.Add:1x16x32x32*5]@1x16x32x32"] = 0.03,
    });

    [Test]
    public void ToJson_FromJson_RoundTripsEntriesAndMetadataExactly()
    {
        var table = Sample();
        var back = LatencyTable.FromJson(table.ToJson());
        Assert.Multiple(() =>
        {
            Assert.That(back.Metadata, Is.EqualTo(table.Metadata));
            Assert.That(back.Entries, Is.EquivalentTo(table.Entries));
            Assert.That(back.GetMilliseconds("ReLU()@1x16x32x32"), Is.EqualTo(0.0123456789012345), "doubles must round-trip bit for bit");
        });
    }

    [Test]
    public void ToJson_WritesVersionedFormatWithSortedEntries()
    {
        var json = Sample().ToJson();
        Assert.Multiple(() =>
        {
            Assert.That(json, Does.Contain("\"format\": \"naskit-latency-table\""));
            Assert.That(json, Does.Contain("\"version\": 1"));
            Assert.That(json, Does.Contain("\"threads\": 1"));
            Assert.That(json.IndexOf("Conv2d(", StringComparison.Ordinal), Is.LessThan(json.IndexOf("Nb201InferCell", StringComparison.Ordinal)));
            Assert.That(json.IndexOf("Nb201InferCell", StringComparison.Ordinal), Is.LessThan(json.IndexOf("ReLU()", StringComparison.Ordinal)));
        });
    }

    [Test]
    public void SaveLoad_File_RoundTrips()
    {
        var path = Path.Combine(Path.GetTempPath(), $"naskit-lut-{Guid.NewGuid():N}.json");
        try
        {
            Sample().Save(path);
            Assert.That(LatencyTable.Load(path).Entries, Is.EquivalentTo(Sample().Entries));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void FromJson_SyntaxError_ReportsLine()
    {
        const string json = "{\n  \"format\": \"naskit-latency-table\",\n  \"version\": 1\n  \"entries\": {}\n}";
        var e = Assert.Throws<LatencyTableFormatException>(() => LatencyTable.FromJson(json));
        Assert.Multiple(() =>
        {
            Assert.That(e!.LineNumber, Is.EqualTo(4));
            Assert.That(e.Message, Does.Contain("line 4"));
        });
    }

    [TestCase("\"repeats\": 15", "", "$.measurement.repeats", "is required but missing")]
    [TestCase("\"repeats\": 15", "\"repeats\": 0", "$.measurement.repeats", "must be >= 1, but is 0")]
    [TestCase("\"threads\": 1", "\"threads\": \"one\"", "$.measurement.threads", "must be an integer, but is the string \"one\"")]
    [TestCase("\"version\": 1", "\"version\": 2", "$.version", "is 2, but this NasKit reads version 1 only")]
    [TestCase("\"format\": \"naskit-latency-table\"", "\"format\": \"other\"", "$.format", "must be \"naskit-latency-table\"")]
    [TestCase("\"ReLU()@1x16x32x32\": 0.0123456789012345", "\"ReLU()@1x16x32x32\": -1", "$.entries[\"ReLU()@1x16x32x32\"]", "must be a finite number >= 0, but is -1")]
    [TestCase("\"ReLU()@1x16x32x32\": 0.0123456789012345", "\"ReLU()@1x16x32x32\": \"fast\"", "$.entries[\"ReLU()@1x16x32x32\"]", "must be a number of milliseconds")]
    [TestCase("\"createdUtc\": \"2025-03-04T05:06:07.0000000+00:00\"", "\"createdUtc\": \"yesterday\"", "$.measurement.createdUtc", "ISO 8601")]
    public void FromJson_BrokenField_NamesFieldAndRule(string original, string replacement, string path, string rule)
    {
        var json = Sample().ToJson();
        Assert.That(json, Does.Contain(original), "test setup: the field to break must be in the file");
        json = json.Replace(original + (replacement.Length == 0 ? "," : string.Empty), replacement, StringComparison.Ordinal);

        var e = Assert.Throws<LatencyTableFormatException>(() => LatencyTable.FromJson(json));

        Assert.Multiple(() =>
        {
            Assert.That(e!.Path, Is.EqualTo(path));
            Assert.That(e.Message, Does.Contain(path).And.Contain(rule));
        });
    }

    [Test]
    public void FromJson_DuplicateSignature_Throws()
    {
        var json = Sample().ToJson().Replace("\"ReLU()@1x16x32x32\": 0.0123456789012345", "\"ReLU()@1x16x32x32\": 1, \"ReLU()@1x16x32x32\": 2", StringComparison.Ordinal);
        var e = Assert.Throws<LatencyTableFormatException>(() => LatencyTable.FromJson(json));
        Assert.That(e!.Message, Does.Contain("appears twice"));
    }

    [Test]
    public void Load_MalformedFile_MessageNamesFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"naskit-lut-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, "[1, 2]");
            var e = Assert.Throws<LatencyTableFormatException>(() => LatencyTable.Load(path));
            Assert.That(e!.Message, Does.Contain(path).And.Contain("must hold a JSON object"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void GetMilliseconds_MissingSignature_ThrowsNamingIt()
    {
        var e = Assert.Throws<KeyNotFoundException>(() => Sample().GetMilliseconds("Conv2d(1, 1)@1x1x1x1"));
        Assert.That(e!.Message, Does.Contain("'Conv2d(1, 1)@1x1x1x1'").And.Contain("3 entries"));
    }

    [Test]
    public void Ctor_NegativeOrNaNValue_Throws()
    {
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentException>(() => _ = new LatencyTable(s_metadata, new Dictionary<string, double> { ["a"] = -0.1 }));
            Assert.Throws<ArgumentException>(() => _ = new LatencyTable(s_metadata, new Dictionary<string, double> { ["a"] = double.NaN }));
            Assert.Throws<ArgumentException>(() => _ = new LatencyTable(s_metadata, [new("a", 1), new("a", 2)]));
        });
    }

    [TestCase(LatencyMergeConflict.KeepExisting, 1.0)]
    [TestCase(LatencyMergeConflict.TakeIncoming, 3.0)]
    [TestCase(LatencyMergeConflict.TakeMinimum, 1.0)]
    public void Merge_Conflict_AppliesPolicy(LatencyMergeConflict policy, double expected)
    {
        var a = new LatencyTable(s_metadata, new Dictionary<string, double> { ["x"] = 1.0, ["y"] = 2.0 });
        var b = new LatencyTable(s_metadata, new Dictionary<string, double> { ["x"] = 3.0, ["z"] = 4.0 });

        var merged = a.Merge(b, policy);

        Assert.Multiple(() =>
        {
            Assert.That(merged.Count, Is.EqualTo(3));
            Assert.That(merged.GetMilliseconds("x"), Is.EqualTo(expected));
            Assert.That(merged.GetMilliseconds("z"), Is.EqualTo(4.0));
            Assert.That(a.Count, Is.EqualTo(2), "merge must not change the original");
        });
    }

    [Test]
    public void Merge_ConflictWithThrowPolicy_ThrowsWithBothValues()
    {
        var a = new LatencyTable(s_metadata, new Dictionary<string, double> { ["x"] = 1.0 });
        var b = new LatencyTable(s_metadata, new Dictionary<string, double> { ["x"] = 3.0 });
        var e = Assert.Throws<InvalidOperationException>(() => a.Merge(b));
        Assert.That(e!.Message, Does.Contain("'x'").And.Contain("1 ms").And.Contain("3 ms"));
    }

    [Test]
    public void Merge_OtherDevice_ThrowsUnlessAllowed()
    {
        var a = new LatencyTable(s_metadata, new Dictionary<string, double> { ["x"] = 1.0 });
        var b = new LatencyTable(s_metadata with { Threads = 4 }, new Dictionary<string, double> { ["y"] = 3.0 });
        Assert.Multiple(() =>
        {
            var e = Assert.Throws<ArgumentException>(() => a.Merge(b));
            Assert.That(e!.Message, Does.Contain("1 thread(s)").And.Contain("4 thread(s)"));
            Assert.That(a.Merge(b, requireSameDevice: false).Count, Is.EqualTo(2));
        });
    }
}
