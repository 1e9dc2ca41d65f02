using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using NasKit.Optimizers;

namespace NasKit.Storage.Sqlite.Tests;

/// <summary>The crash test of issue 5: a worker process is killed (SIGKILL) mid-study several times and restarted.</summary>
public sealed partial class SqliteTrialStoreTests
{
    private const int CrashBudget = 50;
    private const int CrashKills = 4;
    private const long CrashStudySeed = 11;
    private static readonly TimeSpan s_crashStep = TimeSpan.FromSeconds(30);

    [Test]
    [Category("Slow")]
    public void OptimizeAsync_WorkerKilledFourTimes_NoCompletedTrialLostAndBudgetReached()
    {
        var path = NewPath();
        var kill = new Random(20250605); // kill moments: after a seeded number of acknowledged completions, plus a seeded delay
        var acknowledged = new ConcurrentDictionary<int, double>(); // trial number -> score, printed by a worker after the store committed it
        var completeAtKill = new Dictionary<int, FrozenTrial>();
        var runningAtKill = new List<FrozenTrial>();
        var target = 0;
        for (var run = 0; run <= CrashKills; run++)
        {
            using var worker = StartWorker(path, acknowledged, out var stderr);
            if (run == CrashKills)
            {
                Assert.That(worker.WaitForExit(s_crashStep), Is.True, "the last run finishes");
                Assert.That(worker.ExitCode, Is.EqualTo(0), $"the last run reaches the budget; stderr: {stderr}");
                break;
            }

            target += kill.Next(6, 10);
            var watch = Stopwatch.StartNew();
            while (acknowledged.Count < target)
            {
                Assert.That(worker.HasExited, Is.False, $"worker {run} exited early (code {(worker.HasExited ? worker.ExitCode : 0)}); stderr: {stderr}");
                Assert.That(watch.Elapsed, Is.LessThan(s_crashStep), $"worker {run} did not reach {target} completions");
                Thread.Sleep(5);
            }

            Thread.Sleep(kill.Next(0, 60));
            worker.Kill(); // SIGKILL: no finally blocks, no flush, no goodbye
            worker.WaitForExit();

            // What the file holds right after the kill: every acknowledged completion must be there, with its score.
            using var store = new SqliteTrialStore(path);
            var trials = store.GetTrials(Program.StudyName);
            var lost = acknowledged.Where(a => trials.ElementAtOrDefault(a.Key) is not { State: TrialState.Complete } t || t.Metrics[Program.Metric] != a.Value);
            Assert.That(lost.Select(a => a.Key), Is.Empty, $"acknowledged completions missing after kill {run + 1}");
            foreach (var t in trials.Where(t => t.State == TrialState.Complete))
            {
                completeAtKill.TryAdd(t.Number, t);
            }

            runningAtKill.AddRange(trials.Where(t => t.State == TrialState.Running && t.Worker!.EndsWith($":{worker.Id}", StringComparison.Ordinal)));
        }

        using var final = new SqliteTrialStore(path);
        var all = final.GetTrials(Program.StudyName);
        var complete = all.Where(t => t.State == TrialState.Complete).ToList();
        var leaseFailed = all.Where(t => t.IsLeaseExpired).ToList();
        TestContext.Out.WriteLine(
            $"crash test: {CrashKills} kills, {all.Count} trials in the file, {complete.Count} complete (budget {CrashBudget}), " +
            $"{acknowledged.Count} completions acknowledged by workers, {completeAtKill.Count} complete trials seen right after kills (all kept), " +
            $"{runningAtKill.Count} trials running when their worker was killed, {leaseFailed.Count} failed by lease expiry and requeued, " +
            $"{all.Count(t => t.State is TrialState.Failed or TrialState.Pruned && !t.IsLeaseExpired)} other failures.");
        Assert.Multiple(() =>
        {
            Assert.That(complete, Has.Count.EqualTo(CrashBudget), "the study reaches its budget");
            Assert.That(all.Count(t => !t.IsLeaseExpired), Is.EqualTo(CrashBudget), "only lease-expired trials are outside the budget");
            Assert.That(all.Any(t => t.State == TrialState.Running), Is.False, "no trial is left running");
            Assert.That(complete.Select(t => t.CanonicalHash).Distinct().Count(), Is.EqualTo(complete.Count), "no architecture completed twice");
            foreach (var (number, before) in completeAtKill)
            {
                Assert.That(all[number].State, Is.EqualTo(TrialState.Complete), $"trial {number} was complete before a kill");
                Assert.That(all[number].Metrics, Is.EquivalentTo(before.Metrics), $"trial {number} keeps its metrics");
            }

            foreach (var (number, score) in acknowledged)
            {
                Assert.That(all[number].Metrics[Program.Metric], Is.EqualTo(score), $"trial {number} as acknowledged");
            }

            Assert.That(runningAtKill, Is.Not.Empty, "at least one kill landed while a trial was running");
            Assert.That(leaseFailed.Select(t => t.Number), Is.EqualTo(runningAtKill.Select(t => t.Number).Order()), "exactly the killed workers' running trials expired");
            foreach (var dead in runningAtKill)
            {
                Assert.That(all[dead.Number].FailureReason, Does.StartWith(FrozenTrial.LeaseExpiredReason).And.Contain(dead.Worker!));
                Assert.That(
                    complete.Count(t => t.Number > dead.Number && t.CanonicalHash == dead.CanonicalHash), Is.EqualTo(1),
                    $"the architecture of killed trial {dead.Number} was requeued and completed once");
            }
        });
    }

    private static Process StartWorker(string path, ConcurrentDictionary<int, double> acknowledged, out StringWriter stderr)
    {
        var workerPath = typeof(SqliteTrialStoreTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "CrashWorkerPath").Value!;
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { workerPath, path, CrashBudget.ToString(CultureInfo.InvariantCulture), CrashStudySeed.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }

        var errors = new StringWriter();
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) =>
        {
            var parts = e.Data?.Split(' ');
            if (parts is ["complete", var number, var score])
            {
                acknowledged[int.Parse(number, CultureInfo.InvariantCulture)] = double.Parse(score, CultureInfo.InvariantCulture);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.WriteLine(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        stderr = errors;
        return process;
    }

    /// <summary>The names the worker (tests/NasKit.Storage.Sqlite.Tests/Worker/Program.cs) uses.</summary>
    private static class Program
    {
        public const string StudyName = "crash";
        public const string Metric = "score";
    }
}
