using NasKit.Optimizers.Samplers;

namespace NasKit.Optimizers;

/// <summary>Configures a <see cref="Study"/>.</summary>
public sealed class StudyOptions
{
    /// <summary>Gets or sets the seed; with the same seed, history and strategy a study asks for the same architectures.</summary>
    /// <value>The default value is 0.</value>
    public long Seed { get; set; }

    /// <summary>Gets or sets whether the strategy may propose an architecture already in the study (by canonical form).</summary>
    /// <value>The default value is false: no budget is spent twice on one architecture.</value>
    public bool AllowDuplicates { get; set; }

    /// <summary>Gets or sets how many proposals <see cref="Study.Ask"/> draws before giving up on finding an unseen architecture.</summary>
    /// <value>The default value is 1000.</value>
    public int MaxProposalAttempts { get; set; } = 1000;

    /// <summary>Gets or sets how often a worker signals that its running trial is alive.</summary>
    /// <value>The default value is 10 seconds.</value>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Gets or sets how long a running trial may go without a heartbeat before another worker (or a reopened study) declares its
    /// worker dead, fails the trial and requeues its architecture.
    /// </summary>
    /// <value>The default value is 2 minutes; keep it well above <see cref="HeartbeatInterval"/>.</value>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets the name this worker gives the store for its trials.</summary>
    /// <value>The default value is <c>machine:process id</c>.</value>
    public string Worker { get; set; } = $"{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>Gets or sets the sampler that chooses the hyper-parameters suggested on trials (<see cref="Trial.SuggestFloat"/> and its
    /// siblings); the architecture is still proposed by the study's strategy.</summary>
    /// <value>The default value is a <see cref="TpeParameterSampler"/> with Optuna's defaults.</value>
    public IParameterSampler Sampler { get; set; } = new TpeParameterSampler();
}
