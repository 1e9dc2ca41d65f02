using System.Collections.Concurrent;
using NasKit.SearchSpace;

namespace NasKit.Objectives.Evaluation;

/// <summary>
/// Caches successful evaluations by the architecture's canonical hash (<see cref="Architecture.CanonicalHash"/>), so an architecture —
/// or one the space considers the same — is evaluated once.
/// </summary>
/// <remarks>
/// <para>Only successes are cached: a failed, pruned or cancelled evaluation is tried again next time. A cache hit returns the stored
/// result as is (its <see cref="EvaluationResult.Duration"/> is the original evaluation's) and reports nothing to the reporter.</para>
/// <para>The key is the canonical form, not the text form: in spaces with isomorphism (NAS-Bench-201) two isomorphic cells share one
/// entry, which is the point for training but means a tabular look-up returns the first cell's row for both.</para>
/// <para>Thread-safe. Two concurrent evaluations of the same uncached architecture both run; the first to finish is kept.</para>
/// </remarks>
public sealed class CachingEvaluator : DelegatingEvaluator
{
    private readonly ConcurrentDictionary<string, EvaluationResult> _cache = new(StringComparer.Ordinal);
    private long _hits;
    private long _misses;

    /// <summary>Initializes a new instance of the <see cref="CachingEvaluator"/> class.</summary>
    /// <param name="inner">The evaluator whose results are cached.</param>
    /// <exception cref="ArgumentNullException"><paramref name="inner"/> is null.</exception>
    public CachingEvaluator(IEvaluator inner)
        : base(inner)
    {
    }

    /// <summary>Gets the number of cached results.</summary>
    public int Count => _cache.Count;

    /// <summary>Gets how many evaluations were answered from the cache.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Gets how many evaluations went to the inner evaluator.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Looks an architecture up without evaluating it.</summary>
    /// <param name="architecture">The architecture.</param>
    /// <param name="result">The cached result, when there is one.</param>
    /// <returns>Whether a result is cached.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="architecture"/> is null.</exception>
    public bool TryGetCached(Architecture architecture, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out EvaluationResult? result)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        return _cache.TryGetValue(architecture.CanonicalHash(), out result);
    }

    /// <summary>Removes every cached result.</summary>
    public void Clear() => _cache.Clear();

    /// <inheritdoc/>
    public override async ValueTask<EvaluationResult> EvaluateAsync(Architecture architecture, ITrialReporter reporter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(reporter);
        cancellationToken.ThrowIfCancellationRequested();
        var key = architecture.CanonicalHash();
        if (_cache.TryGetValue(key, out var cached))
        {
            Interlocked.Increment(ref _hits);
            return cached;
        }

        Interlocked.Increment(ref _misses);
        var result = await Inner.EvaluateAsync(architecture, reporter, cancellationToken).ConfigureAwait(false);
        return _cache.GetOrAdd(key, result);
    }
}
