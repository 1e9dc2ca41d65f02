using NasKit.Tensors.Internal;

namespace NasKit.Tensors.NN;

/// <summary>Provides gradient clipping (PyTorch's <c>clip_grad_norm_</c> and <c>clip_grad_value_</c>).</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales all gradients together so that their combined norm is at most <paramref name="maxNorm"/>; the scale is
    /// maxNorm / (norm + 1e-6), applied only when below 1, as PyTorch does.
    /// </summary>
    /// <param name="parameters">The parameters whose gradients are clipped (those without a gradient are skipped).</param>
    /// <param name="maxNorm">The largest allowed norm.</param>
    /// <param name="normType">The norm order (2 by default; +∞ for the largest magnitude).</param>
    /// <param name="errorIfNonfinite">Whether a NaN or infinite total norm throws instead of propagating.</param>
    /// <returns>The total norm before clipping.</returns>
    /// <exception cref="InvalidOperationException">The norm is not finite and <paramref name="errorIfNonfinite"/> is set.</exception>
    public static double ClipGradNorm(IEnumerable<Parameter> parameters, double maxNorm, double normType = 2.0, bool errorIfNonfinite = false)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var grads = parameters.Select(p => p.Grad).Where(g => g is not null).Select(g => g!).ToList();
        if (grads.Count == 0)
        {
            return 0;
        }

        double total;
        if (double.IsPositiveInfinity(normType))
        {
            total = 0;
            foreach (var g in grads)
            {
                using var n = g.Norm(float.PositiveInfinity);
                total = Math.Max(total, n.Item());
            }
        }
        else
        {
            double acc = 0;
            foreach (var g in grads)
            {
                using var n = g.Norm((float)normType);
                acc += Math.Pow(n.Item(), normType);
            }

            total = Math.Pow(acc, 1.0 / normType);
        }

        if (errorIfNonfinite && !double.IsFinite(total))
        {
            ThrowHelper.ThrowInvalidOperation($"The total gradient norm of order {normType} is {total}; gradients cannot be clipped.");
        }

        var coefficient = maxNorm / (total + 1e-6);
        if (coefficient < 1)
        {
            using (Autograd.NoGrad())
            {
                foreach (var g in grads)
                {
                    g.MulInPlace((float)coefficient);
                }
            }
        }

        return total;
    }

    /// <summary>Clamps every gradient element to [−clipValue, clipValue].</summary>
    /// <param name="parameters">The parameters whose gradients are clipped.</param>
    /// <param name="clipValue">The bound; non-negative.</param>
    public static void ClipGradValue(IEnumerable<Parameter> parameters, double clipValue)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentOutOfRangeException.ThrowIfNegative(clipValue);
        using (Autograd.NoGrad())
        {
            foreach (var p in parameters)
            {
                p.Grad?.ClampInPlace((float)-clipValue, (float)clipValue);
            }
        }
    }
}
