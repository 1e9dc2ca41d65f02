using NasKit.Data;
using NasKit.Tensors;

namespace NasKit.Optimizers.OneShot.Internal;

/// <summary>The per-step rule of one search method: how a weight batch and an architecture batch update the supernet and α.</summary>
internal abstract class OneShotStepper : IDisposable
{
    protected OneShotStepper(SearchState state) => State = state;

    protected SearchState State { get; }

    /// <summary>Gets the random sources the method draws from, in a fixed order, so a checkpoint can save and restore them.</summary>
    public virtual IReadOnlyList<Generator> Generators => [];

    /// <summary>Gets the mixing temperature of the current epoch, or null.</summary>
    public virtual double? Temperature => null;

    /// <summary>Prepares an epoch (temperatures).</summary>
    public virtual void BeginEpoch(int epoch)
    {
    }

    /// <summary>Runs one step.</summary>
    public abstract void Step(Batch weightBatch, Batch architectureBatch, int step);

    /// <summary>Ends an epoch (drops per-round state).</summary>
    public virtual void EndEpoch()
    {
    }

    public virtual void Dispose()
    {
    }
}
