using NasKit.Tensors.Internal.Backends;
using NasKit.Tensors.NN;

namespace NasKit.Tensors.Tests.Internal.Backends.Cpu;

/// <summary>
/// Batch normalisation (CpuBackend.Normalization.cs with Kernels/StatisticsKernels.cs): training forward and backward
/// and evaluation against a double-precision reference written here, for every plane length 1..70 (vector bodies and
/// scalar tails), a large mean offset, and NaN/∞ propagation confined to the affected channel.
/// </summary>
/// <remarks>
/// Tolerances follow the error analysis of the float32 formulas. The output is computed in the affine form x·s + t
/// (s = γ·invStd, t = β − μ·s), so its error is a few ulps of the largest |x| times the gain s; this is also how PyTorch
/// 1.13 computes it on the CPU (torch.nn.functional.batch_norm on 1000 + 0.01·randn(4, 3, 50) deviates from float64 by
/// up to 8.3e-3, about 0.9 ulp(1000)·s). The input gradient dx = s·(dy − mean(dy) − proj·(x − μ)) is compared with
/// 4u times the magnitudes of its terms plus the float32 reduction errors of Σdy and Σdy·(x − μ).
/// </remarks>
public partial class CpuBackendTests
{
    private const float Momentum = 0.1f;
    private const float Eps = 1e-5f;

    [TestCase(1)]
    [TestCase(2)]
    public void BatchNormTraining_EveryPlaneLength1To70_ForwardBackwardAndRunningStatisticsMatchReference(int threads)
    {
        TensorEngine.ThreadCount = threads;
        for (var plane = 1; plane <= 70; plane++)
        {
            var withAffine = plane % 3 != 0;
            var data = BatchNormData.Create(n: 2, c: 3, plane, seed: plane, offset: 0.5f, spread: 2f, withAffine);
            AssertTrainingMatchesReference(data, $"plane {plane}{(withAffine ? string.Empty : ", no affine")}");
        }
    }

    [TestCase(1)]
    [TestCase(2)]
    public void BatchNormEvaluation_EveryPlaneLength1To70_ForwardAndBackwardMatchReference(int threads)
    {
        TensorEngine.ThreadCount = threads;
        for (var plane = 1; plane <= 70; plane++)
        {
            var data = BatchNormData.Create(n: 3, c: 2, plane, seed: 100 + plane, offset: -0.25f, spread: 2f, withAffine: plane % 4 != 0);
            AssertEvaluationMatchesReference(data, $"plane {plane}");
        }
    }

    [TestCase(4, 3, 50)]
    [TestCase(8, 2, 7 * 7)]
    [TestCase(2, 2, 33 * 33)]
    public void BatchNormTraining_MeanOffset1000StdOnePercent_StaysAccurate(int n, int c, int plane)
    {
        // 1000 + 0.01·z: a one-pass E[x²] − E[x]² variance would lose every digit (E[x²] ≈ 1e6, Var ≈ 1e-4).
        var data = BatchNormData.Create(n, c, plane, seed: 9, offset: 1000f, spread: 0.01f, withAffine: true, gaussian: true);
        AssertTrainingMatchesReference(data, $"n {n}, c {c}, plane {plane}");
    }

