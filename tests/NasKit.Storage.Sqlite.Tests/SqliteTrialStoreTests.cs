using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using NasKit.Optimizers;
using NasKit.Optimizers.Storage;
using NasKit.Testing;

namespace NasKit.Storage.Sqlite.Tests;

/// <summary>The trial-store conformance suite on a fresh SQLite file per test, plus what only a durable, shared file must do.</summary>
[TestFixture]
public sealed partial class SqliteTrialStoreTests : TrialStoreConformanceTests
{
    private static readonly Dictionary<string, string> s_attributes = new() { ["space"] = "nb201", ["objectives"] = "accuracy:max" };
    private readonly List<SqliteTrialStore> _stores = [];
    private string _folder = string.Empty;
    private int _files;

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "naskit-sqlite-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        _stores.Clear();
        Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public void Ctor_NewFile_UsesWriteAheadLogAndWritesSchemaVersion()
    {
        var path = NewPath();
        Track(new SqliteTrialStore(path)).Dispose();

        using var connection = Raw(path);
        Assert.Multiple(() =>
        {
            Assert.That(RawScalar(connection, "PRAGMA journal_mode;"), Is.EqualTo("wal"));
            Assert.That(RawScalar(connection, "SELECT version FROM schema_version;"), Is.EqualTo(2L));
            Assert.That(SqliteTrialStore.SchemaVersion, Is.EqualTo(2));
        });
    }

    [Test]
    public void Ctor_ReopenedFile_KeepsEveryField()
    {
        var path = NewPath();
        var clock = new ManualTimeProvider(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero));
        IReadOnlyList<FrozenTrial> before;
        using (var store = new SqliteTrialStore(path, new SqliteTrialStoreOptions { TimeProvider = clock }))
        {
            store.CreateOrOpenStudy("s", s_attributes);
            store.CreateOrOpenStudy("other", new Dictionary<string, string> { ["space"] = "darts" });
            store.CreateTrial("s", "arch-a", "hash-a", new Dictionary<string, double> { ["lr"] = 0.05, ["nan"] = double.NaN, ["inf"] = double.PositiveInfinity }, "host:1");
            store.CreateTrial("s", "arch-b", "hash-b", worker: "host:2");
            store.CreateTrial("s", "arch-c", "hash-c");
            store.CreateTrial("other", "arch-x", "hash-x");
            clock.Advance(TimeSpan.FromSeconds(3));
            store.Heartbeat("s", 0);
            store.ReportIntermediate("s", 0, new IntermediateValue(1, new Dictionary<string, double> { ["accuracy"] = 0.25, ["loss"] = 1.5 }));
            store.ReportIntermediate("s", 0, new IntermediateValue(0, new Dictionary<string, double> { ["accuracy"] = 0.125 }));
            store.ReportIntermediate("s", 0, new IntermediateValue(2, new Dictionary<string, double>()));
            clock.Advance(TimeSpan.FromSeconds(1.5));
            store.FinishTrial("s", 0, TrialState.Complete, new Dictionary<string, double> { ["accuracy"] = 0.1 + 0.2, ["macs"] = 123456789.0 });
            store.FinishTrial("s", 1, TrialState.Failed, failureReason: "loss diverged (NaN)");
            store.FinishTrial("s", 2, TrialState.Pruned);
            before = store.GetTrials("s");
        }

