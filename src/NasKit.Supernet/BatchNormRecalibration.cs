using NasKit.Supernet.Internal;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Supernet;

/// <summary>
/// Recomputes the running statistics of every batch norm of a model from a set of batches, SPOS's rule for scoring a subnet with
/// inherited weights: shared running statistics describe the average over all sampled paths, not the path being scored.
/// </summary>
/// <remarks>
/// <para>For every <see cref="BatchNorm"/> that tracks running statistics: reset them (mean 0, variance 1, no batches), switch to the
/// cumulative average (<see cref="BatchNorm.Momentum"/> = null, so batch k enters with weight 1/k and each batch counts equally,
/// whatever its size), run the batches through the model in training mode without gradients, then restore each momentum. The
/// running mean ends as the mean of the per-batch means and the running variance as the mean of the per-batch unbiased variances;
/// <c>num_batches_tracked</c> ends as the number of batches.</para>
/// <para>The whole model is in training mode during the passes (as SPOS's tester does), so dropout and similar layers are active;
/// no parameter changes. Afterwards the model is in evaluation mode. If a pass throws or the operation is cancelled, every batch
/// norm's running statistics and momentum are restored to what they were before the call, and the model is left in evaluation mode.</para>
/// </remarks>
public static class BatchNormRecalibration
{
    /// <summary>Recalibrates a model whose forward pass is <see cref="Module{TInput, TOutput}.Call"/>.</summary>
    /// <param name="model">The model; its batch norms are recalibrated.</param>
    /// <param name="batches">The input batches (for example 200 training batches in SPOS); they are not disposed.</param>
    /// <param name="cancellationToken">Cancels between batches.</param>
    /// <returns>The number of batches run; 0 when no batch norm of the model tracks running statistics (nothing is run then).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="batches"/> is empty.</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; the statistics are restored.</exception>
    public static int Recalibrate(Module<Tensor, Tensor> model, IEnumerable<Tensor> batches, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Recalibrate(model, batches, model.Call, cancellationToken);
    }

    /// <summary>Recalibrates a model through a caller-supplied forward pass (for example a supernet's fixed-path forward).</summary>
    /// <param name="model">The model whose batch norms are recalibrated; <paramref name="forward"/> must run them.</param>
    /// <param name="batches">The input batches; they are not disposed.</param>
    /// <param name="forward">Runs one batch through the model and returns its output, which is disposed.</param>
    /// <param name="cancellationToken">Cancels between batches.</param>
    /// <returns>The number of batches run; 0 when no batch norm of the model tracks running statistics (nothing is run then).</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="batches"/> is empty or contains null (the statistics are then restored).</exception>
    /// <exception cref="OperationCanceledException">The token was cancelled; the statistics are restored.</exception>
    public static int Recalibrate(Module model, IEnumerable<Tensor> batches, Func<Tensor, Tensor> forward, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(forward);
        cancellationToken.ThrowIfCancellationRequested();
        using var enumerator = batches.GetEnumerator();
        if (!enumerator.MoveNext())
        {
            throw new ArgumentException("Batch-norm recalibration needs at least one batch, but the sequence is empty.", nameof(batches));
        }

        var norms = model.Modules().OfType<BatchNorm>().Where(bn => bn.TrackRunningStats).ToList();
        if (norms.Count == 0)
        {
            model.Eval();
            return 0;
        }

        var saved = norms.Select(BatchNormSnapshot.Take).ToList();
        var count = 0;
        var completed = false;
        try
        {
            foreach (var bn in norms)
            {
                bn.ResetRunningStats();
                bn.Momentum = null;
            }

            model.Train();
            using (Autograd.NoGrad())
            {
                do
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var batch = enumerator.Current ?? throw new ArgumentException($"Every batch must be a tensor, but batch {count} of the sequence is null.", nameof(batches));
                    using var output = forward(batch);
                    count++;
                }
                while (enumerator.MoveNext());
            }

            completed = true;
        }
        finally
        {
            for (var i = 0; i < norms.Count; i++)
            {
                saved[i].Restore(norms[i], restoreStatistics: !completed);
            }

            model.Eval();
        }

        return count;
    }
}
