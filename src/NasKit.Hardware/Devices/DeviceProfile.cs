using NasKit.Hardware.Latency;
using NasKit.SearchSpace;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Hardware.Devices;

/// <summary>
/// Describes a deployment target by the limits a network must respect on it: parameters, MACs, RAM for activations, flash for the
/// model and latency. Every limit is optional; <see cref="Check(ModelCost, double?)"/> checks the ones set and explains each failure.
/// </summary>
/// <remarks>
/// <para>Limits are for one inference of one sample: costs must be counted at batch 1 and at the profile's
/// <see cref="BytesPerElement"/> (1 for int8 microcontroller deployment), which the network overload does itself.</para>
/// <para>The model size is (parameters + buffers) × <see cref="BytesPerElement"/>, <see cref="ModelCost"/>'s convention; it leaves out
/// quantisation scales and the runtime's code, and counts batch-norm statistics that deployment usually folds into the convolutions,
/// so it errs on the safe side. Peak activation memory is <see cref="ModelCost.PeakActivationBytes"/>: sequential execution, no
/// scratch buffers of the inference engine.</para>
/// <para>Latency is checked against <see cref="MaxLatencyMilliseconds"/> with a prediction from <see cref="LatencyTable"/>
/// (<see cref="LatencyPredictor"/>), or with a latency the caller supplies.</para>
/// </remarks>
public sealed class DeviceProfile
{
    private readonly string _name = "device";
    private readonly string _description = string.Empty;
    private readonly long? _maxParameters;
    private readonly long? _maxMacs;
    private readonly long? _maxPeakActivationBytes;
    private readonly long? _maxModelBytes;
    private readonly int _bytesPerElement = 4;
    private readonly double? _maxLatencyMilliseconds;

    /// <summary>Gets the profile's short name, used in reports.</summary>
    /// <value>Required; not empty.</value>
    /// <exception cref="ArgumentException">The value is null, empty or white space.</exception>
    public required string Name
    {
        get => _name;
        init => _name = string.IsNullOrWhiteSpace(value) ? throw new ArgumentException("A device profile needs a non-empty name.", nameof(value)) : value;
    }

    /// <summary>Gets a description of the device and where its numbers come from.</summary>
    /// <value>The default value is empty.</value>
    /// <exception cref="ArgumentNullException">The value is null.</exception>
    public string Description
    {
        get => _description;
        init
        {
            ArgumentNullException.ThrowIfNull(value);
            _description = value;
        }
    }

    /// <summary>Gets the most parameter elements, or null for no limit.</summary>
    /// <value>The default value is null.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public long? MaxParameters
    {
        get => _maxParameters;
        init => _maxParameters = Positive(value);
    }

    /// <summary>Gets the most multiply-accumulates per inference, or null for no limit.</summary>
    /// <value>The default value is null.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public long? MaxMacs
    {
        get => _maxMacs;
        init => _maxMacs = Positive(value);
    }

    /// <summary>Gets the most bytes of live activations (RAM), or null for no limit.</summary>
    /// <value>The default value is null.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public long? MaxPeakActivationBytes
    {
        get => _maxPeakActivationBytes;
        init => _maxPeakActivationBytes = Positive(value);
    }

    /// <summary>Gets the most bytes to store the model (flash), or null for no limit.</summary>
    /// <value>The default value is null.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public long? MaxModelBytes
    {
        get => _maxModelBytes;
        init => _maxModelBytes = Positive(value);
    }