    [Test]
    public void BatchNormTraining_NaNOrInfinityInOneChannel_PoisonsOnlyThatChannel()
    {
        var data = BatchNormData.Create(n: 2, c: 3, plane: 37, seed: 5, offset: 0f, spread: 2f, withAffine: true);
        data.Input[(1 * 3 * 37) + (1 * 37) + 20] = float.NaN;            // image 1, channel 1
        data.Input[(0 * 3 * 37) + (2 * 37) + 36] = float.PositiveInfinity; // image 0, channel 2, in the scalar tail
        var forward = RunTraining(data);
        var reference = ReferenceTraining(data, forward.Mean, forward.InvStd);
        var exact = ReferenceStatistics(data);
        Assert.Multiple(() =>
        {
            // Σx, hence μ, σ² and every output of channels 1 and 2 are NaN; channel 0 is untouched.
            Assert.That(forward.Output.Skip(37).Take(2 * 37).Concat(forward.Output.Skip((3 + 1) * 37).Take(2 * 37)), Is.All.NaN, "outputs of channels 1 and 2");
            Assert.That(Deviations(forward.Output, reference.Output, reference.OutputTolerance), Is.Empty, "output");
            Assert.That(forward.Mean[0], Is.Not.NaN);
            // μ is NaN in channel 1 and +∞ in channel 2 (x − μ is then −∞ or NaN, so σ² and the outputs are NaN).
            Assert.That(forward.RunningMean, Is.EqualTo(new[] { (float)exact.RunningMean[0], float.NaN, float.PositiveInfinity }).Within(1e-6), "running mean");
            Assert.That(float.IsNaN(forward.RunningVar[1]) && float.IsNaN(forward.RunningVar[2]) && float.IsFinite(forward.RunningVar[0]), Is.True, "running variance");
            Assert.That(Deviations(forward.GradInput, reference.GradInput, reference.GradInputTolerance), Is.Empty, "input gradient");
            Assert.That(Deviations(forward.GradWeight, reference.GradWeight, reference.GradWeightTolerance), Is.Empty, "weight gradient");
            // β's gradient is Σdy, which does not involve x: it stays finite even in the poisoned channels (as in PyTorch).
            Assert.That(forward.GradBias, Is.All.Not.NaN, "bias gradient");
        });
    }

    [Test]
    public void BatchNormEvaluation_NaNInput_StaysInItsElement()
    {
        var data = BatchNormData.Create(n: 2, c: 3, plane: 19, seed: 6, offset: 0f, spread: 2f, withAffine: true);
        data.Input[25] = float.NaN;
        data.Input[70] = float.NegativeInfinity;
        var result = RunEvaluation(data);
        Assert.Multiple(() =>
        {
            Assert.That(result.Output.Select((v, i) => (v, i)).Where(e => !float.IsFinite(e.v)).Select(e => e.i), Is.EqualTo(new[] { 25, 70 }));
            Assert.That(result.Output[25], Is.NaN);
            Assert.That(result.Output[70], Is.EqualTo(data.Weight![70 / 19 % 3] > 0 ? float.NegativeInfinity : float.PositiveInfinity));
        });
    }

    [Test]
    public void BatchNormBackward_NaNInOutputGradient_PoisonsOnlyThatChannel()
    {
        var data = BatchNormData.Create(n: 2, c: 3, plane: 20, seed: 7, offset: 0f, spread: 2f, withAffine: true);
        data.GradOutput[(1 * 3 * 20) + 5] = float.NaN; // image 1, channel 0
        var forward = RunTraining(data);
        var reference = ReferenceTraining(data, forward.Mean, forward.InvStd);
        Assert.Multiple(() =>
        {
            Assert.That(Deviations(forward.GradInput, reference.GradInput, reference.GradInputTolerance), Is.Empty, "input gradient");
            Assert.That(Deviations(forward.GradWeight, reference.GradWeight, reference.GradWeightTolerance), Is.Empty, "weight gradient");
            Assert.That(Deviations(forward.GradBias, reference.GradBias, reference.GradBiasTolerance), Is.Empty, "bias gradient");
            Assert.That(float.IsNaN(forward.GradBias[0]) && float.IsFinite(forward.GradBias[1]) && float.IsFinite(forward.GradBias[2]), Is.True, "bias gradient NaN only in channel 0");
        });
    }