        using var reopened = Track(new SqliteTrialStore(path));
        var after = reopened.GetTrials("s");
        Assert.Multiple(() =>
        {
            Assert.That(reopened.CreateOrOpenStudy("s", s_attributes), Is.False);
            Assert.That(reopened.GetStudyAttributes("other"), Is.EquivalentTo(new Dictionary<string, string> { ["space"] = "darts" }));
            Assert.That(reopened.GetTrials("other").Single().Architecture, Is.EqualTo("arch-x"));
            Assert.That(after, Has.Count.EqualTo(3));
            for (var i = 0; i < 3; i++)
            {
                AssertSameTrial(after[i], before[i]);
            }

            // Values written by hand above, not read back from the first store, so a field dropped on both paths is caught.
            Assert.That(after[0].StartedAt, Is.EqualTo(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero)));
            Assert.That(after[0].LastHeartbeat, Is.EqualTo(new DateTimeOffset(2025, 3, 1, 12, 0, 3, TimeSpan.Zero)));
            Assert.That(after[0].FinishedAt, Is.EqualTo(new DateTimeOffset(2025, 3, 1, 12, 0, 4, 500, TimeSpan.Zero)));
            Assert.That(after[0].Metrics["accuracy"], Is.EqualTo(0.1 + 0.2), "REAL keeps every bit of a double");
            Assert.That(after[0].Parameters["nan"], Is.NaN);
            Assert.That(after[0].Parameters["inf"], Is.EqualTo(double.PositiveInfinity));
            Assert.That(after[0].Intermediate.Select(v => v.Step), Is.EqualTo(new[] { 1, 0, 2 }), "steps come back in the order they were reported");
            Assert.That(after[0].Intermediate[0].Values["loss"], Is.EqualTo(1.5));
            Assert.That(after[0].Intermediate[2].Values, Is.Empty);
            Assert.That(after[0].Worker, Is.EqualTo("host:1"));
            Assert.That(after[1].FailureReason, Is.EqualTo("loss diverged (NaN)"));
            Assert.That(after[2].State, Is.EqualTo(TrialState.Pruned));
            Assert.That(after[2].Worker, Is.Null);
        });
    }

    [Test]
    public void CreateTrial_FourStoresOnOneFileFromFourThreads_DenseNumbersNothingLost()
    {
        var path = NewPath();
        Track(new SqliteTrialStore(path)).CreateOrOpenStudy("s", s_attributes);
        const int Workers = 4;
        const int PerWorker = 30;
        var numbers = new ConcurrentBag<int>();
        var errors = new ConcurrentBag<Exception>();
        using var start = new Barrier(Workers);
        var threads = Enumerable.Range(0, Workers).Select(w => new Thread(() =>
        {
            try
            {
                using var store = new SqliteTrialStore(path, new SqliteTrialStoreOptions { RetryJitterSeed = w });
                store.CreateOrOpenStudy("s", s_attributes);
                start.SignalAndWait();
                for (var i = 0; i < PerWorker; i++)
                {
                    var t = store.CreateTrial("s", $"arch-{w}-{i}", $"hash-{w}-{i}", worker: $"w{w}");
                    numbers.Add(t.Number);
                    store.Heartbeat("s", t.Number);
                    store.ReportIntermediate("s", t.Number, new IntermediateValue(0, new Dictionary<string, double> { ["accuracy"] = w }));
                    store.FailStaleTrials("s", TimeSpan.FromMinutes(5));
                    store.FinishTrial("s", t.Number, TrialState.Complete, new Dictionary<string, double> { ["accuracy"] = w + (i / 100.0) });
                    _ = store.GetTrials("s");
                }
            }
            catch (Exception e)
            {
                errors.Add(e);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        var trials = Track(new SqliteTrialStore(path)).GetTrials("s");
        Assert.Multiple(() =>
        {
            Assert.That(errors.Select(e => e.Message), Is.Empty, "no 'database is locked' (or any other) failure");
            Assert.That(numbers.Order(), Is.EqualTo(Enumerable.Range(0, Workers * PerWorker)));
            Assert.That(trials.Select(t => t.Number), Is.EqualTo(Enumerable.Range(0, Workers * PerWorker)));
            Assert.That(trials.Count(t => t.State == TrialState.Complete), Is.EqualTo(Workers * PerWorker));
            Assert.That(trials.Select(t => t.Architecture).Distinct().Count(), Is.EqualTo(Workers * PerWorker));
            Assert.That(trials.All(t => t.Intermediate.Count == 1 && t.Metrics["accuracy"] >= t.Intermediate[0].Values["accuracy"]), Is.True);
        });
    }

    [Test]
    public void FailStaleTrials_FourStoresAtOnce_FailEachStaleTrialOnce()
    {
        var path = NewPath();
        var clock = new ManualTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var setup = Track(new SqliteTrialStore(path, new SqliteTrialStoreOptions { TimeProvider = clock }));
        setup.CreateOrOpenStudy("s", s_attributes);
        for (var i = 0; i < 20; i++)
        {
            setup.CreateTrial("s", $"a{i}", $"h{i}", worker: $"host:{i}");
        }

        clock.Advance(TimeSpan.FromMinutes(10));
        setup.CreateTrial("s", "fresh", "h-fresh", worker: "host:alive");
        var stores = Enumerable.Range(0, 4).Select(w => Track(new SqliteTrialStore(path, new SqliteTrialStoreOptions { TimeProvider = clock, RetryJitterSeed = w }))).ToList();
        var results = new IReadOnlyList<FrozenTrial>[4];
        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, w => results[w] = stores[w].FailStaleTrials("s", TimeSpan.FromMinutes(1)));

        var failed = results.SelectMany(r => r).Select(t => t.Number).Order().ToList();
        var trials = setup.GetTrials("s");
        Assert.Multiple(() =>
        {
            Assert.That(failed, Is.EqualTo(Enumerable.Range(0, 20)), "every stale trial failed exactly once across the four stores");
            Assert.That(trials.Take(20).All(t => t.IsLeaseExpired && t.FailureReason!.Contains($"host:{t.Number}'", StringComparison.Ordinal)), Is.True);
            Assert.That(trials[20].State, Is.EqualTo(TrialState.Running));
            Assert.That(results.SelectMany(r => r).All(t => t.FinishedAt == clock.GetUtcNow()), Is.True);
        });
    }

    [Test]
    public void FailStaleTrials_ReasonAndResult_SameAsInMemoryStore()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var sqlite = Track(new SqliteTrialStore(NewPath(), new SqliteTrialStoreOptions { TimeProvider = clock }));
        var memory = new InMemoryTrialStore(clock);
        foreach (var store in new ITrialStore[] { sqlite, memory })
        {
            store.CreateOrOpenStudy("s", s_attributes);
            store.CreateTrial("s", "a", "h", worker: "host:7");
            store.CreateTrial("s", "b", "h2");
        }

        clock.Advance(TimeSpan.FromSeconds(90));
        var fromSqlite = sqlite.FailStaleTrials("s", TimeSpan.FromSeconds(60));
        var fromMemory = memory.FailStaleTrials("s", TimeSpan.FromSeconds(60));
        Assert.That(fromSqlite, Has.Count.EqualTo(2));
        for (var i = 0; i < 2; i++)
        {
            AssertSameTrial(fromSqlite[i], fromMemory[i]);
        }

        Assert.That(fromSqlite[1].FailureReason, Does.StartWith(FrozenTrial.LeaseExpiredReason).And.Contain("'unknown'").And.Contain("60 s"));
    }

    [Test]
    public void FailStaleTrials_HeartbeatExactlyLeaseOld_NotStale()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var store = Track(new SqliteTrialStore(NewPath(), new SqliteTrialStoreOptions { TimeProvider = clock }));
        store.CreateOrOpenStudy("s", s_attributes);
        store.CreateTrial("s", "a", "h");
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.That(store.FailStaleTrials("s", TimeSpan.FromSeconds(60)), Is.Empty, "stale means silent for more than the lease (TrialStateRules.IsStale)");
        clock.Advance(TimeSpan.FromTicks(1));
        Assert.That(store.FailStaleTrials("s", TimeSpan.FromSeconds(60)).Single().Number, Is.EqualTo(0));
        Assert.That(store.FailStaleTrials("s", TimeSpan.MaxValue), Is.Empty);
    }

    [Test]
    public void Ctor_NewerSchemaVersion_RefusedAndFileUnchanged()
    {
        var path = NewPath();
        using (var store = new SqliteTrialStore(path))
        {
            store.CreateOrOpenStudy("s", s_attributes);
            store.CreateTrial("s", "a", "h");
        }

        using (var connection = Raw(path))
        {
            RawExecute(connection, "UPDATE schema_version SET version = 7;");
        }

        var bytes = File.ReadAllBytes(path);
        var e = Assert.Throws<NotSupportedException>(() => Track(new SqliteTrialStore(path)));
        Assert.Multiple(() =>
        {
            Assert.That(e!.Message, Does.Contain("schema version 7").And.Contain("version 2").And.Contain(path));
            Assert.That(File.ReadAllBytes(path), Is.EqualTo(bytes));
        });
        using var check = Raw(path);
        Assert.That(RawScalar(check, "SELECT COUNT(*) FROM trials;"), Is.EqualTo(1L));
    }

    [Test]
    public void Ctor_NotASqliteFile_RefusedAndFileUnchanged()
    {
        var path = NewPath();
        var text = "trial,accuracy\n0,0.91\n"u8.ToArray();
        File.WriteAllBytes(path, text);

        var e = Assert.Throws<InvalidDataException>(() => Track(new SqliteTrialStore(path)));
        Assert.Multiple(() =>
        {
            Assert.That(e!.Message, Does.Contain(path).And.Contain("not a SQLite database").And.Contain("not modified"));
            Assert.That(File.ReadAllBytes(path), Is.EqualTo(text));
            Assert.That(File.Exists(path + "-wal") || File.Exists(path + "-shm"), Is.False);
        });
    }

    [Test]
    public void Ctor_ForeignSqliteDatabase_RefusedAndTablesUntouched()
    {
        var path = NewPath();
        using (var connection = Raw(path))
        {
            RawExecute(connection, "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers (name) VALUES ('ada');");
        }

        var bytes = File.ReadAllBytes(path);
        var e = Assert.Throws<InvalidDataException>(() => Track(new SqliteTrialStore(path)));
        Assert.Multiple(() =>
        {
            Assert.That(e!.Message, Does.Contain("customers").And.Contain("not a NasKit trial store"));
            Assert.That(File.ReadAllBytes(path), Is.EqualTo(bytes));
        });
    }

    [Test]
    public void Ctor_EmptyExistingFile_BecomesAStore()
    {
        var path = NewPath();
        File.WriteAllBytes(path, []);
        var store = Track(new SqliteTrialStore(path));
        Assert.That(store.CreateOrOpenStudy("s", s_attributes), Is.True);
    }

    [Test]
    public void Ctor_MissingFolder_ThrowsNamingIt()
    {
        var path = Path.Combine(_folder, "no-such-folder", "study.db");
        var e = Assert.Throws<DirectoryNotFoundException>(() => Track(new SqliteTrialStore(path)));
        Assert.That(e!.Message, Does.Contain("no-such-folder"));
    }

    [Test]
    public void Ctor_InvalidOptions_ListsEveryProblem()
    {
        var options = new SqliteTrialStoreOptions { RetryCount = -1, RetryBaseDelay = TimeSpan.FromSeconds(2), RetryMaxDelay = TimeSpan.FromSeconds(1) };
        var e = Assert.Throws<ArgumentException>(() => Track(new SqliteTrialStore(NewPath(), options)));
        Assert.That(e!.Message, Does.Contain("RetryCount").And.Contain("-1").And.Contain("RetryMaxDelay").And.Contain("00:00:02"));
    }

    [Test]
    public void GetTrials_AfterDispose_ThrowsObjectDisposed()
    {
        var store = Track(new SqliteTrialStore(NewPath()));
        store.CreateOrOpenStudy("s", s_attributes);
        store.Dispose();
        Assert.Throws<ObjectDisposedException>(() => store.GetTrials("s"));
    }

    [Test]
    [Category("Slow")]
    public void CreateTrial_FileLockedLongerThanBusyTimeout_RetriesThenSucceeds()
    {
        var path = NewPath();
        var store = Track(new SqliteTrialStore(path, new SqliteTrialStoreOptions
        {
            BusyTimeout = TimeSpan.Zero, RetryCount = 20, RetryBaseDelay = TimeSpan.FromMilliseconds(50), RetryMaxDelay = TimeSpan.FromMilliseconds(200), RetryJitterSeed = 1,
        }));
        store.CreateOrOpenStudy("s", s_attributes);
        using var blocker = Raw(path);
        RawExecute(blocker, "BEGIN IMMEDIATE;");
        var release = Task.Run(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5)).ConfigureAwait(false);
            RawExecute(blocker, "COMMIT;");
        });

        var trial = store.CreateTrial("s", "a", "h");
        release.Wait();
        Assert.Multiple(() =>
        {
            Assert.That(trial.Number, Is.EqualTo(0));
            Assert.That(store.GetTrials("s").Single().Architecture, Is.EqualTo("a"));
        });
    }

    [Test]
    [Category("Slow")]
    public void CreateTrial_FileLockedAndNoRetries_ThrowsBusyAndWritesNothing()
    {
        var path = NewPath();
        var store = Track(new SqliteTrialStore(path, new SqliteTrialStoreOptions { BusyTimeout = TimeSpan.Zero, RetryCount = 0 }));
        store.CreateOrOpenStudy("s", s_attributes);
        using var blocker = Raw(path);
        RawExecute(blocker, "BEGIN IMMEDIATE;");
        var e = Assert.Throws<SqliteException>(() => store.CreateTrial("s", "a", "h"));
        RawExecute(blocker, "COMMIT;");
        Assert.Multiple(() =>
        {
            Assert.That(e!.SqliteErrorCode, Is.EqualTo(5), "SQLITE_BUSY");
            Assert.That(store.GetTrials("s"), Is.Empty);
        });
    }

    protected override ITrialStore CreateStore() => Track(new SqliteTrialStore(NewPath()));

    protected override ITrialStore Reopen(ITrialStore store)
    {
        var path = ((SqliteTrialStore)store).FilePath;
        ((SqliteTrialStore)store).Dispose();
        return Track(new SqliteTrialStore(path));
    }

    private static void AssertSameTrial(FrozenTrial actual, FrozenTrial expected)
    {
        Assert.That(actual.Number, Is.EqualTo(expected.Number));
        Assert.That(actual.State, Is.EqualTo(expected.State));
        Assert.That(actual.Architecture, Is.EqualTo(expected.Architecture));
        Assert.That(actual.CanonicalHash, Is.EqualTo(expected.CanonicalHash));
        Assert.That(actual.Worker, Is.EqualTo(expected.Worker));
        Assert.That(actual.StartedAt, Is.EqualTo(expected.StartedAt));
        Assert.That(actual.FinishedAt, Is.EqualTo(expected.FinishedAt));
        Assert.That(actual.LastHeartbeat, Is.EqualTo(expected.LastHeartbeat));
        Assert.That(actual.FailureReason, Is.EqualTo(expected.FailureReason));
        Assert.That(actual.Metrics, Is.EquivalentTo(expected.Metrics));
        Assert.That(actual.Parameters.Keys, Is.EqualTo(expected.Parameters.Keys));
        Assert.That(actual.Parameters.Values, Is.EqualTo(expected.Parameters.Values));
        Assert.That(actual.Intermediate.Select(v => v.Step), Is.EqualTo(expected.Intermediate.Select(v => v.Step)));
        Assert.That(actual.Intermediate.Select(v => v.Values), Is.EqualTo(expected.Intermediate.Select(v => v.Values)));
    }

    private static SqliteConnection Raw(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static void RawExecute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? RawScalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private string NewPath() => Path.Combine(_folder, $"store-{_files++}.db");

    private SqliteTrialStore Track(SqliteTrialStore store)
    {
        _stores.Add(store);
        return store;
    }
}
