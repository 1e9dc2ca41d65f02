using NasKit.Tensors.Internal;
using NasKit.Tensors.Internal.Autograd;
using NasKit.Tensors.Internal.Backends;

namespace NasKit.Tensors.NN;

public static partial class Functional
{
    /// <summary>Default <c>ignoreIndex</c> of the classification losses (PyTorch's −100).</summary>
    public const int DefaultIgnoreIndex = -100;

    /// <summary>
    /// Computes the cross-entropy between logits and class indices, with optional class weights, an ignored index and
    /// label smoothing, exactly as PyTorch's <c>cross_entropy</c>.
    /// </summary>
    /// <param name="input">The logits, [N, C], [N, C, d1, ...] or [C].</param>
    /// <param name="target">The class indices, [N], [N, d1, ...] or [] (or probabilities of the input's shape; see the other overload).</param>
    /// <param name="weight">Optional per-class weights, [C].</param>
    /// <param name="ignoreIndex">A target value that contributes neither loss nor gradient.</param>
    /// <param name="reduction">How to reduce; the mean divides by the total weight of the non-ignored targets.</param>
    /// <param name="labelSmoothing">The smoothing ε in [0, 1]: the target becomes (1 − ε)·one-hot + ε/C.</param>
    /// <returns>The loss.</returns>
    public static Tensor CrossEntropy(Tensor input, ReadOnlySpan<int> target, Tensor? weight = null, int ignoreIndex = DefaultIgnoreIndex,
        Reduction reduction = Reduction.Mean, float labelSmoothing = 0f)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckReduction(reduction, "CrossEntropy");
        if (!(labelSmoothing >= 0f && labelSmoothing <= 1f))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(labelSmoothing), labelSmoothing, $"Label smoothing must be in [0, 1], but got {labelSmoothing}.");
        }

        var classDim = input.Rank == 1 ? 0 : 1;
        using var logp = input.LogSoftmax(classDim);
        var nll = NllLoss(logp, target, weight, ignoreIndex, reduction);
        if (labelSmoothing == 0f)
        {
            return nll;
        }

        var classes = input.ShapeSpan[classDim];
        var (n, _, inner) = ClassLayout(logp);
        var targets = CheckTargets(target, n, classes, inner, ignoreIndex, input.ShapeSpan);

        // smooth = −Σ_c w_c · log p_c, zero where the target is ignored
        Tensor weighted;
        if (weight is null)
        {
            weighted = logp.Sum(classDim);
        }
        else
        {
            var wShape = Enumerable.Repeat(1, logp.Rank).ToArray();
            wShape[classDim] = classes;
            using var wView = weight.Reshape(wShape);
            using var prod = logp.Mul(wView);
            weighted = prod.Sum(classDim);
        }

        using var ignoredMask = IgnoreMask(targets, ignoreIndex, weighted.Shape);
        using var smoothPerElem = weighted.Neg();
        using var smooth = smoothPerElem.Mul(ignoredMask);
        weighted.Dispose();
        Tensor smoothReduced;
        switch (reduction)
        {
            case Reduction.Mean:
                var denominator = 0.0;
                var w = weight?.ToArray();
                foreach (var t in targets)
                {
                    if (t != ignoreIndex)
                    {
                        denominator += w is null ? 1.0 : w[t];
                    }
                }

                using (var total = smooth.Sum())
                {
                    smoothReduced = total.Div((float)denominator);
                }

                break;
            case Reduction.Sum:
                smoothReduced = smooth.Sum();
                break;
            default:
                smoothReduced = smooth.Mul(1f);
                break;
        }

        using (nll)
        using (smoothReduced)
        using (var a = nll.Mul(1f - labelSmoothing))
        using (var b = smoothReduced.Mul(labelSmoothing / classes))
        {
            return a.Add(b);
        }
    }

    /// <summary>Computes the cross-entropy with class indices held in a tensor of exact integers.</summary>
    /// <param name="input">The logits.</param>
    /// <param name="target">The class indices as a tensor, or class probabilities of the input's shape.</param>
    /// <param name="weight">Optional per-class weights, [C].</param>
    /// <param name="ignoreIndex">A target value that contributes neither loss nor gradient (index targets only).</param>
    /// <param name="reduction">How to reduce.</param>
    /// <param name="labelSmoothing">The smoothing ε in [0, 1].</param>
    /// <returns>The loss.</returns>
    public static Tensor CrossEntropy(Tensor input, Tensor target, Tensor? weight = null, int ignoreIndex = DefaultIgnoreIndex,
        Reduction reduction = Reduction.Mean, float labelSmoothing = 0f)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (!target.ShapeSpan.SequenceEqual(input.ShapeSpan))
        {
            return CrossEntropy(input, Tensor.ToIndexArray(target, nameof(target)), weight, ignoreIndex, reduction, labelSmoothing);
        }

        // Probability targets: loss = −Σ_c w_c · t_c · log p_c, mean over samples.
        CheckReduction(reduction, "CrossEntropy");
        var classDim = input.Rank == 1 ? 0 : 1;
        var classes = input.ShapeSpan[classDim];
        using var logp = input.LogSoftmax(classDim);
        using var smoothed = labelSmoothing == 0f ? target.Mul(1f) : target.AffineKernel(1f - labelSmoothing, labelSmoothing / classes);
        using var prod = logp.Mul(smoothed);
        Tensor weightedProd;
        if (weight is null)
        {
            weightedProd = prod.Mul(1f);
        }
        else
        {
            var wShape = Enumerable.Repeat(1, logp.Rank).ToArray();
            wShape[classDim] = classes;
            using var wView = weight.Reshape(wShape);
            weightedProd = prod.Mul(wView);
        }

        using (weightedProd)
        using (var perSample = weightedProd.Sum(classDim))
        using (var neg = perSample.Neg())
        {
            return reduction switch
            {
                Reduction.Sum => neg.Sum(),
                Reduction.None => neg.Mul(1f),
                _ => neg.Mean(),
            };
        }
    }

    /// <summary>Computes the negative log-likelihood of log-probabilities at the target classes.</summary>
    /// <param name="input">The log-probabilities, [N, C], [N, C, d1, ...] or [C].</param>
    /// <param name="target">The class indices, [N], [N, d1, ...] or [].</param>
    /// <param name="weight">Optional per-class weights, [C].</param>
    /// <param name="ignoreIndex">A target value that contributes neither loss nor gradient.</param>
    /// <param name="reduction">How to reduce; the mean divides by the total weight of the non-ignored targets.</param>
    /// <returns>The loss.</returns>
    /// <exception cref="ArgumentException">A target is outside [0, C) and not the ignored index, or shapes disagree.</exception>
    public static Tensor NllLoss(Tensor input, ReadOnlySpan<int> target, Tensor? weight = null, int ignoreIndex = DefaultIgnoreIndex, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(input);
        CheckReduction(reduction, "NllLoss");
        var (n, c, inner) = ClassLayout(input);
        var targets = CheckTargets(target, n, c, inner, ignoreIndex, input.ShapeSpan);
        if (weight is not null && (weight.Rank != 1 || weight.ShapeSpan[0] != c))
        {
            ThrowHelper.ThrowArgument($"Class weights must have shape [{c}], but got {ThrowHelper.FormatShape(weight.ShapeSpan)}.", nameof(weight));
        }

        using var losses = Tensor.CreateUninitialized([n * inner]);
        double totalWeight;
        using (var xc = input.AsContiguous())
        using (var wc = weight is null ? default : weight.AsContiguous())
        {
            totalWeight = input.Backend.NllLossForward(n, c, inner, xc.Tensor, targets, weight is null ? null : wc.Tensor, ignoreIndex, losses);
        }

        var elementShape = ElementShape(input);
        Tensor result = reduction switch
        {
            Reduction.None => losses.ReshapeRaw(elementShape),
            Reduction.Sum => Tensor.Scalar((float)losses.Backend.SumAll(losses)),
            _ => Tensor.Scalar((float)(losses.Backend.SumAll(losses) / totalWeight)),
        };

        if (GradRecorder.Needs(input))
        {
            var inputShape = input.Shape;
            GradRecorder.Record(result, "NllLossBackward", input, g =>
            {
                using var scale = reduction == Reduction.Mean ? g.Div((float)totalWeight) : g.Mul(1f);
                using var sc = scale.AsContiguous();
                using var wc = weight is null ? default : weight.AsContiguous();
                var gi = Tensor.CreateUninitialized(inputShape);
                gi.Backend.NllLossBackward(n, c, inner, targets, weight is null ? null : wc.Tensor, ignoreIndex, sc.Tensor, gi);
                return gi;
            }, weight);
        }

        return result;
    }

    /// <summary>Computes the negative log-likelihood with targets held in a tensor of exact integers.</summary>
    /// <param name="input">The log-probabilities.</param>
    /// <param name="target">The class indices.</param>
    /// <param name="weight">Optional per-class weights.</param>
    /// <param name="ignoreIndex">A target value that contributes neither loss nor gradient.</param>
    /// <param name="reduction">How to reduce.</param>
    /// <returns>The loss.</returns>
    public static Tensor NllLoss(Tensor input, Tensor target, Tensor? weight = null, int ignoreIndex = DefaultIgnoreIndex, Reduction reduction = Reduction.Mean)
    {
        ArgumentNullException.ThrowIfNull(target);
        return NllLoss(input, Tensor.ToIndexArray(target, nameof(target)), weight, ignoreIndex, reduction);
    }

    /// <summary>Computes the mean squared error.</summary>
    /// <param name="input">The prediction.</param>
    /// <param name="target">The target (same shape).</param>
    /// <param name="reduction">How to reduce.</param>
    /// <returns>The loss.</returns>
    public static Tensor MseLoss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        CheckSameShape(input, target, "MseLoss");
        using var diff = input.Sub(target);
        using var sq = diff.Square();
        return Reduce(sq, reduction, "MseLoss");
    }

    /// <summary>Computes the mean absolute error.</summary>
    /// <param name="input">The prediction.</param>
    /// <param name="target">The target (same shape).</param>
    /// <param name="reduction">How to reduce.</param>
    /// <returns>The loss.</returns>
    public static Tensor L1Loss(Tensor input, Tensor target, Reduction reduction = Reduction.Mean)
    {
        CheckSameShape(input, target, "L1Loss");
        using var diff = input.Sub(target);
        using var abs = diff.Abs();
        return Reduce(abs, reduction, "L1Loss");
    }

    /// <summary>
    /// Computes the binary cross-entropy of probabilities; log terms are clamped at −100 as PyTorch does, and the input
    /// gradient is PyTorch's (x − t)/max(x·(1 − x), 10⁻¹²), which stays finite at probabilities of exactly 0 or 1.
    /// </summary>
    /// <param name="input">The probabilities, in [0, 1].</param>
    /// <param name="target">The targets (same shape), in [0, 1].</param>
    /// <param name="weight">Optional element weights (broadcast).</param>
    /// <param name="reduction">How to reduce.</param>
    /// <returns>The loss.</returns>
    public static Tensor BinaryCrossEntropy(Tensor input, Tensor target, Tensor? weight = null, Reduction reduction = Reduction.Mean)
    {
        CheckSameShape(input, target, "BinaryCrossEntropy");
        Tensor perElement;
        using (Autograd.NoGrad())
        {
            using var logXc = ClampedLog(input, complement: false);
            using var log1mXc = ClampedLog(input, complement: true);
            using var a = target.Mul(logXc);
            using var oneMinusT = 1f - target;
            using var b = oneMinusT.Mul(log1mXc);
            using var sum = a.Add(b);
            perElement = sum.Neg();
        }

        if (GradRecorder.Needs(input, target))
        {
            // Differentiating the clamped logs would give 0·∞ = NaN where x is exactly 0 or 1 (a saturated sigmoid).
            var (ri, rt) = (input.RequiresGrad, target.RequiresGrad);
            GradRecorder.Record(perElement, "BinaryCrossEntropyBackward", [input, target], g =>
            {
                Tensor? gi = null, gt = null;
                if (ri)
                {
                    using var diff = Tensor.BinaryKernel(BinaryOp.Sub, input, target);
                    using var oneMinus = input.AffineKernel(-1f, 1f);
                    using var variance = Tensor.BinaryKernel(BinaryOp.Mul, input, oneMinus);
                    using var eps = Tensor.Scalar(1e-12f);
                    using var denominator = Tensor.BinaryKernel(BinaryOp.Maximum, variance, eps);
                    using var local = Tensor.BinaryKernel(BinaryOp.Div, diff, denominator);
                    gi = Tensor.BinaryKernel(BinaryOp.Mul, local, g);
                }

                if (rt)
                {
                    // d/dt = log(1 − x) − log x, both clamped at −100
                    using var logXc = ClampedLog(input, complement: false);
                    using var log1mXc = ClampedLog(input, complement: true);
                    using var local = Tensor.BinaryKernel(BinaryOp.Sub, log1mXc, logXc);
                    gt = Tensor.BinaryKernel(BinaryOp.Mul, local, g);
                }

                return [gi, gt];
            }, input, target);
        }

        using (perElement)
        using (var weighted = weight is null ? perElement.Mul(1f) : perElement.Mul(weight))
        {
            return Reduce(weighted, reduction, "BinaryCrossEntropy");
        }
    }

    /// <summary>Computes max(log x, −100), or max(log(1 − x), −100) for the complement, without autograd.</summary>
    private static Tensor ClampedLog(Tensor x, bool complement)
    {
        using var source = complement ? x.AffineKernel(-1f, 1f) : x.Alias();
        using var log = source.UnaryKernel(UnaryOp.Log);
        return log.UnaryKernel(UnaryOp.Clamp, -100f, float.NaN);
    }

    /// <summary>
    /// Computes the binary cross-entropy of logits in the stable form (1 − t)·x + (1 + (pw − 1)·t)·softplus(−x), with the exact
    /// gradient σ-based backward (correct at x = 0). Targets are treated as constants.
    /// </summary>
    /// <param name="input">The logits.</param>
    /// <param name="target">The targets (same shape), in [0, 1].</param>
    /// <param name="weight">Optional element weights (broadcast).</param>
    /// <param name="positiveWeight">Optional weight of positive examples, broadcast over the last dimension.</param>
    /// <param name="reduction">How to reduce.</param>
    /// <returns>The loss.</returns>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor? weight = null, Tensor? positiveWeight = null, Reduction reduction = Reduction.Mean)
    {
        CheckSameShape(input, target, "BinaryCrossEntropyWithLogits");
        Tensor perElement;
        using (Autograd.NoGrad())
        {
            using var negX = input.Neg();
            using var softplusNegX = Softplus(negX, 1f, 20f);
            using var oneMinusT = 1f - target;
            using var linear = oneMinusT.Mul(input);
            if (positiveWeight is null)
            {
                perElement = linear.Add(softplusNegX);
            }
            else
            {
                using var pwm1 = positiveWeight.Sub(1f);
                using var scaled = pwm1.Mul(target);
                using var l = scaled.Add(1f);
                using var term = l.Mul(softplusNegX);
                perElement = linear.Add(term);
            }
        }

        if (GradRecorder.Needs(input))
        {
            GradRecorder.Record(perElement, "BinaryCrossEntropyWithLogitsBackward", input, g =>
            {
                // d/dx = (1 − t) + L·(σ(x) − 1), L = 1 + (pw − 1)·t
                using var sig = input.UnaryKernel(UnaryOp.Sigmoid);
                using var sigM1 = sig.AffineKernel(1f, -1f);
                Tensor local;
                using var oneMinusT = target.AffineKernel(-1f, 1f);
                if (positiveWeight is null)
                {
                    local = Tensor.BinaryKernel(BinaryOp.Add, oneMinusT, sigM1);
                }
                else
                {
                    using var pwm1 = positiveWeight.AffineKernel(1f, -1f);
                    using var scaled = Tensor.BinaryKernel(BinaryOp.Mul, pwm1, target);
                    using var l = scaled.AffineKernel(1f, 1f);
                    using var term = Tensor.BinaryKernel(BinaryOp.Mul, l, sigM1);
                    local = Tensor.BinaryKernel(BinaryOp.Add, oneMinusT, term);
                }

                using (local)
                {
                    return Tensor.BinaryKernel(BinaryOp.Mul, local, g);
                }
            }, input, target, weight, positiveWeight);
        }

        using (perElement)
        using (var weighted = weight is null ? perElement.Mul(1f) : perElement.Mul(weight))
        {
            return Reduce(weighted, reduction, "BinaryCrossEntropyWithLogits");
        }
    }

    /// <summary>
    /// Computes the Kullback–Leibler divergence KL(target ‖ input) with <paramref name="input"/> given as log-probabilities,
    /// pointwise target·(log target − input) (0 where target = 0), as PyTorch's <c>kl_div</c>.
    /// </summary>
    /// <param name="input">Log-probabilities.</param>
    /// <param name="target">Probabilities, or log-probabilities when <paramref name="logTarget"/>.</param>
    /// <param name="reduction">How to reduce; <see cref="Reduction.BatchMean"/> gives the true KL divergence per sample.</param>
    /// <param name="logTarget">Whether the target is given in log space.</param>
    /// <returns>The divergence.</returns>
    public static Tensor KlDiv(Tensor input, Tensor target, Reduction reduction = Reduction.Mean, bool logTarget = false)
    {
        CheckSameShape(input, target, "KlDiv");
        Tensor pointwise;
        if (logTarget)
        {
            using var p = target.Exp();
            using var diff = target.Sub(input);
            pointwise = p.Mul(diff);
        }
        else
        {
            using var positive = target.Gt(0f);
            using var safeTarget = Tensor.Where(positive, target, Tensor.OnesLike(target));
            using var logT = safeTarget.Log();
            using var diff = logT.Sub(input);
            using var prod = target.Mul(diff);
            using var zero = Tensor.Scalar(0f);
            pointwise = Tensor.Where(positive, prod, zero);
        }

        using (pointwise)
        {
            if (reduction == Reduction.BatchMean)
            {
                using var total = pointwise.Sum();
                return total.Div(input.Rank == 0 ? 1 : input.ShapeSpan[0]);
            }

            return Reduce(pointwise, reduction, "KlDiv");
        }
    }

    /// <summary>Encodes class indices as one-hot rows: [..] → [.., numClasses] (not differentiable).</summary>
    /// <param name="indices">The class indices.</param>
    /// <param name="numClasses">The number of classes; positive.</param>
    /// <returns>The one-hot tensor, [indices.Length, numClasses].</returns>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, numClasses).</exception>
    public static Tensor OneHot(ReadOnlySpan<int> indices, int numClasses)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numClasses);
        var data = new float[indices.Length * numClasses];
        for (var i = 0; i < indices.Length; i++)
        {
            if ((uint)indices[i] >= (uint)numClasses)
            {
                ThrowHelper.ThrowArgumentOutOfRange(nameof(indices), indices[i], $"Class index {indices[i]} at position {i} is outside [0, {numClasses}).");
            }

            data[(i * numClasses) + indices[i]] = 1f;
        }

        return Tensor.FromArray(data, indices.Length, numClasses);
    }

    /// <summary>Encodes a tensor of class indices as one-hot: shape [..] → [.., numClasses].</summary>
    /// <param name="indices">The class indices as exact integers.</param>
    /// <param name="numClasses">The number of classes; positive.</param>
    /// <returns>The one-hot tensor.</returns>
    public static Tensor OneHot(Tensor indices, int numClasses)
    {
        ArgumentNullException.ThrowIfNull(indices);
        using var flat = OneHot(Tensor.ToIndexArray(indices, nameof(indices)), numClasses);
        return flat.Reshape([.. indices.ShapeSpan, numClasses]);
    }

    private static Tensor Reduce(Tensor perElement, Reduction reduction, string op)
    {
        CheckReduction(reduction, op);
        return reduction switch
        {
            Reduction.Sum => perElement.Sum(),
            Reduction.None => perElement.Mul(1f),
            _ => perElement.Mean(),
        };
    }

    private static void CheckReduction(Reduction reduction, string op)
    {
        if (reduction == Reduction.BatchMean && op != "KlDiv")
        {
            ThrowHelper.ThrowArgument($"Reduction.BatchMean is only defined for KlDiv, not {op}.", nameof(reduction));
        }

        if (!Enum.IsDefined(reduction))
        {
            ThrowHelper.ThrowArgumentOutOfRange(nameof(reduction), reduction, "Unknown reduction.");
        }
    }

    private static void CheckSameShape(Tensor input, Tensor target, string op)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(target);
        if (!input.ShapeSpan.SequenceEqual(target.ShapeSpan))
        {
            ThrowHelper.ThrowArgument($"{op} needs input and target of the same shape, but got {ThrowHelper.FormatShape(input.ShapeSpan)} and {ThrowHelper.FormatShape(target.ShapeSpan)}.");
        }
    }

    /// <summary>Views a class-score tensor as [n, c, inner] (class dimension 1, or 0 for an unbatched vector).</summary>
    private static (int N, int C, int Inner) ClassLayout(Tensor input)
    {
        if (input.Rank == 0)
        {
            ThrowHelper.ThrowArgument("Class scores need at least one dimension.", nameof(input));
        }

        if (input.Rank == 1)
        {
            return (1, input.ShapeSpan[0], 1);
        }

        var (outer, c, inner) = input.SplitAt(1);
        return (outer, c, inner);
    }

    private static int[] ElementShape(Tensor input)
    {
        if (input.Rank == 1)
        {
            return [];
        }

        var s = input.Shape.ToList();
        s.RemoveAt(1);
        return [.. s];
    }

    private static int[] CheckTargets(ReadOnlySpan<int> target, int n, int c, int inner, int ignoreIndex, ReadOnlySpan<int> inputShape)
    {
        if (target.Length != n * inner)
        {
            ThrowHelper.ThrowArgument($"Scores of shape {ThrowHelper.FormatShape(inputShape)} need {n * inner} targets, but got {target.Length}.", nameof(target));
        }

        for (var i = 0; i < target.Length; i++)
        {
            var t = target[i];
            if (t != ignoreIndex && (uint)t >= (uint)c)
            {
                ThrowHelper.ThrowArgumentOutOfRange(nameof(target), t, $"Target {t} at position {i} is outside [0, {c}) (and is not the ignored index {ignoreIndex}).");
            }
        }

        return target.ToArray();
    }

    private static Tensor IgnoreMask(int[] targets, int ignoreIndex, int[] shape)
    {
        var data = new float[targets.Length];
        for (var i = 0; i < targets.Length; i++)
        {
            data[i] = targets[i] == ignoreIndex ? 0f : 1f;
        }

        return Tensor.FromArray(data, shape);
    }
}