    [Test]
    public void BatchNormFunctional_TrainingStep_MatchesBackendReference()
    {
        // The public op with autograd: the same numbers as the backend-level reference above.
        var data = BatchNormData.Create(n: 3, c: 2, plane: 5 * 7, seed: 8, offset: 3f, spread: 1f, withAffine: true);
        using var x = Tensor.FromArray(data.Input, 3, 2, 5, 7).WithRequiresGrad();
        using var w = Tensor.FromArray(data.Weight!, 2).WithRequiresGrad();
        using var b = Tensor.FromArray(data.Bias!, 2).WithRequiresGrad();
        using var rm = Tensor.FromArray(data.RunningMean, 2);
        using var rv = Tensor.FromArray(data.RunningVar, 2);
        using var y = Functional.BatchNorm(x, rm, rv, w, b, training: true, momentum: Momentum, eps: Eps);
        using var dy = Tensor.FromArray(data.GradOutput, y.Shape);
        y.Backward(dy);
        var backend = RunTraining(data);
        var reference = ReferenceTraining(data, backend.Mean, backend.InvStd);
        Assert.Multiple(() =>
        {
            Assert.That(Deviations(y.ToArray(), reference.Output, reference.OutputTolerance), Is.Empty, "output");
            Assert.That(Deviations(x.Grad!.ToArray(), reference.GradInput, reference.GradInputTolerance), Is.Empty, "input gradient");
            Assert.That(Deviations(w.Grad!.ToArray(), reference.GradWeight, reference.GradWeightTolerance), Is.Empty, "weight gradient");
            Assert.That(Deviations(b.Grad!.ToArray(), reference.GradBias, reference.GradBiasTolerance), Is.Empty, "bias gradient");
            Assert.That(rm.ToArray(), Is.EqualTo(backend.RunningMean).AsCollection, "running mean");
            Assert.That(rv.ToArray(), Is.EqualTo(backend.RunningVar).AsCollection, "running variance");
        });
    }

    [TestCase(1)]
    [TestCase(2)]
    public void BatchNormReluTraining_EveryPlaneLength1To70_EqualsBatchNormThenRelu(int threads)
    {
        // The fused kernels against the unfused ones: the output is bit-identical to ReLU(batch norm), and the gradients equal
        // batch norm's gradients for the ReLU-masked incoming gradient (reference in double, same tolerances as above).
        TensorEngine.ThreadCount = threads;
        for (var plane = 1; plane <= 70; plane++)
        {
            var data = BatchNormData.Create(n: 2, c: 3, plane, seed: 200 + plane, offset: 0.25f, spread: 2f, withAffine: plane % 3 != 0);
            var plain = RunTraining(data);
            var fused = RunTraining(data, relu: true);
            var expected = plain.Output.Select(Relu).ToArray();
            var masked = data with { GradOutput = data.GradOutput.Select((g, i) => expected[i] > 0f ? g : 0f).ToArray() };
            var reference = ReferenceTraining(masked, fused.Mean, fused.InvStd);
            Assert.Multiple(() =>
            {
                Assert.That(fused.Output, Is.EqualTo(expected).AsCollection, $"output, plane {plane}");
                Assert.That(fused.Mean, Is.EqualTo(plain.Mean).AsCollection, $"mean, plane {plane}");
                Assert.That(fused.RunningVar, Is.EqualTo(plain.RunningVar).AsCollection, $"running variance, plane {plane}");
                Assert.That(Deviations(fused.GradInput, reference.GradInput, reference.GradInputTolerance), Is.Empty, $"input gradient, plane {plane}");
                Assert.That(Deviations(fused.GradWeight, reference.GradWeight, reference.GradWeightTolerance), Is.Empty, $"weight gradient, plane {plane}");
                Assert.That(Deviations(fused.GradBias, reference.GradBias, reference.GradBiasTolerance), Is.Empty, $"bias gradient, plane {plane}");
            });
        }
    }

    [Test]
    public void BatchNormReluEvaluation_EveryPlaneLength1To70_EqualsBatchNormThenRelu()
    {
        for (var plane = 1; plane <= 70; plane++)
        {
            var data = BatchNormData.Create(n: 3, c: 2, plane, seed: 300 + plane, offset: -0.25f, spread: 2f, withAffine: plane % 4 != 0);
            data.Input[plane - 1] = float.NaN;
            var plain = RunEvaluation(data);
            var fused = RunEvaluation(data, relu: true);
            var expected = plain.Output.Select(Relu).ToArray();
            var masked = RunEvaluation(data with { GradOutput = data.GradOutput.Select((g, i) => expected[i] > 0f ? g : 0f).ToArray() });
            Assert.Multiple(() =>
            {
                Assert.That(fused.Output, Is.EqualTo(expected).AsCollection, $"output, plane {plane}");
                Assert.That(fused.GradInput, Is.EqualTo(masked.GradInput).AsCollection, $"input gradient, plane {plane}");
                Assert.That(fused.GradWeight, Is.EqualTo(masked.GradWeight).Within(1e-4).AsCollection, $"weight gradient, plane {plane}");
                Assert.That(fused.GradBias, Is.EqualTo(masked.GradBias).Within(1e-4).AsCollection, $"bias gradient, plane {plane}");
            });
        }
    }