    /// <summary>Gets the bytes of one activation or weight element on the device (1 for int8, 4 for float32).</summary>
    /// <value>The default value is 4 (float32).</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not 1, 2, 4 or 8.</exception>
    public int BytesPerElement
    {
        get => _bytesPerElement;
        init => _bytesPerElement = value is 1 or 2 or 4 or 8 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "The bytes per element must be 1, 2, 4 or 8.");
    }

    /// <summary>Gets the most milliseconds per inference, or null for no limit.</summary>
    /// <value>The default value is null.</value>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive and finite.</exception>
    public double? MaxLatencyMilliseconds
    {
        get => _maxLatencyMilliseconds;
        init => _maxLatencyMilliseconds = value is null || (double.IsFinite(value.Value) && value > 0)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "The latency limit must be positive and finite.");
    }

    /// <summary>Gets the table latencies are predicted from when a network is checked, or null.</summary>
    /// <value>The default value is null; then the latency limit can only be checked with a latency the caller supplies.</value>
    public LatencyTable? LatencyTable { get; init; }

    /// <summary>Checks a network: counts its costs at batch 1 and the profile's bytes per element, predicts its latency when a latency limit is set, and checks every limit.</summary>
    /// <param name="network">The network.</param>
    /// <param name="inputShape">The shape of one input sample, without the batch dimension.</param>
    /// <param name="cancellationToken">Cancels the latency prediction.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="inputShape"/> is null.</exception>
    /// <exception cref="ArgumentException">The network cannot run on the input shape.</exception>
    /// <exception cref="InvalidOperationException">A latency limit is set but no <see cref="LatencyTable"/> is.</exception>
    /// <exception cref="KeyNotFoundException">The latency table lacks signatures of the network (the message lists them).</exception>
    public FeasibilityReport Check(Module<Tensor, Tensor> network, IReadOnlyList<int> inputShape, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(inputShape);
        double? latency = null;
        if (MaxLatencyMilliseconds is not null)
        {
            if (LatencyTable is null)
            {
                throw new InvalidOperationException(
                    $"Device profile '{Name}' limits latency to {MaxLatencyMilliseconds} ms but has no LatencyTable to predict it; set one, or count the cost yourself and call Check(cost, predictedLatencyMilliseconds).");
            }

            latency = new LatencyPredictor(LatencyTable).Predict(network, inputShape, cancellationToken).GetMilliseconds();
        }

        var cost = CostCounter.Count(network, inputShape, new CostCountingOptions { BatchSize = 1, BytesPerElement = BytesPerElement });
        return Check(cost, latency);
    }

    /// <summary>Builds an architecture's network with its space and checks it at the space's input shape.</summary>
    /// <param name="space">The search space.</param>
    /// <param name="architecture">The architecture.</param>
    /// <param name="cancellationToken">Cancels the latency prediction.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="space"/> or <paramref name="architecture"/> is null.</exception>
    /// <exception cref="InvalidOperationException">A latency limit is set but no <see cref="LatencyTable"/> is.</exception>
    /// <exception cref="KeyNotFoundException">The latency table lacks signatures of the network.</exception>
    public FeasibilityReport Check(ISearchSpace space, Architecture architecture, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(space);
        ArgumentNullException.ThrowIfNull(architecture);
        using var network = space.Build(architecture);
        return Check(network, space.GetInputShape(architecture), cancellationToken);
    }

    /// <summary>Checks costs counted beforehand, and optionally a latency, against every limit set.</summary>
    /// <param name="cost">The costs, counted at batch 1 and at this profile's <see cref="BytesPerElement"/>.</param>
    /// <param name="predictedLatencyMilliseconds">The latency of one inference; required when <see cref="MaxLatencyMilliseconds"/> is set.</param>
    /// <returns>The report, with one check per limit set, in the order of <see cref="DeviceLimit"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="cost"/> is null.</exception>
    /// <exception cref="ArgumentException">The cost was counted at another batch or bytes per element, or the latency is needed but missing, negative or not finite.</exception>
    public FeasibilityReport Check(ModelCost cost, double? predictedLatencyMilliseconds = null)
    {
        ArgumentNullException.ThrowIfNull(cost);
        if (cost.BytesPerElement != BytesPerElement)
        {
            throw new ArgumentException(
                $"Device profile '{Name}' assumes {BytesPerElement} byte(s) per element, but the cost was counted at {cost.BytesPerElement}; count it with CostCountingOptions.BytesPerElement = {BytesPerElement}.",
                nameof(cost));
        }

        if (cost.BatchSize != 1)
        {
            throw new ArgumentException($"Device limits are for one inference of one sample, but the cost was counted at batch {cost.BatchSize}; count it with batch 1.", nameof(cost));
        }

        if (predictedLatencyMilliseconds is { } given && (!double.IsFinite(given) || given < 0))
        {
            throw new ArgumentException($"The predicted latency must be finite and not negative, but got {given} ms.", nameof(predictedLatencyMilliseconds));
        }

        if (MaxLatencyMilliseconds is not null && predictedLatencyMilliseconds is null)
        {
            throw new ArgumentException($"Device profile '{Name}' limits latency to {MaxLatencyMilliseconds} ms, so a predicted latency is needed, but none was given.", nameof(predictedLatencyMilliseconds));
        }

        var checks = new List<LimitCheck>();
        Add(checks, DeviceLimit.Parameters, MaxParameters, cost.Parameters);
        Add(checks, DeviceLimit.Macs, MaxMacs, cost.Macs);
        Add(checks, DeviceLimit.PeakActivationBytes, MaxPeakActivationBytes, cost.PeakActivationBytes);
        Add(checks, DeviceLimit.ModelBytes, MaxModelBytes, (cost.Parameters + cost.Buffers) * (double)BytesPerElement);
        Add(checks, DeviceLimit.LatencyMilliseconds, MaxLatencyMilliseconds, predictedLatencyMilliseconds ?? 0);
        return new FeasibilityReport(Name, checks);
    }

    /// <summary>Returns the name and description.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => Description.Length == 0 ? Name : $"{Name}: {Description}";

    private static void Add(List<LimitCheck> checks, DeviceLimit limit, double? maximum, double value)
    {
        if (maximum is { } max)
        {
            checks.Add(new LimitCheck(limit, max, value));
        }
    }

    private static long? Positive(long? value, [System.Runtime.CompilerServices.CallerMemberName] string name = "") =>
        value is null or > 0 ? value : throw new ArgumentOutOfRangeException(name, value, $"The limit {name} must be positive (or null for none).");
}
