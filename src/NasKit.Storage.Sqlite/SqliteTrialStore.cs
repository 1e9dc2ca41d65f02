using System.Globalization;
using Microsoft.Data.Sqlite;
using NasKit.Optimizers;
using NasKit.Optimizers.Distributions;
using NasKit.Optimizers.Storage;
using NasKit.Storage.Sqlite.Internal;

namespace NasKit.Storage.Sqlite;

/// <summary>
/// A durable <see cref="ITrialStore"/> on one SQLite file: studies survive the process (and a kill -9), and several processes may
/// share one file, each with its own store.
/// </summary>
/// <remarks>
/// <para><b>Durability.</b> The file uses SQLite's write-ahead log with <c>synchronous=FULL</c>: every call that changes a trial is
/// one transaction, committed (and the log synced to disk) before the call returns, so an acknowledged state change survives a
/// crash of the process and of the machine. (<c>NORMAL</c> would survive a process crash but could lose the last commits on power
/// loss.) A killed process loses at most the change it had not yet been told was committed.</para>
/// <para><b>Several processes.</b> Every write starts with <c>BEGIN IMMEDIATE</c>, taking the file's write lock before reading, so a
/// read-then-write (the next trial number, the state check before finishing) cannot interleave with another writer. Readers are
/// never blocked (WAL). A writer that finds the file locked waits (<see cref="SqliteTrialStoreOptions.BusyTimeout"/>), then rolls
/// back and retries with exponential backoff and jitter (<see cref="SqliteTrialStoreOptions.RetryCount"/>).</para>
/// <para><b>Rules.</b> Validation is the same as every store's (<see cref="TrialStateRules"/>); a refused call changes nothing.</para>
/// <para><b>Safety of the file.</b> A file that is not a SQLite database, a SQLite database that is not a trial store, or a trial
/// store of a newer schema version is refused before anything is written to it.</para>
/// <para>Thread-safe: one connection per store, used under a lock. Dispose the store to close the file.</para>
/// </remarks>
public sealed class SqliteTrialStore : ITrialStore, IDisposable
{
    private const string LeaseReasonFunction = "naskit_lease_reason";
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;

    private readonly Lock _gate = new();
    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;
    private readonly RetryBackoff _backoff;
    private readonly int _retryCount;
    private bool _disposed;