    private static float Relu(float v) => float.IsNaN(v) ? v : Math.Max(v, 0f);

    // ---- runs ---------------------------------------------------------------------------------------------------

    private static void AssertTrainingMatchesReference(BatchNormData data, string context)
    {
        var actual = RunTraining(data);
        var exact = ReferenceStatistics(data);
        var reference = ReferenceTraining(data, actual.Mean, actual.InvStd);
        Assert.Multiple(() =>
        {
            var reduction = ((exact.Count / 8.0) + 32) * UnitRoundoff;
            for (var ch = 0; ch < data.C; ch++)
            {
                // μ: float32 sums of each plane (at most (plane/16 + 16)·u·Σ|x| off) added in double, rounded to float.
                var meanTolerance = ((Math.Min(data.Plane, 1024) / 16.0) + 16) * UnitRoundoff * exact.MeanAbs[ch];
                Assert.That(actual.Mean[ch], Is.EqualTo(exact.Mean[ch]).Within(meanTolerance), $"mean[{ch}], {context}");

                // σ² is the two-pass sum of squares about the kernel's own float μ: Σ(x − μf)²/n = σ² + (μ − μf)², exact
                // but for the float32 accumulation of the squares.
                double mu = actual.Mean[ch], ss = 0;
                foreach (var i in ChannelIndices(data, ch))
                {
                    ss += (data.Input[i] - mu) * (data.Input[i] - mu);
                }

                var variance = ss / exact.Count;
                var inv = 1.0 / Math.Sqrt(variance + Eps);
                Assert.That(actual.InvStd[ch], Is.EqualTo(inv).Within((reduction + (4 * UnitRoundoff)) * inv), $"invStd[{ch}], {context}");

                var unbiased = exact.Count > 1 ? ss / (exact.Count - 1) : variance;
                var runningVar = ((1 - Momentum) * data.RunningVar[ch]) + (Momentum * unbiased);
                Assert.That(actual.RunningMean[ch], Is.EqualTo(exact.RunningMean[ch]).Within((4 * UnitRoundoff * Math.Abs(exact.RunningMean[ch])) + (Momentum * meanTolerance)), $"running mean[{ch}], {context}");
                Assert.That(actual.RunningVar[ch], Is.EqualTo(runningVar).Within((4 * UnitRoundoff * runningVar) + (Momentum * reduction * unbiased)), $"running variance[{ch}], {context}");
            }

            Assert.That(Deviations(actual.Output, exact.Output, exact.OutputTolerance), Is.Empty, $"output against exact statistics, {context}");
            Assert.That(Deviations(actual.GradInput, reference.GradInput, reference.GradInputTolerance), Is.Empty, $"input gradient, {context}");
            Assert.That(Deviations(actual.GradWeight, reference.GradWeight, reference.GradWeightTolerance), Is.Empty, $"weight gradient, {context}");
            Assert.That(Deviations(actual.GradBias, reference.GradBias, reference.GradBiasTolerance), Is.Empty, $"bias gradient, {context}");
        });
    }

