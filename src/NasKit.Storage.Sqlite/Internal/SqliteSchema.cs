namespace NasKit.Storage.Sqlite.Internal;

/// <summary>The tables of a trial-store file, at schema version <see cref="Version"/>.</summary>
/// <remarks>
/// Times are UTC ticks (100 ns since 0001-01-01), so a timestamp round-trips exactly and compares as an integer. Trial states are the
/// <see cref="Optimizers.TrialState"/> names. Metric, parameter and intermediate values are REAL; SQLite stores NaN as NULL, which is
/// read back as NaN. Rows of the child tables are read in insertion (rowid) order, which keeps dictionaries and the order of reported
/// steps as they were written. A hyper-parameter's distribution is its JSON form
/// (<see cref="Optimizers.Distributions.ParameterDistribution.ToJson"/>), NULL for a value given without one. Bump <see cref="Version"/> on any change and add a migration; a file with a newer version is refused.
/// </remarks>
internal static class SqliteSchema
{
    /// <summary>The schema version this assembly writes and understands.</summary>
    public const int Version = 2;

    /// <summary>Upgrades a version-1 file: hyper-parameters gain the JSON form of their distribution (NULL for values stored without one).</summary>
    public const string MigrateFrom1 = """
        ALTER TABLE trial_parameters ADD COLUMN distribution TEXT;
        UPDATE schema_version SET version = 2;
        """;

    /// <summary>The magic header every SQLite 3 database file starts with.</summary>
    public static ReadOnlySpan<byte> FileHeader => "SQLite format 3\0"u8;

    public const string Create = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS studies (
            study_id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE
        );
        CREATE TABLE IF NOT EXISTS study_attributes (
            study_id INTEGER NOT NULL REFERENCES studies (study_id),
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (study_id, key)
        );
        CREATE TABLE IF NOT EXISTS trials (
            study_id INTEGER NOT NULL REFERENCES studies (study_id),
            number INTEGER NOT NULL CHECK (number >= 0),
            state TEXT NOT NULL CHECK (state IN ('Running', 'Complete', 'Pruned', 'Failed')),
            architecture TEXT NOT NULL,
            canonical_hash TEXT NOT NULL,
            worker TEXT,
            started_at INTEGER NOT NULL,
            finished_at INTEGER,
            heartbeat_at INTEGER NOT NULL,
            failure_reason TEXT,
            PRIMARY KEY (study_id, number)
        );
        CREATE INDEX IF NOT EXISTS trials_by_state ON trials (study_id, state, heartbeat_at);
        CREATE TABLE IF NOT EXISTS trial_metrics (
            study_id INTEGER NOT NULL,
            number INTEGER NOT NULL,
            name TEXT NOT NULL,
            value REAL,
            PRIMARY KEY (study_id, number, name),
            FOREIGN KEY (study_id, number) REFERENCES trials (study_id, number)
        );
        CREATE TABLE IF NOT EXISTS trial_parameters (
            study_id INTEGER NOT NULL,
            number INTEGER NOT NULL,
            name TEXT NOT NULL,
            value REAL,
            distribution TEXT,
            PRIMARY KEY (study_id, number, name),
            FOREIGN KEY (study_id, number) REFERENCES trials (study_id, number)
        );
        CREATE TABLE IF NOT EXISTS trial_intermediate_steps (
            study_id INTEGER NOT NULL,
            number INTEGER NOT NULL,
            step INTEGER NOT NULL CHECK (step >= 0),
            PRIMARY KEY (study_id, number, step),
            FOREIGN KEY (study_id, number) REFERENCES trials (study_id, number)
        );
        CREATE TABLE IF NOT EXISTS trial_intermediate_values (
            study_id INTEGER NOT NULL,
            number INTEGER NOT NULL,
            step INTEGER NOT NULL,
            name TEXT NOT NULL,
            value REAL,
            PRIMARY KEY (study_id, number, step, name),
            FOREIGN KEY (study_id, number, step) REFERENCES trial_intermediate_steps (study_id, number, step)
        );
        """;
}
