using NasKit.Hardware.Internal;
using NasKit.Hardware.Latency.Internal;
using NasKit.Tensors;
using NasKit.Tensors.NN;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace NasKit.Hardware.Latency;

/// <summary>
/// Predicts a network's latency from a <see cref="LatencyTable"/>: it traces the network once at the input shape to list its timed
/// units (see <see cref="LayerSignature"/>) and sums their table entries. Signatures the table lacks are reported, never guessed,
/// unless the predictor was given a <see cref="LatencyProfiler"/> to measure them on the spot.
/// </summary>
/// <remarks>
/// The sum ignores what a whole run has beyond its parts in isolation (layers evicting each other's data from the caches, the
/// network's bookkeeping between calls), so predictions rank networks better than they match absolute times; the LatencyLut sample
/// reports both (Spearman correlation and MAPE).
/// Not thread-safe when profiling missing signatures (<see cref="Table"/> grows).
/// </remarks>
public sealed class LatencyPredictor
{
    private readonly LatencyProfiler? _profileMissingWith;
    private readonly int _batchSize;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="LatencyPredictor"/> class.</summary>
    /// <param name="table">The latency table.</param>
    /// <param name="profileMissingWith">A profiler that measures missing signatures on the spot and adds them to <see cref="Table"/>; null reports them instead.</param>
    /// <param name="batchSize">The batch the network is traced at (the table's signatures include it); ignored when <paramref name="profileMissingWith"/> is given, which uses its own.</param>
    /// <param name="logger">The logger; null logs nothing.</param>
    /// <exception cref="ArgumentNullException"><paramref name="table"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is not positive.</exception>
    public LatencyPredictor(LatencyTable table, LatencyProfiler? profileMissingWith = null, int batchSize = 1, ILogger<LatencyPredictor>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        Table = table;
        _profileMissingWith = profileMissingWith;
        _batchSize = profileMissingWith?.BatchSize ?? batchSize;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Gets the table predictions read from (including entries profiled on the spot).</summary>
    public LatencyTable Table { get; private set; }

    /// <summary>Predicts a network's latency at one input shape.</summary>
    /// <param name="network">The network.</param>
    /// <param name="inputShape">The shape of one input sample, without the batch dimension (for example <c>[3, 32, 32]</c>).</param>
    /// <param name="cancellationToken">Cancels profiling of missing signatures.</param>
    /// <returns>The prediction; check <see cref="LatencyPrediction.IsComplete"/> or call <see cref="LatencyPrediction.GetMilliseconds"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="inputShape"/> is null.</exception>
    /// <exception cref="ArgumentException">The input shape is empty or not positive, or the network cannot run on it.</exception>
    /// <exception cref="InvalidOperationException">A kernel profiler or an execution trace is active.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public LatencyPrediction Predict(Module<Tensor, Tensor> network, IReadOnlyList<int> inputShape, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        var calls = SignatureTracer.Trace(network, inputShape, _batchSize);
        if (_profileMissingWith is not null && calls.Any(c => !Table.Contains(c.Signature)))
        {
            var missing = calls.Select(c => c.Signature).Where(s => !Table.Contains(s)).Distinct(StringComparer.Ordinal).Count();
            _logger.ProfilingMissing(missing);
            Table = _profileMissingWith.ProfileCalls([network], calls, Table, progress: null, totalRounds: 0, cancellationToken);
        }

        var layers = new List<LayerLatency>(calls.Count);
        var missingSignatures = new List<string>();
        var missingSet = new HashSet<string>(StringComparer.Ordinal);
        foreach (var call in calls)
        {
            double? ms = Table.TryGetMilliseconds(call.Signature, out var value) ? value : null;
            if (ms is null && missingSet.Add(call.Signature))
            {
                missingSignatures.Add(call.Signature);
            }

            layers.Add(new LayerLatency(call.Name, call.Signature, ms, call.IsSelfWork));
        }

        return new LatencyPrediction(layers, missingSignatures);
    }
}
