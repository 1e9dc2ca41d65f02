using NasKit.Hardware.Internal;
using NasKit.Hardware.Latency.Internal;
using NasKit.Tensors;
using NasKit.Tensors.NN;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace NasKit.Hardware.Latency;

/// <summary>
/// Measures per-layer latencies of networks on the current machine: it traces a network once to find its timed units (leaf module
/// calls and the self-work of modules with children, see <see cref="LayerSignature"/>), then times each unique signature in
/// isolation, running the module alone on a zero tensor of the recorded input shape, in evaluation mode without gradients; each entry
/// is the median of <see cref="LatencyProfilerOptions.Repeats"/> runs after <see cref="LatencyProfilerOptions.WarmupRuns"/> untimed ones.
/// Runs are interleaved in rounds (each round times every new signature once), so a change in machine load spreads over all entries.
/// </summary>
/// <remarks>
/// <para>Self-work is timed by running the module with its children and subtracting, run by run, the time spent inside the
/// outermost calls of its tensor-to-tensor descendants (measured by forward hooks in the same run). Work in modules that are not
/// tensor-to-tensor (and so are not hooked) counts as self-work of the enclosing module.</para>
/// <para>Not thread-safe: the profiler sets <see cref="TensorEngine.ThreadCount"/>, which is process-wide, for the duration of a call
/// (and restores it), so do not profile while other work runs tensor kernels. Timings on a shared machine are noisy; the
/// median of many repeats, interleaving and a fixed thread count keep the noise down.</para>
/// <para>Measure in a process that runs optimised code from the start: with .NET's tiered JIT, loop-heavy kernels can run at tier 0
/// (several times slower) for the first seconds, biasing whatever is timed then. Set <c>TieredCompilation</c> to false in the
/// measuring application's project (as the LatencyLut sample does) or warm up for longer. See <c>docs/latency-lut.md</c>.</para>
/// </remarks>
public sealed class LatencyProfiler
{
    private readonly int _warmupRuns;
    private readonly int _repeats;
    private readonly int? _threads;
    private readonly int _batchSize;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="LatencyProfiler"/> class.</summary>
    /// <param name="options">The options (copied); null uses the defaults.</param>
    /// <param name="logger">The logger; null logs nothing.</param>
    /// <param name="timeProvider">The clock that dates the tables (<see cref="LatencyTableMetadata.CreatedUtc"/>); null uses <see cref="TimeProvider.System"/>. Durations are measured with <see cref="System.Diagnostics.Stopwatch"/>.</param>
    public LatencyProfiler(LatencyProfilerOptions? options = null, ILogger<LatencyProfiler>? logger = null, TimeProvider? timeProvider = null)
    {
        _timeProvider = timeProvider ?? TimeProvider.System;
        options ??= new LatencyProfilerOptions();
        _warmupRuns = options.WarmupRuns;
        _repeats = options.Repeats;
        _threads = options.Threads;
        _batchSize = options.BatchSize;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Gets the batch networks are run at.</summary>
    public int BatchSize => _batchSize;

    /// <summary>Measures the latency of every unique signature of a network and the network's end-to-end latency.</summary>
    /// <param name="network">The network.</param>
    /// <param name="inputShape">The shape of one input sample, without the batch dimension (for example <c>[3, 32, 32]</c>).</param>
    /// <param name="known">A table whose entries are reused instead of measured again (measured with the same thread count), or null.</param>
    /// <param name="progress">Receives a report after each round of layer timings and each round of end-to-end runs, or null.</param>
    /// <param name="cancellationToken">Cancels the measurement between runs.</param>
    /// <returns>The table (the known entries plus the new ones), the timed units in execution order and the end-to-end latency.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="inputShape"/> is null.</exception>
    /// <exception cref="ArgumentException">The input shape is empty or not positive, the network cannot run on it, or <paramref name="known"/> was measured with another thread count.</exception>
    /// <exception cref="InvalidOperationException">A kernel profiler or an execution trace is active.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public LatencyProfile Profile(Module<Tensor, Tensor> network, IReadOnlyList<int> inputShape, LatencyTable? known = null,
        IProgress<LatencyProfilingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        var fullShape = SignatureTracer.ValidateInputShape(inputShape, _batchSize, nameof(inputShape));
        var calls = SignatureTracer.Trace(network, inputShape, _batchSize);
        var rounds = _warmupRuns + _repeats;
        var layerRounds = calls.Any(c => known is null || !known.Contains(c.Signature)) ? rounds : 0;
        var table = ProfileCalls([network], calls, known, progress, totalRounds: layerRounds + rounds, cancellationToken);
        double endToEnd;
        using (new MeasurementSession([network], ResolveThreads()))
        {
            endToEnd = LayerTimer.TimeNetworks([network], fullShape, _warmupRuns, _repeats,
                progress is null ? null : (done, _) => progress.Report(new(layerRounds + done, layerRounds + rounds, LatencyProfilingProgress.EndToEndPhase)),
                cancellationToken)[0];
        }

        var layers = calls.Select(c => new LayerLatency(c.Name, c.Signature, table.GetMilliseconds(c.Signature), c.IsSelfWork)).ToList();
        var sum = layers.Sum(l => l.Milliseconds!.Value);
        _logger.ProfilingFinished(endToEnd, sum);
        return new LatencyProfile(table, layers, endToEnd, sum);
    }