    /// <summary>Initializes a new instance of the <see cref="SqliteTrialStore"/> class, opening the file or creating it.</summary>
    /// <param name="path">The database file; created (with its tables) when it does not exist or is empty.</param>
    /// <param name="options">The options; null uses the defaults.</param>
    /// <exception cref="ArgumentException">The path is empty, or an option is out of range (the message lists every problem).</exception>
    /// <exception cref="DirectoryNotFoundException">The file's folder does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a SQLite database, or is one but not a NasKit trial store; it is not modified.</exception>
    /// <exception cref="NotSupportedException">The file is a trial store of a newer schema version; it is not modified.</exception>
    /// <exception cref="SqliteException">SQLite failed to open or set up the file (for example, it stayed locked through every retry).</exception>
    public SqliteTrialStore(string path, SqliteTrialStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new SqliteTrialStoreOptions();
        Validate(options);
        FilePath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(FilePath);
        if (folder is not null && !Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Cannot open the trial store '{FilePath}': its folder '{folder}' does not exist.");
        }

        EnsureSqliteFileOrAbsent(FilePath);
        _time = options.TimeProvider ?? TimeProvider.System;
        _retryCount = options.RetryCount;
        _backoff = new RetryBackoff(options.RetryBaseDelay, options.RetryMaxDelay, options.RetryJitterSeed ?? RetryBackoff.DefaultSeed());
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds)),
        }.ToString();
        _connection = new SqliteConnection(connectionString);
        try
        {
            _connection.CreateFunction<string?, long, long, string>(
                LeaseReasonFunction,
                (worker, heartbeat, leaseTicks) => TrialStateRules.LeaseExpiredReason(worker, FromTicks(heartbeat), TimeSpan.FromTicks(leaseTicks)),
                isDeterministic: true);
            _connection.Open();
            Pragma(string.Create(CultureInfo.InvariantCulture, $"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds};"));
            Initialize();
        }
        catch
        {
            _connection.Dispose();
            throw;
        }
    }

    /// <summary>Gets the schema version this store writes and understands; files of a newer version are refused.</summary>
    public static int SchemaVersion => SqliteSchema.Version;

    /// <summary>Gets the full path of the database file.</summary>
    public string FilePath { get; }

    /// <inheritdoc/>
    public bool CreateOrOpenStudy(string name, IReadOnlyDictionary<string, string> attributes)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(attributes);
        return Write(() =>
        {
            var id = FindStudy(name);
            if (id is { } existing)
            {
                TrialStateRules.EnsureSameAttributes(name, ReadAttributes(existing), attributes);
                return false;
            }

            var studyId = Scalar<long>("INSERT INTO studies (name) VALUES ($name) RETURNING study_id;", ("$name", name));
            foreach (var (key, value) in attributes)
            {
                Execute("INSERT INTO study_attributes (study_id, key, value) VALUES ($s, $k, $v);", ("$s", studyId), ("$k", key), ("$v", value));
            }

            return true;
        });
    }

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, string>? GetStudyAttributes(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Read(() => FindStudy(name) is { } id ? ReadAttributes(id) : null);
    }

    /// <inheritdoc/>
    public FrozenTrial CreateTrial(string study, string architecture, string canonicalHash, IReadOnlyDictionary<string, double>? parameters = null, string? worker = null)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(canonicalHash);
        return Write(() =>
        {
            var id = StudyId(study);
            var number = (int)Scalar<long>("SELECT COALESCE(MAX(number) + 1, 0) FROM trials WHERE study_id = $s;", ("$s", id));
            var now = _time.GetUtcNow();
            Execute(
                """
                INSERT INTO trials (study_id, number, state, architecture, canonical_hash, worker, started_at, heartbeat_at)
                VALUES ($s, $n, $state, $arch, $hash, $worker, $now, $now);
                """,
                ("$s", id), ("$n", number), ("$state", nameof(TrialState.Running)), ("$arch", architecture), ("$hash", canonicalHash),
                ("$worker", worker), ("$now", now.UtcTicks));
            var copy = parameters is null ? new Dictionary<string, double>() : new Dictionary<string, double>(parameters, StringComparer.Ordinal);
            foreach (var (key, value) in copy)
            {
                Execute("INSERT INTO trial_parameters (study_id, number, name, value) VALUES ($s, $n, $k, $v);", ("$s", id), ("$n", number), ("$k", key), ("$v", value));
            }

            return new FrozenTrial
            {
                Number = number,
                State = TrialState.Running,
                Architecture = architecture,
                CanonicalHash = canonicalHash,
                Parameters = copy,
                StartedAt = now,
                Worker = worker,
                LastHeartbeat = now,
            };
        });
    }

    /// <inheritdoc/>
    public void Heartbeat(string study, int number) => Write(() =>
    {
        var id = StudyId(study);
        var changed = Execute(
            "UPDATE trials SET heartbeat_at = $now WHERE study_id = $s AND number = $n AND state = $running;",
            ("$now", _time.GetUtcNow().UtcTicks), ("$s", id), ("$n", number), ("$running", nameof(TrialState.Running)));
        if (changed == 0)
        {
            EnsureTrialExists(study, id, number); // a finished trial ignores heartbeats; an unknown one is an error
        }

        return true;
    });

    /// <inheritdoc/>
    /// <remarks>One <c>UPDATE … WHERE state = 'Running' AND heartbeat_at &lt; now − lease … RETURNING</c> inside a write transaction, so
    /// two processes calling it at once fail each stale trial exactly once. The reason is written by
    /// <see cref="TrialStateRules.LeaseExpiredReason"/>, called from SQL.</remarks>
    public IReadOnlyList<FrozenTrial> FailStaleTrials(string study, TimeSpan lease)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        return Write(() =>
        {
            var id = StudyId(study);
            var now = _time.GetUtcNow();
            var cutoff = lease.Ticks >= now.UtcTicks ? long.MinValue : now.UtcTicks - lease.Ticks; // stale: now - heartbeat > lease
            var numbers = new List<int>();
            using (var command = Command(
                $"""
                UPDATE trials SET state = $failed, finished_at = $now, failure_reason = {LeaseReasonFunction}(worker, heartbeat_at, $lease)
                WHERE study_id = $s AND state = $running AND heartbeat_at < $cutoff
                RETURNING number;
                """,
                ("$failed", nameof(TrialState.Failed)), ("$now", now.UtcTicks), ("$lease", lease.Ticks), ("$s", id),
                ("$running", nameof(TrialState.Running)), ("$cutoff", cutoff)))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    numbers.Add(reader.GetInt32(0));
                }
            }

            numbers.Sort();
            return (IReadOnlyList<FrozenTrial>)numbers.Select(n => LoadTrials(id, n).Single()).ToList();
        });
    }

    /// <inheritdoc/>
    /// <remarks>Checked and written in one write transaction, so two workers giving one name two distributions cannot both succeed.</remarks>
    public void SetTrialParameter(string study, int number, string name, double value, ParameterDistribution distribution)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(distribution);
        Write(() =>
        {
            var id = StudyId(study);
            var trial = LoadTrial(study, id, number);
            var existing = Scalar<string?>(
                "SELECT distribution FROM trial_parameters WHERE study_id = $s AND name = $k AND distribution IS NOT NULL LIMIT 1;", ("$s", id), ("$k", name));
            TrialStateRules.EnsureCanSetParameter(study, trial, name, value, distribution, existing is null ? null : ParameterDistribution.FromJson(existing));
            Execute(
                "INSERT INTO trial_parameters (study_id, number, name, value, distribution) VALUES ($s, $n, $k, $v, $d);",
                ("$s", id), ("$n", number), ("$k", name), ("$v", value), ("$d", distribution.ToJson()));
            return true;
        });
    }

    /// <inheritdoc/>
    public void ReportIntermediate(string study, int number, IntermediateValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Write(() =>
        {
            var id = StudyId(study);
            var trial = LoadTrial(study, id, number);
            TrialStateRules.EnsureCanReport(study, trial, value);
            Execute("INSERT INTO trial_intermediate_steps (study_id, number, step) VALUES ($s, $n, $step);", ("$s", id), ("$n", number), ("$step", value.Step));
            foreach (var (key, v) in value.Values)
            {
                Execute(
                    "INSERT INTO trial_intermediate_values (study_id, number, step, name, value) VALUES ($s, $n, $step, $k, $v);",
                    ("$s", id), ("$n", number), ("$step", value.Step), ("$k", key), ("$v", v));
            }

            return true;
        });
    }

    /// <inheritdoc/>
    public FrozenTrial FinishTrial(string study, int number, TrialState state, IReadOnlyDictionary<string, double>? metrics = null, string? failureReason = null) =>
        Write(() =>
        {
            var id = StudyId(study);
            var trial = LoadTrial(study, id, number);
            var finished = TrialStateRules.Finish(study, trial, state, metrics, failureReason, _time.GetUtcNow());
            var changed = Execute(
                "UPDATE trials SET state = $state, finished_at = $now, failure_reason = $reason WHERE study_id = $s AND number = $n AND state = $running;",
                ("$state", finished.State.ToString()), ("$now", finished.FinishedAt!.Value.UtcTicks), ("$reason", finished.FailureReason),
                ("$s", id), ("$n", number), ("$running", nameof(TrialState.Running)));
            if (changed != 1)
            {
                // Cannot happen while the write lock is held (the state was read in this transaction); guard the invariant anyway.
                throw new InvalidOperationException($"Trial {number} of study '{study}' changed state while it was being finished; nothing was written.");
            }

            foreach (var (key, value) in finished.Metrics)
            {
                Execute("INSERT INTO trial_metrics (study_id, number, name, value) VALUES ($s, $n, $k, $v);", ("$s", id), ("$n", number), ("$k", key), ("$v", value));
            }

            return finished;
        });

    /// <inheritdoc/>
    public IReadOnlyList<FrozenTrial> GetTrials(string study) => Read(() => LoadTrials(StudyId(study), null));

    /// <summary>Closes the file; later calls throw <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (!_disposed)
            {
                _disposed = true;
                _connection.Dispose();
            }
        }
    }

    private static void Validate(SqliteTrialStoreOptions options)
    {
        var problems = new List<string>();
        if (options.BusyTimeout < TimeSpan.Zero)
        {
            problems.Add($"BusyTimeout must not be negative, but is {options.BusyTimeout}");
        }

        if (options.RetryCount is < 0 or > SqliteTrialStoreOptions.MaxRetryCount)
        {
            problems.Add($"RetryCount must be in [0, {SqliteTrialStoreOptions.MaxRetryCount}], but is {options.RetryCount}");
        }

        if (options.RetryBaseDelay < TimeSpan.Zero)
        {
            problems.Add($"RetryBaseDelay must not be negative, but is {options.RetryBaseDelay}");
        }

        if (options.RetryMaxDelay < options.RetryBaseDelay)
        {
            problems.Add($"'RetryBaseDelay <= RetryMaxDelay' must hold, but RetryBaseDelay is {options.RetryBaseDelay} and RetryMaxDelay is {options.RetryMaxDelay}");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"Invalid SqliteTrialStoreOptions: {string.Join("; ", problems)}.", nameof(options));
        }
    }

    /// <summary>Refuses, without writing to it, an existing non-empty file that does not start with SQLite's magic header.</summary>
    private static void EnsureSqliteFileOrAbsent(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        Span<byte> header = stackalloc byte[16];
        int read;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            if (stream.Length == 0)
            {
                return; // SQLite treats an empty file as an empty database: nothing to lose
            }

            read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }

        if (!header[..read].SequenceEqual(SqliteSchema.FileHeader))
        {
            throw new InvalidDataException(
                $"The file '{path}' is not a SQLite database (its first {read} bytes are {Convert.ToHexString(header[..read])}, a SQLite file starts with " +
                $"{Convert.ToHexString(SqliteSchema.FileHeader)}); the trial store refuses to open it, and the file was not modified.");
        }
    }

    private static DateTimeOffset FromTicks(long ticks) => new(ticks, TimeSpan.Zero);

    private static bool IsBusy(SqliteException e) => (e.SqliteErrorCode & 0xFF) is SqliteBusy or SqliteLocked;

    private static double ReadDouble(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? double.NaN : reader.GetDouble(ordinal);

    private void Initialize()
    {
        // Inspect before changing anything: a foreign or newer file must be refused untouched (even switching to WAL writes to it).
        WithRetry(CheckExistingSchema);
        WithRetry(() =>
        {
            var mode = Scalar<string>("PRAGMA journal_mode = WAL;");
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new NotSupportedException($"The trial store '{FilePath}' could not switch to write-ahead logging (journal mode is '{mode}'); the file system may not support it.");
            }

            return true;
        });
        Pragma("PRAGMA synchronous = FULL;");
        Pragma("PRAGMA foreign_keys = ON;");
        Write(() =>
        {
            Execute(SqliteSchema.Create);
            var version = CheckExistingSchema();
            if (version is null)
            {
                Execute("INSERT INTO schema_version (version) VALUES ($v);", ("$v", SqliteSchema.Version));
            }
            else if (version == 1)
            {
                // A file of the previous version: upgraded in this write transaction, so a second process opening it at the same time
                // either sees version 1 and waits for the lock, or sees version 2.
                Execute(SqliteSchema.MigrateFrom1);
            }

            return true;
        });
    }

    /// <summary>Checks the file's tables and schema version; returns the version, or null when the version row is still to be written
    /// (a new file).</summary>
    private long? CheckExistingSchema()
    {
        var tables = new List<string>();
        using (var command = Command("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name;"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }

        if (!tables.Contains("schema_version"))
        {
            return tables.Count == 0 || tables.TrueForAll(t => SqliteSchema.Create.Contains($"CREATE TABLE IF NOT EXISTS {t} (", StringComparison.Ordinal))
                ? null
                : throw new InvalidDataException(
                    $"The file '{FilePath}' is a SQLite database but not a NasKit trial store (it has the tables {string.Join(", ", tables)} and no schema_version); " +
                    "the trial store refuses to add its tables to it, and the file was not modified.");
        }

        var version = Scalar<long?>("SELECT MAX(version) FROM schema_version;");
        if (version is null)
        {
            return null; // created by a store that has not yet written its version row: its transaction rolled back
        }

        if (version > SqliteSchema.Version)
        {
            throw new NotSupportedException(
                $"The trial store '{FilePath}' has schema version {version}, newer than version {SqliteSchema.Version} that this NasKit.Storage.Sqlite understands; " +
                "open it with a newer NasKit (the file was not modified).");
        }

        if (version < 1)
        {
            throw new NotSupportedException(
                $"The trial store '{FilePath}' has schema version {version}, older than version 1 and with no migration; the file was not modified.");
        }

        return version;
    }

    private T Write<T>(Func<T> work) => Transact(deferred: false, work);

    private T Read<T>(Func<T> work) => Transact(deferred: true, work);

    /// <summary>Runs one unit of work in a transaction (BEGIN IMMEDIATE for writes), retrying it whole while the file is busy.</summary>
    private T Transact<T>(bool deferred, Func<T> work) => WithRetry(() =>
    {
        using var transaction = _connection.BeginTransaction(deferred);
        var result = work();
        transaction.Commit();
        return result;
    });

    private T WithRetry<T>(Func<T> work)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    return work();
                }
                catch (SqliteException e) when (IsBusy(e) && attempt < _retryCount)
                {
                    // The transaction was rolled back (nothing of this attempt is stored); wait and run the whole unit again.
                    Thread.Sleep(_backoff.Delay(attempt));
                }
            }
        }
    }

    private void Pragma(string sql) => WithRetry(() => Execute(sql));

    private SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            // SQLite has no NaN (the driver refuses to bind it); NULL stands for it and reads back as NaN (ReadDouble).
            command.Parameters.AddWithValue(name, value is null or double.NaN ? DBNull.Value : value);
        }

        return command;
    }

    private int Execute(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        return command.ExecuteNonQuery();
    }

    private T Scalar<T>(string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        var value = command.ExecuteScalar();
        return value is null or DBNull ? default! : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), CultureInfo.InvariantCulture);
    }

    private long? FindStudy(string name) => Scalar<long?>("SELECT study_id FROM studies WHERE name = $name;", ("$name", name));

    private long StudyId(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return FindStudy(name) ?? throw TrialStateRules.UnknownStudy(name);
    }

    private Dictionary<string, string> ReadAttributes(long studyId)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        using var command = Command("SELECT key, value FROM study_attributes WHERE study_id = $s ORDER BY rowid;", ("$s", studyId));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            attributes[reader.GetString(0)] = reader.GetString(1);
        }

        return attributes;
    }

    private void EnsureTrialExists(string study, long studyId, int number)
    {
        var count = (int)Scalar<long>("SELECT COUNT(*) FROM trials WHERE study_id = $s;", ("$s", studyId));
        if (number < 0 || number >= count)
        {
            throw TrialStateRules.UnknownTrial(study, number, count);
        }
    }

    private FrozenTrial LoadTrial(string study, long studyId, int number)
    {
        var trials = LoadTrials(studyId, number);
        if (trials.Count == 0)
        {
            EnsureTrialExists(study, studyId, number);
        }

        return trials.Single();
    }

    /// <summary>Reads the trials of a study (or one trial) with their metrics, parameters and intermediate values, by number.</summary>
    private List<FrozenTrial> LoadTrials(long studyId, int? number)
    {
        var filter = number is null ? "study_id = $s" : "study_id = $s AND number = $n";
        (string, object?)[] parameters = number is null ? [("$s", studyId)] : [("$s", studyId), ("$n", number.Value)];
        var metrics = ReadValues($"SELECT number, name, value FROM trial_metrics WHERE {filter} ORDER BY rowid;", parameters);
        var trialParameters = ReadValues($"SELECT number, name, value FROM trial_parameters WHERE {filter} ORDER BY rowid;", parameters);
        var distributions = ReadDistributions(filter, parameters);
        var intermediate = ReadIntermediate(filter, parameters);
        var trials = new List<FrozenTrial>();
        using var command = Command(
            $"""
            SELECT number, state, architecture, canonical_hash, worker, started_at, finished_at, heartbeat_at, failure_reason
            FROM trials WHERE {filter} ORDER BY number;
            """,
            parameters);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var n = reader.GetInt32(0);
            var stateText = reader.GetString(1);
            if (!Enum.TryParse<TrialState>(stateText, ignoreCase: false, out var state) || !Enum.IsDefined(state))
            {
                throw new InvalidDataException($"Trial {n} in '{FilePath}' has the unknown state '{stateText}'.");
            }

            trials.Add(new FrozenTrial
            {
                Number = n,
                State = state,
                Architecture = reader.GetString(2),
                CanonicalHash = reader.GetString(3),
                Worker = reader.IsDBNull(4) ? null : reader.GetString(4),
                StartedAt = FromTicks(reader.GetInt64(5)),
                FinishedAt = reader.IsDBNull(6) ? null : FromTicks(reader.GetInt64(6)),
                LastHeartbeat = FromTicks(reader.GetInt64(7)),
                FailureReason = reader.IsDBNull(8) ? null : reader.GetString(8),
                Metrics = metrics.GetValueOrDefault(n) ?? new Dictionary<string, double>(StringComparer.Ordinal),
                Parameters = trialParameters.GetValueOrDefault(n) ?? new Dictionary<string, double>(StringComparer.Ordinal),
                Distributions = distributions.GetValueOrDefault(n) ?? new Dictionary<string, ParameterDistribution>(StringComparer.Ordinal),
                Intermediate = intermediate.GetValueOrDefault(n) ?? [],
            });
        }

        return trials;
    }

    private Dictionary<int, Dictionary<string, double>> ReadValues(string sql, (string, object?)[] parameters)
    {
        var byTrial = new Dictionary<int, Dictionary<string, double>>();
        using var command = Command(sql, parameters);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var n = reader.GetInt32(0);
            if (!byTrial.TryGetValue(n, out var values))
            {
                byTrial[n] = values = new Dictionary<string, double>(StringComparer.Ordinal);
            }

            values[reader.GetString(1)] = ReadDouble(reader, 2);
        }

        return byTrial;
    }

    private Dictionary<int, Dictionary<string, ParameterDistribution>> ReadDistributions(string filter, (string, object?)[] parameters)
    {
        var byTrial = new Dictionary<int, Dictionary<string, ParameterDistribution>>();
        using var command = Command($"SELECT number, name, distribution FROM trial_parameters WHERE {filter} AND distribution IS NOT NULL ORDER BY rowid;", parameters);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var n = reader.GetInt32(0);
            if (!byTrial.TryGetValue(n, out var values))
            {
                byTrial[n] = values = new Dictionary<string, ParameterDistribution>(StringComparer.Ordinal);
            }

            var json = reader.GetString(2);
            try
            {
                values[reader.GetString(1)] = ParameterDistribution.FromJson(json);
            }
            catch (FormatException e)
            {
                throw new InvalidDataException($"Trial {n} in '{FilePath}' has parameter '{reader.GetString(1)}' with an unreadable distribution: {e.Message}", e);
            }
        }

        return byTrial;
    }

    private Dictionary<int, List<IntermediateValue>> ReadIntermediate(string filter, (string, object?)[] parameters)
    {
        var values = new Dictionary<(int Number, int Step), Dictionary<string, double>>();
        using (var command = Command($"SELECT number, step, name, value FROM trial_intermediate_values WHERE {filter} ORDER BY rowid;", parameters))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var key = (reader.GetInt32(0), reader.GetInt32(1));
                if (!values.TryGetValue(key, out var stepValues))
                {
                    values[key] = stepValues = new Dictionary<string, double>(StringComparer.Ordinal);
                }

                stepValues[reader.GetString(2)] = ReadDouble(reader, 3);
            }
        }

        var byTrial = new Dictionary<int, List<IntermediateValue>>();
        using (var command = Command($"SELECT number, step FROM trial_intermediate_steps WHERE {filter} ORDER BY rowid;", parameters))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var (n, step) = (reader.GetInt32(0), reader.GetInt32(1));
                if (!byTrial.TryGetValue(n, out var list))
                {
                    byTrial[n] = list = [];
                }

                list.Add(new IntermediateValue(step, values.GetValueOrDefault((n, step)) ?? new Dictionary<string, double>(StringComparer.Ordinal)));
            }
        }

        return byTrial;
    }
}