    private static void AssertEvaluationMatchesReference(BatchNormData data, string context)
    {
        var actual = RunEvaluation(data);
        var count = data.N * data.Plane;
        var y = new double[data.Input.Length];
        var tolY = new double[y.Length];
        var dx = new double[y.Length];
        var tolDx = new double[y.Length];
        var dw = new double[data.C];
        var tolDw = new double[data.C];
        var db = new double[data.C];
        var tolDb = new double[data.C];
        for (var ch = 0; ch < data.C; ch++)
        {
            var inv = 1.0 / Math.Sqrt(data.RunningVar[ch] + (double)Eps);
            var gamma = data.Weight?[ch] ?? 1.0;
            var beta = data.Bias?[ch] ?? 0.0;
            var scale = gamma * inv;
            double sumMag = 0, dotMag = 0;
            foreach (var i in ChannelIndices(data, ch))
            {
                var centred = data.Input[i] - (double)data.RunningMean[ch];
                y[i] = (centred * scale) + beta;
                tolY[i] = 8 * UnitRoundoff * ((Math.Abs(data.Input[i] * scale) + Math.Abs(data.RunningMean[ch] * scale) + Math.Abs(beta)) + Math.Abs(y[i]));
                dx[i] = data.GradOutput[i] * scale;
                tolDx[i] = 8 * UnitRoundoff * Math.Abs(dx[i]);
                dw[ch] += data.GradOutput[i] * centred * inv;
                db[ch] += data.GradOutput[i];
                sumMag += Math.Abs(data.GradOutput[i]);
                dotMag += Math.Abs(data.GradOutput[i] * centred * inv);
            }

            tolDb[ch] = ((count / 8.0) + 32) * UnitRoundoff * sumMag;
            tolDw[ch] = (((count / 8.0) + 36) * UnitRoundoff * dotMag) + 1e-30;
        }

        Assert.Multiple(() =>
        {
            Assert.That(Deviations(actual.Output, y, tolY), Is.Empty, $"output, {context}");
            Assert.That(Deviations(actual.GradInput, dx, tolDx), Is.Empty, $"input gradient, {context}");
            Assert.That(Deviations(actual.GradWeight, dw, tolDw), Is.Empty, $"weight gradient, {context}");
            Assert.That(Deviations(actual.GradBias, db, tolDb), Is.Empty, $"bias gradient, {context}");
        });
    }

    private static BatchNormResult RunTraining(BatchNormData d, bool relu = false)
    {
        var backend = BackendProvider.Cpu;
        int[] shape = [d.N, d.C, d.Plane];
        using var x = GuardedTensor.Of(d.Input, shape);
        using var w = d.Weight is null ? null : GuardedTensor.Of(d.Weight, d.C);
        using var b = d.Bias is null ? null : GuardedTensor.Of(d.Bias, d.C);
        using var rm = GuardedTensor.Of(d.RunningMean, d.C);
        using var rv = GuardedTensor.Of(d.RunningVar, d.C);
        using var y = GuardedTensor.Destination(shape);
        using var mean = GuardedTensor.Destination(d.C);
        using var invStd = GuardedTensor.Destination(d.C);
        using var dy = GuardedTensor.Of(d.GradOutput, shape);
        using var dx = GuardedTensor.Destination(shape);
        using var dw = GuardedTensor.Destination(d.C);
        using var db = GuardedTensor.Destination(d.C);
        backend.BatchNormTrainForward(d.N, d.C, d.Plane, x.View, w?.View, b?.View, rm.View, rv.View, Momentum, Eps, y.View, mean.View, invStd.View, relu);
        backend.BatchNormBackward(d.N, d.C, d.Plane, dy.View, x.View, mean.View, invStd.View, w?.View, batchStatistics: true, dx.View, dw.View, db.View, relu ? y.View : null);
        return new BatchNormResult(y.Read("output"), mean.Read("mean"), invStd.Read("invStd"), rm.Read("running mean"), rv.Read("running variance"),
            dx.Read("input gradient"), dw.Read("weight gradient"), db.Read("bias gradient"));
    }