    /// <summary>Measures the latency of every unique signature of a network that <paramref name="known"/> lacks, without the end-to-end measurement.</summary>
    /// <param name="network">The network.</param>
    /// <param name="inputShape">The shape of one input sample, without the batch dimension.</param>
    /// <param name="known">A table whose entries are kept and not measured again, or null.</param>
    /// <param name="progress">Receives a report after each round of layer timings, or null.</param>
    /// <param name="cancellationToken">Cancels the measurement between runs.</param>
    /// <returns>The table: the known entries plus the new ones.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="network"/> or <paramref name="inputShape"/> is null.</exception>
    /// <exception cref="ArgumentException">The input shape is empty or not positive, the network cannot run on it, or <paramref name="known"/> was measured with another thread count.</exception>
    /// <exception cref="InvalidOperationException">A kernel profiler or an execution trace is active.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public LatencyTable ProfileLayers(Module<Tensor, Tensor> network, IReadOnlyList<int> inputShape, LatencyTable? known = null,
        IProgress<LatencyProfilingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(network);
        return BuildTable([network], inputShape, known, progress, cancellationToken);
    }

    /// <summary>Builds one table for several networks: the unique signatures of all of them (less those in <paramref name="known"/>),
    /// timed together in interleaved rounds so that changes in machine load spread over all entries.</summary>
    /// <param name="networks">The networks.</param>
    /// <param name="inputShape">The shape of one input sample, without the batch dimension.</param>
    /// <param name="known">A table whose entries are kept and not measured again, or null.</param>
    /// <param name="progress">Receives a report after each round of layer timings, or null.</param>
    /// <param name="cancellationToken">Cancels the measurement between runs.</param>
    /// <returns>The table: the known entries plus the new ones.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="networks"/>, one of them, or <paramref name="inputShape"/> is null.</exception>
    /// <exception cref="ArgumentException">The input shape is empty or not positive, a network cannot run on it, or <paramref name="known"/> was measured with another thread count.</exception>
    /// <exception cref="InvalidOperationException">A kernel profiler or an execution trace is active.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public LatencyTable BuildTable(IReadOnlyList<Module<Tensor, Tensor>> networks, IReadOnlyList<int> inputShape, LatencyTable? known = null,
        IProgress<LatencyProfilingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        CheckNetworks(networks);
        var calls = new List<TracedCall>();
        foreach (var network in networks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            calls.AddRange(SignatureTracer.Trace(network, inputShape, _batchSize));
        }

        return ProfileCalls(networks, calls, known, progress, totalRounds: _warmupRuns + _repeats, cancellationToken);
    }

    /// <summary>Measures the end-to-end latency of several networks, interleaved: each round runs every network once, so slow drifts of the machine affect all alike.</summary>
    /// <param name="networks">The networks.</param>
    /// <param name="inputShape">The shape of one input sample, without the batch dimension.</param>
    /// <param name="progress">Receives a report after each round over all networks, or null.</param>
    /// <param name="cancellationToken">Cancels the measurement between runs.</param>
    /// <returns>The median milliseconds of each network, in the order given.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="networks"/>, one of them, or <paramref name="inputShape"/> is null.</exception>
    /// <exception cref="ArgumentException">The input shape is empty or not positive, or a network cannot run on it.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled.</exception>
    public IReadOnlyList<double> MeasureEndToEnd(IReadOnlyList<Module<Tensor, Tensor>> networks, IReadOnlyList<int> inputShape,
        IProgress<LatencyProfilingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        CheckNetworks(networks);
        var fullShape = SignatureTracer.ValidateInputShape(inputShape, _batchSize, nameof(inputShape));
        if (networks.Count == 0)
        {
            return [];
        }

        _logger.EndToEndStarted(networks.Count, _repeats);
        using var session = new MeasurementSession(networks, ResolveThreads());
        try
        {
            return LayerTimer.TimeNetworks(networks, fullShape, _warmupRuns, _repeats,
                progress is null ? null : (done, total) => progress.Report(new(done, total, LatencyProfilingProgress.EndToEndPhase)),
                cancellationToken);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            throw new ArgumentException($"A network cannot run on an input of shape [{string.Join(", ", inputShape)}] (batch {_batchSize}): {e.Message}", nameof(inputShape), e);
        }
    }

    /// <summary>Times the signatures of <paramref name="calls"/> that <paramref name="known"/> lacks and returns the combined table.</summary>
    internal LatencyTable ProfileCalls(IReadOnlyList<Module> networks, IReadOnlyList<TracedCall> calls, LatencyTable? known,
        IProgress<LatencyProfilingProgress>? progress, int totalRounds, CancellationToken cancellationToken)
    {
        var threads = ResolveThreads();
        if (known is not null && known.Metadata.Threads != threads)
        {
            throw new ArgumentException(
                $"The known table was measured with {known.Metadata.Threads} thread(s), but this profiler measures with {threads}; entries of different thread counts cannot be combined.",
                nameof(known));
        }

        var todo = new List<TracedCall>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var call in calls)
        {
            if (seen.Add(call.Signature) && (known is null || !known.Contains(call.Signature)))
            {
                todo.Add(call);
            }
        }

        _logger.ProfilingStarted(calls.Count, todo.Count, threads, _warmupRuns, _repeats);
        var measured = new Dictionary<string, double>(StringComparer.Ordinal);
        if (todo.Count > 0)
        {
            double[] medians;
            using (new MeasurementSession(networks, threads))
            {
                medians = LayerTimer.TimeUnits(todo, _warmupRuns, _repeats,
                    progress is null ? null : (done, _) => progress.Report(new(done, totalRounds, LatencyProfilingProgress.LayersPhase)),
                    cancellationToken);
            }

            for (var i = 0; i < todo.Count; i++)
            {
                measured[todo[i].Signature] = medians[i];
                _logger.SignatureTimed(todo[i].Signature, medians[i]);
            }
        }

        var metadata = LatencyTableMetadata.ForCurrentMachine(threads, _warmupRuns, _repeats, _timeProvider.GetUtcNow(), known?.Metadata.Description);
        var entries = known is null ? measured : known.Entries.Concat(measured);
        return new LatencyTable(metadata, entries);
    }

    private static void CheckNetworks(IReadOnlyList<Module<Tensor, Tensor>> networks)
    {
        ArgumentNullException.ThrowIfNull(networks);
        for (var i = 0; i < networks.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(networks[i], $"{nameof(networks)}[{i}]");
        }
    }

    private int ResolveThreads() => _threads ?? TensorEngine.ThreadCount;
}
