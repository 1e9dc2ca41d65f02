using System.Globalization;
using NasKit.Tensors.Internal;

namespace NasKit.Tensors.NN;

/// <summary>
/// Represents batch normalisation over dimension 1, the shared implementation of <see cref="BatchNorm1d"/> and <see cref="BatchNorm2d"/>.
/// State-dict keys match PyTorch: <c>weight</c>, <c>bias</c>, <c>running_mean</c>, <c>running_var</c>, <c>num_batches_tracked</c>.
/// </summary>
public abstract class BatchNorm : Module<Tensor, Tensor>
{
    /// <summary>Initializes a new instance of the <see cref="BatchNorm"/> class.</summary>
    /// <param name="numFeatures">The number of channels.</param>
    /// <param name="eps">Added to the variance for stability.</param>
    /// <param name="momentum">The running-statistics update factor, or null for a cumulative moving average.</param>
    /// <param name="affine">Whether to learn a scale and shift.</param>
    /// <param name="trackRunningStats">Whether to keep running statistics (otherwise batch statistics are used in both modes).</param>
    protected BatchNorm(int numFeatures, double eps, double? momentum, bool affine, bool trackRunningStats)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numFeatures);
        if (!(eps > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(eps), eps, "eps must be positive.");
        }

        CheckMomentum(momentum, nameof(momentum));
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        Affine = affine;
        TrackRunningStats = trackRunningStats;
        Weight = RegisterParameter("weight", affine ? new Parameter(Tensor.Ones(numFeatures)) : null);
        Bias = RegisterParameter("bias", affine ? new Parameter(Tensor.Zeros(numFeatures)) : null);
        RunningMean = RegisterBuffer("running_mean", trackRunningStats ? Tensor.Zeros(numFeatures) : null);
        RunningVar = RegisterBuffer("running_var", trackRunningStats ? Tensor.Ones(numFeatures) : null);
        NumBatchesTracked = RegisterBuffer("num_batches_tracked", trackRunningStats ? Tensor.Scalar(0f) : null);
    }

    /// <summary>Gets the number of channels.</summary>
    public int NumFeatures { get; }

    /// <summary>Gets the value added to the variance.</summary>
    public double Eps { get; }

    /// <summary>Gets or sets the running-statistics momentum, or null for a cumulative (equal-weight) average over the batches seen since the last reset.</summary>
    /// <remarks>Settable, as in PyTorch, so that batch-norm recalibration can switch to the cumulative average and back.</remarks>
    /// <exception cref="ArgumentOutOfRangeException">The value is not null and not in [0, 1].</exception>
    public double? Momentum
    {
        get;
        set
        {
            CheckMomentum(value, nameof(value));
            field = value;
        }
    }

    /// <summary>Gets whether a scale and shift are learnt.</summary>
    public bool Affine { get; }

    /// <summary>Gets whether running statistics are kept.</summary>
    public bool TrackRunningStats { get; }

    /// <summary>Gets the scale γ, or null without affine parameters.</summary>
    public Parameter? Weight { get; }

    /// <summary>Gets the shift β, or null without affine parameters.</summary>
    public Parameter? Bias { get; }

    /// <summary>Gets the running mean, or null when statistics are not tracked.</summary>
    public Tensor? RunningMean { get; }

    /// <summary>Gets the running (unbiased) variance, or null when statistics are not tracked.</summary>
    public Tensor? RunningVar { get; }

    /// <summary>Gets the number of training batches seen, or null when statistics are not tracked.</summary>
    public Tensor? NumBatchesTracked { get; }

    /// <inheritdoc />
    protected override string ExtraRepresentation =>
        string.Create(CultureInfo.InvariantCulture, $"{NumFeatures}, eps={Eps:G}, momentum={(Momentum is null ? "None" : Momentum.Value.ToString("G", CultureInfo.InvariantCulture))}, affine={(Affine ? "True" : "False")}, track_running_stats={(TrackRunningStats ? "True" : "False")}");

    /// <summary>Resets the running statistics to mean 0, variance 1 and no batches seen.</summary>
    public void ResetRunningStats()
    {
        using (Autograd.NoGrad())
        {
            RunningMean?.ZeroInPlace();
            RunningVar?.FillInPlace(1f);
            NumBatchesTracked?.ZeroInPlace();
        }
    }

    /// <summary>Checks the input rank for the concrete variant.</summary>
    /// <param name="input">The input.</param>
    protected abstract void CheckInput(Tensor input);

    /// <inheritdoc />
    protected override Tensor Forward(Tensor input) => Forward(input, relu: false);

    /// <summary>
    /// Runs this layer and a ReLU after it as one fused operation (<see cref="Functional.BatchNormRelu"/>), for containers that
    /// see the pair; the caller checks that neither module has hooks.
    /// </summary>
    internal Tensor ForwardWithRelu(Tensor input) => Forward(input, relu: true);

    private Tensor Forward(Tensor input, bool relu)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckInput(input);
        if (input.Rank >= 2 && input.ShapeSpan[1] != NumFeatures)
        {
            ThrowHelper.ThrowArgument($"{GetType().Name}({NumFeatures}) expects {NumFeatures} channels in dimension 1, but got input of shape {ThrowHelper.FormatShape(input.ShapeSpan)}.", nameof(input));
        }

        var factor = Momentum ?? 0.0;
        if (IsTraining && TrackRunningStats)
        {
            using (Autograd.NoGrad())
            {
                NumBatchesTracked!.AddInPlace(1f);
            }

            if (Momentum is null)
            {
                factor = 1.0 / NumBatchesTracked.Item();
            }
        }

        var useBatchStats = IsTraining || RunningMean is null;
        var passRunning = !IsTraining || TrackRunningStats;
        var (mean, variance) = passRunning ? (RunningMean, RunningVar) : (null, null);
        return relu
            ? Functional.BatchNormRelu(input, mean, variance, Weight, Bias, useBatchStats, (float)factor, (float)Eps)
            : Functional.BatchNorm(input, mean, variance, Weight, Bias, useBatchStats, (float)factor, (float)Eps);
    }

    private static void CheckMomentum(double? momentum, string parameterName)
    {
        if (momentum is not null && !(momentum >= 0 && momentum <= 1))
        {
            throw new ArgumentOutOfRangeException(parameterName, momentum, string.Create(CultureInfo.InvariantCulture, $"'0 <= momentum <= 1' (or null for a cumulative average) must hold, but got momentum={momentum}."));
        }
    }
}