    private static BatchNormResult RunEvaluation(BatchNormData d, bool relu = false)
    {
        // The evaluation path of Functional.BatchNorm: μ = running mean, invStd = rsqrt(running variance + ε) in float.
        var backend = BackendProvider.Cpu;
        int[] shape = [d.N, d.C, d.Plane];
        var invStdValues = d.RunningVar.Select(v => 1f / MathF.Sqrt(v + Eps)).ToArray();
        using var x = GuardedTensor.Of(d.Input, shape);
        using var w = d.Weight is null ? null : GuardedTensor.Of(d.Weight, d.C);
        using var b = d.Bias is null ? null : GuardedTensor.Of(d.Bias, d.C);
        using var mean = GuardedTensor.Of(d.RunningMean, d.C);
        using var invStd = GuardedTensor.Of(invStdValues, d.C);
        using var y = GuardedTensor.Destination(shape);
        using var dy = GuardedTensor.Of(d.GradOutput, shape);
        using var dx = GuardedTensor.Destination(shape);
        using var dw = GuardedTensor.Destination(d.C);
        using var db = GuardedTensor.Destination(d.C);
        backend.BatchNormApply(d.N, d.C, d.Plane, x.View, mean.View, invStd.View, w?.View, b?.View, y.View, relu);
        backend.BatchNormBackward(d.N, d.C, d.Plane, dy.View, x.View, mean.View, invStd.View, w?.View, batchStatistics: false, dx.View, dw.View, db.View, relu ? y.View : null);
        return new BatchNormResult(y.Read("output"), d.RunningMean, invStdValues, d.RunningMean, d.RunningVar,
            dx.Read("input gradient"), dw.Read("weight gradient"), db.Read("bias gradient"));
    }

    // ---- references ---------------------------------------------------------------------------------------------

    private static IEnumerable<int> ChannelIndices(BatchNormData d, int ch)
    {
        for (var i = 0; i < d.N; i++)
        {
            for (var k = 0; k < d.Plane; k++)
            {
                yield return (((i * d.C) + ch) * d.Plane) + k;
            }
        }
    }

    /// <summary>The exact batch statistics, running-statistics update and output in double precision.</summary>
    private static ExactStatistics ReferenceStatistics(BatchNormData d)
    {
        var count = d.N * d.Plane;
        var s = new ExactStatistics(count, d.C, d.Input.Length);
        for (var ch = 0; ch < d.C; ch++)
        {
            double sum = 0, sumAbs = 0;
            foreach (var i in ChannelIndices(d, ch))
            {
                sum += d.Input[i];
                sumAbs += Math.Abs(d.Input[i]);
            }

            var mean = sum / count;
            double ss = 0;
            foreach (var i in ChannelIndices(d, ch))
            {
                ss += (d.Input[i] - mean) * (d.Input[i] - mean);
            }

            var variance = ss / count;
            var inv = 1.0 / Math.Sqrt(variance + Eps);
            s.Mean[ch] = mean;
            s.MeanAbs[ch] = sumAbs / count;
            s.RunningMean[ch] = ((1 - Momentum) * d.RunningMean[ch]) + (Momentum * mean);
            var gamma = d.Weight?[ch] ?? 1.0;
            var beta = d.Bias?[ch] ?? 0.0;
            var maxAbs = ChannelIndices(d, ch).Max(i => Math.Abs(d.Input[i]));
            var ulp = MathF.BitIncrement(maxAbs) - maxAbs;
            foreach (var i in ChannelIndices(d, ch))
            {
                s.Output[i] = ((d.Input[i] - mean) * inv * gamma) + beta;
                // A few ulps of the largest input times the gain, plus a few ulps of the result.
                s.OutputTolerance[i] = (4 * ulp * Math.Abs(gamma * inv)) + (16 * UnitRoundoff * (Math.Abs(s.Output[i]) + Math.Abs(beta)));
            }
        }

        return s;
    }

