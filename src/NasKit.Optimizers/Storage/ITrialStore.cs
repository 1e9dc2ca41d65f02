using NasKit.Optimizers.Distributions;

namespace NasKit.Optimizers.Storage;

/// <summary>
/// Keeps the trials of studies. Every change is committed before the call returns, so a study can be resumed from its store and
/// several workers can share one. Implementations: <see cref="InMemoryTrialStore"/> (one process); durable stores in
/// NasKit.Storage.* assemblies. Every store passes the same conformance suite.
/// </summary>
/// <remarks>
/// Trial numbers are assigned by the store, densely from 0 per study, in the order <see cref="CreateTrial"/> is called (across
/// workers). A trial moves from <see cref="TrialState.Running"/> to exactly one final state, once; a second
/// <see cref="FinishTrial"/> for the same trial is refused.
/// </remarks>
public interface ITrialStore
{
    /// <summary>Creates a study, or opens it when it exists with the same attributes.</summary>
    /// <param name="name">The study's name.</param>
    /// <param name="attributes">What the study was created with (space, objectives...), compared on reopening.</param>
    /// <returns>Whether the study was created (false: it existed).</returns>
    /// <exception cref="ArgumentException">The name is empty, or the study exists with different attributes (the message lists them).</exception>
    bool CreateOrOpenStudy(string name, IReadOnlyDictionary<string, string> attributes);

    /// <summary>Gets the attributes of a study.</summary>
    /// <param name="name">The study's name.</param>
    /// <returns>The attributes, or null when the study does not exist.</returns>
    IReadOnlyDictionary<string, string>? GetStudyAttributes(string name);

    /// <summary>Adds a running trial to a study and assigns its number.</summary>
    /// <param name="study">The study's name.</param>
    /// <param name="architecture">The architecture's text form.</param>
    /// <param name="canonicalHash">The architecture's canonical hash.</param>
    /// <param name="parameters">Suggested hyper-parameter values, if any.</param>
    /// <param name="worker">The worker that will run the trial (for example host:process id), for leases and diagnostics.</param>
    /// <returns>The new trial; its <see cref="FrozenTrial.LastHeartbeat"/> is its start.</returns>
    /// <exception cref="KeyNotFoundException">The study does not exist.</exception>
    FrozenTrial CreateTrial(string study, string architecture, string canonicalHash, IReadOnlyDictionary<string, double>? parameters = null, string? worker = null);

    /// <summary>Records a sign of life of the worker running a trial; ignored when the trial has already finished.</summary>
    /// <param name="study">The study's name.</param>
    /// <param name="number">The trial's number.</param>
    /// <exception cref="KeyNotFoundException">The study or trial does not exist.</exception>
    void Heartbeat(string study, int number);

    /// <summary>
    /// Fails every running trial whose last heartbeat is older than <paramref name="lease"/>, with a reason starting with
    /// <see cref="FrozenTrial.LeaseExpiredReason"/> (its worker died: a crash, a kill -9, a lost machine). Atomic: two workers calling
    /// it at once fail each trial once.
    /// </summary>
    /// <param name="study">The study's name.</param>
    /// <param name="lease">How long a running trial may go without a heartbeat.</param>
    /// <returns>The trials this call failed.</returns>
    /// <exception cref="KeyNotFoundException">The study does not exist.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lease"/> is not positive.</exception>
    IReadOnlyList<FrozenTrial> FailStaleTrials(string study, TimeSpan lease);

    /// <summary>
    /// Records a hyper-parameter suggested on a running trial, with its distribution, as soon as it is suggested (so a trial whose worker
    /// crashed can be run again with the same values).
    /// </summary>
    /// <param name="study">The study's name.</param>
    /// <param name="number">The trial's number.</param>
    /// <param name="name">The parameter's name.</param>
    /// <param name="value">The value in its internal representation (see <see cref="FrozenTrial.Parameters"/>).</param>
    /// <param name="distribution">The distribution the value was drawn from.</param>
    /// <exception cref="KeyNotFoundException">The study or trial does not exist.</exception>
    /// <exception cref="InvalidOperationException">The trial is not running, or already has a parameter of that name.</exception>
    /// <exception cref="ArgumentException">The name is empty, the value is outside the distribution, or another trial of the study has
    /// the parameter with a different distribution (the message gives both).</exception>
    void SetTrialParameter(string study, int number, string name, double value, ParameterDistribution distribution);

    /// <summary>Records an intermediate value of a running trial.</summary>
    /// <param name="study">The study's name.</param>
    /// <param name="number">The trial's number.</param>
    /// <param name="value">The value.</param>
    /// <exception cref="KeyNotFoundException">The study or trial does not exist.</exception>
    /// <exception cref="InvalidOperationException">The trial is not running, or a value was already reported for the step.</exception>
    void ReportIntermediate(string study, int number, IntermediateValue value);

    /// <summary>Moves a running trial to its final state.</summary>
    /// <param name="study">The study's name.</param>
    /// <param name="number">The trial's number.</param>
    /// <param name="state">The final state (not <see cref="TrialState.Running"/>).</param>
    /// <param name="metrics">The final metrics (required for <see cref="TrialState.Complete"/>).</param>
    /// <param name="failureReason">Why the trial failed (required for <see cref="TrialState.Failed"/>).</param>
    /// <returns>The finished trial.</returns>
    /// <exception cref="KeyNotFoundException">The study or trial does not exist.</exception>
    /// <exception cref="InvalidOperationException">The trial has already finished.</exception>
    /// <exception cref="ArgumentException">The state is Running, a completed trial has no metrics or a non-finite one, or a failed trial has no reason.</exception>
    FrozenTrial FinishTrial(string study, int number, TrialState state, IReadOnlyDictionary<string, double>? metrics = null, string? failureReason = null);

    /// <summary>Gets every trial of a study, by number.</summary>
    /// <param name="study">The study's name.</param>
    /// <returns>The trials.</returns>
    /// <exception cref="KeyNotFoundException">The study does not exist.</exception>
    IReadOnlyList<FrozenTrial> GetTrials(string study);
}
