using Microsoft.Data.Sqlite;
using NasKit.Objectives;
using NasKit.Optimizers;
using NasKit.Optimizers.Distributions;
using NasKit.Optimizers.Strategies;
using NasKit.SearchSpace.Nb201;

namespace NasKit.Storage.Sqlite.Tests;

/// <summary>Schema migration from version 1 (before hyper-parameter distributions) and hyper-parameters of studies on a store file.</summary>
public sealed partial class SqliteTrialStoreTests
{
    // The tables exactly as NasKit.Storage.Sqlite wrote them at schema version 1 (before trial_parameters had a distribution column).
    private const string SchemaVersion1 = """

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

    [Test]
    public void Ctor_FileOfSchemaVersion1_MigratedKeepingTrialsAndTakesDistributions()
    {
        var path = NewPath();
        using (var connection = Raw(path))
        {
            RawExecute(connection, SchemaVersion1);
            RawExecute(connection, "INSERT INTO schema_version (version) VALUES (1);");
            RawExecute(connection, "INSERT INTO studies (study_id, name) VALUES (1, 's');");
            RawExecute(connection, "INSERT INTO study_attributes (study_id, key, value) VALUES (1, 'space', 'nb201'), (1, 'objectives', 'accuracy:max');");
            RawExecute(connection, "INSERT INTO trials (study_id, number, state, architecture, canonical_hash, worker, started_at, finished_at, heartbeat_at, failure_reason) " +
                "VALUES (1, 0, 'Complete', 'arch-a', 'hash-a', 'host:1', 100, 200, 150, NULL), (1, 1, 'Running', 'arch-b', 'hash-b', 'host:2', 300, NULL, 300, NULL);");
            RawExecute(connection, "INSERT INTO trial_metrics (study_id, number, name, value) VALUES (1, 0, 'accuracy', 0.75);");
            RawExecute(connection, "INSERT INTO trial_parameters (study_id, number, name, value) VALUES (1, 0, 'lr', 0.05);");
        }

        using (var store = Track(new SqliteTrialStore(path)))
        {
            Assert.That(store.CreateOrOpenStudy("s", s_attributes), Is.False);
            var before = store.GetTrials("s");
            Assert.Multiple(() =>
            {
                Assert.That(before.Select(t => t.Architecture), Is.EqualTo(new[] { "arch-a", "arch-b" }));
                Assert.That(before[0].Metrics["accuracy"], Is.EqualTo(0.75));
                Assert.That(before[0].Parameters["lr"], Is.EqualTo(0.05));
                Assert.That(before[0].Distributions, Is.Empty);
            });
            store.SetTrialParameter("s", 1, "width", 64, new IntDistribution(16, 128, step: 16));
        }

        using var reopened = Track(new SqliteTrialStore(path));
        var trial = reopened.GetTrials("s")[1];
        using var raw = Raw(path);
        Assert.Multiple(() =>
        {
            Assert.That(RawScalar(raw, "SELECT version FROM schema_version;"), Is.EqualTo(2L));
            Assert.That(RawScalar(raw, "SELECT COUNT(*) FROM schema_version;"), Is.EqualTo(1L));
            Assert.That(trial.GetParameter<int>("width"), Is.EqualTo(64));
            Assert.That(trial.Distributions["width"], Is.EqualTo(new IntDistribution(16, 128, step: 16)));
        });
    }

    [Test]
    public void Suggest_StudyOnStoreFile_ValuesAndDistributionsSurviveReopen()
    {
        var path = NewPath();
        var space = new Nb201SearchSpace();
        double lr;
        string optimizer;
        using (var store = Track(new SqliteTrialStore(path)))
        {
            var study = new Study("hp", space, new RandomSearch(), [Objective.Maximize("accuracy")], store, options: new StudyOptions { Seed = 3 });
            var trial = study.Ask();
            lr = trial.SuggestFloat("lr", 1e-4, 1, log: true);
            optimizer = trial.SuggestCategorical("optimizer", ["sgd", "adam", "rmsprop"]);
        }

        using var again = Track(new SqliteTrialStore(path));
        var resumed = new Study("hp", space, new RandomSearch(), [Objective.Maximize("accuracy")], again, options: new StudyOptions { Seed = 3 });
        var stored = resumed.Trials.Single();
        Assert.Multiple(() =>
        {
            Assert.That(stored.GetParameter<double>("lr"), Is.EqualTo(lr));
            Assert.That(stored.GetParameter<string>("optimizer"), Is.EqualTo(optimizer));
            Assert.That(stored.Distributions["lr"], Is.EqualTo(new FloatDistribution(1e-4, 1, log: true)));
            Assert.That(lr, Is.InRange(1e-4, 1.0));
        });
    }
}