    /// <summary>
    /// The batch-statistics gradients in double precision, taking the saved float μ and invStd as the forward pass
    /// stored them (the backward kernel's contract), and the forward output with those statistics.
    /// </summary>
    private static TrainingReference ReferenceTraining(BatchNormData d, float[] savedMean, float[] savedInvStd)
    {
        var count = d.N * d.Plane;
        var r = new TrainingReference(d.Input.Length, d.C);
        var reduction = ((count / 8.0) + 32) * UnitRoundoff;
        for (var ch = 0; ch < d.C; ch++)
        {
            double mu = savedMean[ch], inv = savedInvStd[ch];
            var gamma = d.Weight?[ch] ?? 1.0;
            var beta = d.Bias?[ch] ?? 0.0;
            double sumDy = 0, sumDyXmu = 0, magDy = 0, magDyXmu = 0;
            foreach (var i in ChannelIndices(d, ch))
            {
                sumDy += d.GradOutput[i];
                sumDyXmu += d.GradOutput[i] * (d.Input[i] - mu);
                magDy += Math.Abs(d.GradOutput[i]);
                magDyXmu += Math.Abs(d.GradOutput[i] * (d.Input[i] - mu));
            }

            var scale = gamma * inv;
            var meanDy = sumDy / count;
            var proj = sumDyXmu / count * inv * inv;
            r.GradWeight[ch] = sumDyXmu * inv;
            r.GradWeightTolerance[ch] = (reduction * magDyXmu * Math.Abs(inv)) + (4 * UnitRoundoff * Math.Abs(r.GradWeight[ch])) + 1e-30;
            r.GradBias[ch] = sumDy;
            r.GradBiasTolerance[ch] = (reduction * magDy) + 1e-30;
            foreach (var i in ChannelIndices(d, ch))
            {
                double x = d.Input[i], dy = d.GradOutput[i];
                r.Output[i] = ((x - mu) * scale) + beta;
                r.OutputTolerance[i] = 8 * UnitRoundoff * ((Math.Abs(x * scale) + Math.Abs(mu * scale) + Math.Abs(beta)) + Math.Abs(r.Output[i]));
                r.GradInput[i] = scale * (dy - meanDy - (proj * (x - mu)));
                var terms = Math.Abs(scale) * (Math.Abs(dy) + Math.Abs(meanDy) + (Math.Abs(proj) * (Math.Abs(x) + Math.Abs(mu))));
                var reductions = Math.Abs(scale) * reduction * ((magDy / count) + (magDyXmu / count * inv * inv * Math.Abs(x - mu)));
                r.GradInputTolerance[i] = (4 * UnitRoundoff * terms) + reductions + 1e-30;
            }
        }

        return r;
    }

    private sealed record BatchNormResult(float[] Output, float[] Mean, float[] InvStd, float[] RunningMean, float[] RunningVar, float[] GradInput, float[] GradWeight, float[] GradBias);

    private sealed class ExactStatistics(int count, int channels, int length)
    {
        public int Count { get; } = count;

        public double[] Mean { get; } = new double[channels];

        public double[] MeanAbs { get; } = new double[channels];

        public double[] RunningMean { get; } = new double[channels];

        public double[] Output { get; } = new double[length];

        public double[] OutputTolerance { get; } = new double[length];
    }

    private sealed class TrainingReference(int length, int channels)
    {
        public double[] Output { get; } = new double[length];

        public double[] OutputTolerance { get; } = new double[length];

        public double[] GradInput { get; } = new double[length];

        public double[] GradInputTolerance { get; } = new double[length];

        public double[] GradWeight { get; } = new double[channels];

        public double[] GradWeightTolerance { get; } = new double[channels];

        public double[] GradBias { get; } = new double[channels];

        public double[] GradBiasTolerance { get; } = new double[channels];
    }

    private sealed record BatchNormData(int N, int C, int Plane, float[] Input, float[]? Weight, float[]? Bias, float[] RunningMean, float[] RunningVar, float[] GradOutput)
    {
        public static BatchNormData Create(int n, int c, int plane, int seed, float offset, float spread, bool withAffine, bool gaussian = false)
        {
            var rng = new Random(seed);
            float Next() => gaussian
                ? offset + (spread * (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble())))
                : offset + (spread * (float)(rng.NextDouble() - 0.5));
            var input = new float[n * c * plane];
            for (var i = 0; i < input.Length; i++)
            {
                input[i] = Next();
            }

            float[] Uniform(int count, double low, double high) => Enumerable.Range(0, count).Select(_ => (float)(low + ((high - low) * rng.NextDouble()))).ToArray();
            return new BatchNormData(n, c, plane, input,
                withAffine ? Uniform(c, 0.5, 1.5) : null,
                withAffine ? Uniform(c, -0.5, 0.5) : null,
                Uniform(c, -0.2, 0.2),
                Uniform(c, 0.5, 2.0),
                Uniform(n * c * plane, -1, 1));
        }
    }
}
