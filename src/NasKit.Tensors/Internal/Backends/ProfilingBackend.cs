using System.Collections.Concurrent;
using System.Diagnostics;
using NasKit.Tensors.Internal.Storage;
using NasKit.Tensors.NN;

namespace NasKit.Tensors.Internal.Backends;

/// <summary>
/// A decorator at the backend seam that times every kernel call of the backend it wraps (wall time, calling thread),
/// for <see cref="TensorEngine.StartProfiling"/>. Generated from <see cref="ITensorBackend"/>: one timed forwarder per method.
/// </summary>
internal sealed class ProfilingBackend(ITensorBackend inner) : ITensorBackend
{
    private readonly ITensorBackend _inner = inner;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public Device Device => _inner.Device;

    public TensorStorage Allocate(int length, bool zero) => _inner.Allocate(length, zero);

    public IReadOnlyList<KernelTiming> Snapshot() =>
        _entries.Select(kv => new KernelTiming(kv.Key, Interlocked.Read(ref kv.Value.Calls), TimeSpan.FromSeconds(Interlocked.Read(ref kv.Value.Ticks) / (double)Stopwatch.Frequency)))
            .OrderByDescending(k => k.Total)
            .ToArray();

    private static string KeyOf<TOp>(string kernel, TOp op)
        where TOp : struct, Enum => kernel + "." + op;

    private void Record(string key, long start)
    {
        var elapsed = Stopwatch.GetTimestamp() - start;
        var e = _entries.GetOrAdd(key, static _ => new Entry());
        Interlocked.Increment(ref e.Calls);
        Interlocked.Add(ref e.Ticks, elapsed);
    }

    public void CopyFromHost(ReadOnlySpan<float> source, Tensor destination)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.CopyFromHost(source, destination);
        Record("CopyFromHost", t);
    }

    public void CopyToHost(Tensor source, Span<float> destination)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.CopyToHost(source, destination);
        Record("CopyToHost", t);
    }

    public void Copy(Tensor source, int[] sourceStrides, Tensor destination)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.Copy(source, sourceStrides, destination);
        Record("Copy", t);
    }

    public void Fill(Tensor destination, float value)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.Fill(destination, value);
        Record("Fill", t);
    }

    public void FillUniform(Tensor destination, float low, float high, Generator generator)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.FillUniform(destination, low, high, generator);
        Record("FillUniform", t);
    }

    public void FillNormal(Tensor destination, float mean, float std, Generator generator)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.FillNormal(destination, mean, std, generator);
        Record("FillNormal", t);
    }

    public void FillBernoulli(Tensor destination, float keepProbability, float scale, Generator generator)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.FillBernoulli(destination, keepProbability, scale, generator);
        Record("FillBernoulli", t);
    }

    public void Unary(UnaryOp op, Tensor x, Tensor destination, float alpha, float beta)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.Unary(op, x, destination, alpha, beta);
        Record(KeyOf("Unary", op), t);
    }

    public void UnaryBackward(UnaryOp op, Tensor grad, Tensor saved, Tensor destination, float alpha, float beta)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.UnaryBackward(op, grad, saved, destination, alpha, beta);
        Record(KeyOf("UnaryBackward", op), t);
    }

    public void Binary(BinaryOp op, Tensor a, int[] aStrides, Tensor b, int[] bStrides, Tensor destination, float alpha)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.Binary(op, a, aStrides, b, bStrides, destination, alpha);
        Record(KeyOf("Binary", op), t);
    }

    public void Where(Tensor condition, int[] conditionStrides, Tensor a, int[] aStrides, Tensor b, int[] bStrides, Tensor destination)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.Where(condition, conditionStrides, a, aStrides, b, bStrides, destination);
        Record("Where", t);
    }

    public void Reduce(ReduceOp op, Tensor x, int outer, int reduce, int inner, Tensor destination, Tensor? indices, float alpha)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.Reduce(op, x, outer, reduce, inner, destination, indices, alpha);
        Record(KeyOf("Reduce", op), t);
    }

    public double Dot(Tensor a, Tensor b)
    {
        var t = Stopwatch.GetTimestamp();
        var result = _inner.Dot(a, b);
        Record("Dot", t);
        return result;
    }

    public double SumAll(Tensor x)
    {
        var t = Stopwatch.GetTimestamp();
        var result = _inner.SumAll(x);
        Record("SumAll", t);
        return result;
    }

    public void Softmax(Tensor x, int outer, int dim, int inner, Tensor destination, bool log)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.Softmax(x, outer, dim, inner, destination, log);
        Record((log ? "LogSoftmax" : "Softmax"), t);
    }

    public void SoftmaxBackward(Tensor grad, Tensor output, int outer, int dim, int inner, Tensor destination, bool log)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.SoftmaxBackward(grad, output, outer, dim, inner, destination, log);
        Record((log ? "LogSoftmaxBackward" : "SoftmaxBackward"), t);
    }

    public void Gemm(in GemmDescriptor descriptor, Tensor a, Tensor b, Tensor c)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.Gemm(in descriptor, a, b, c);
        Record("Gemm", t);
    }

    public void Conv2dForward(in Conv2dGeometry g, Tensor input, Tensor weight, Tensor? bias, Tensor output)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.Conv2dForward(in g, input, weight, bias, output);
        Record("Conv2dForward", t);
    }

    public void Conv2dBackwardInput(in Conv2dGeometry g, Tensor gradOutput, Tensor weight, Tensor gradInput, Tensor? input = null)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.Conv2dBackwardInput(in g, gradOutput, weight, gradInput, input);
        Record("Conv2dBackwardInput", t);
    }

    public void Conv2dBackwardWeight(in Conv2dGeometry g, Tensor gradOutput, Tensor input, Tensor gradWeight, Tensor? gradBias)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.Conv2dBackwardWeight(in g, gradOutput, input, gradWeight, gradBias);
        Record("Conv2dBackwardWeight", t);
    }

    public void MaxPool2dForward(in Pool2dGeometry g, Tensor input, Tensor output, Tensor indices)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.MaxPool2dForward(in g, input, output, indices);
        Record("MaxPool2dForward", t);
    }

    public void MaxPool2dBackward(in Pool2dGeometry g, Tensor gradOutput, Tensor indices, Tensor gradInput)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.MaxPool2dBackward(in g, gradOutput, indices, gradInput);
        Record("MaxPool2dBackward", t);
    }

    public void AvgPool2dForward(in Pool2dGeometry g, Tensor input, Tensor output, bool countIncludePad, int divisorOverride)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.AvgPool2dForward(in g, input, output, countIncludePad, divisorOverride);
        Record("AvgPool2dForward", t);
    }

    public void AvgPool2dBackward(in Pool2dGeometry g, Tensor gradOutput, Tensor gradInput, bool countIncludePad, int divisorOverride)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.AvgPool2dBackward(in g, gradOutput, gradInput, countIncludePad, divisorOverride);
        Record("AvgPool2dBackward", t);
    }

    public void AdaptiveAvgPool2dForward(int planes, int inH, int inW, int outH, int outW, Tensor input, Tensor output)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.AdaptiveAvgPool2dForward(planes, inH, inW, outH, outW, input, output);
        Record("AdaptiveAvgPool2dForward", t);
    }

    public void AdaptiveAvgPool2dBackward(int planes, int inH, int inW, int outH, int outW, Tensor gradOutput, Tensor gradInput)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.AdaptiveAvgPool2dBackward(planes, inH, inW, outH, outW, gradOutput, gradInput);
        Record("AdaptiveAvgPool2dBackward", t);
    }

    public void AdaptiveMaxPool2dForward(int planes, int inH, int inW, int outH, int outW, Tensor input, Tensor output, Tensor indices)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.AdaptiveMaxPool2dForward(planes, inH, inW, outH, outW, input, output, indices);
        Record("AdaptiveMaxPool2dForward", t);
    }

    public void BatchNormTrainForward(int n, int c, int plane, Tensor x, Tensor? weight, Tensor? bias, Tensor? runningMean, Tensor? runningVar, float momentum, float eps, Tensor output, Tensor mean, Tensor invStd, bool relu)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.BatchNormTrainForward(n, c, plane, x, weight, bias, runningMean, runningVar, momentum, eps, output, mean, invStd, relu);
        Record(relu ? "BatchNormReluTrainForward" : "BatchNormTrainForward", t);
    }

    public void SgdUpdate(Tensor parameter, Tensor grad, Tensor? momentumBuffer, in SgdUpdateArguments arguments)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.SgdUpdate(parameter, grad, momentumBuffer, arguments);
        Record("SgdUpdate", t);
    }

    public void BatchNormApply(int n, int c, int plane, Tensor x, Tensor mean, Tensor invStd, Tensor? weight, Tensor? bias, Tensor output, bool relu)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.BatchNormApply(n, c, plane, x, mean, invStd, weight, bias, output, relu);
        Record(relu ? "BatchNormReluApply" : "BatchNormApply", t);
    }

    public void BatchNormBackward(int n, int c, int plane, Tensor gradOutput, Tensor x, Tensor mean, Tensor invStd, Tensor? weight, bool batchStatistics, Tensor? gradInput, Tensor? gradWeight, Tensor? gradBias, Tensor? reluOutput)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.BatchNormBackward(n, c, plane, gradOutput, x, mean, invStd, weight, batchStatistics, gradInput, gradWeight, gradBias, reluOutput);
        Record(reluOutput is null ? "BatchNormBackward" : "BatchNormReluBackward", t);
    }

    public void LayerNormForward(int outer, int inner, Tensor x, Tensor? weight, Tensor? bias, float eps, Tensor output, Tensor mean, Tensor invStd)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.LayerNormForward(outer, inner, x, weight, bias, eps, output, mean, invStd);
        Record("LayerNormForward", t);
    }

    public void LayerNormBackward(int outer, int inner, Tensor gradOutput, Tensor x, Tensor mean, Tensor invStd, Tensor? weight, Tensor? gradInput, Tensor? gradWeight, Tensor? gradBias)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.LayerNormBackward(outer, inner, gradOutput, x, mean, invStd, weight, gradInput, gradWeight, gradBias);
        Record("LayerNormBackward", t);
    }

    public void IndexSelect(Tensor x, int outer, int dim, int inner, int[] indices, Tensor destination)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.IndexSelect(x, outer, dim, inner, indices, destination);
        Record("IndexSelect", t);
    }

    public void IndexAdd(Tensor destination, int outer, int dim, int inner, int[] indices, Tensor source)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.IndexAdd(destination, outer, dim, inner, indices, source);
        Record("IndexAdd", t);
    }

    public double NllLossForward(int n, int c, int inner, Tensor logProbs, int[] targets, Tensor? classWeights, int ignoreIndex, Tensor losses)
    {
        var t = Stopwatch.GetTimestamp();
        var result = _inner.NllLossForward(n, c, inner, logProbs, targets, classWeights, ignoreIndex, losses);
        Record("NllLossForward", t);
        return result;
    }

    public void NllLossBackward(int n, int c, int inner, int[] targets, Tensor? classWeights, int ignoreIndex, Tensor gradScale, Tensor gradInput)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.NllLossBackward(n, c, inner, targets, classWeights, ignoreIndex, gradScale, gradInput);
        Record("NllLossBackward", t);
    }

    public void Pad2d(PaddingMode mode, int planes, int h, int w, int left, int right, int top, int bottom, Tensor x, float value, Tensor destination)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.Pad2d(mode, planes, h, w, left, right, top, bottom, x, value, destination);
        Record("Pad2d", t);
    }

    public void Pad2dBackward(PaddingMode mode, int planes, int h, int w, int left, int right, int top, int bottom, Tensor gradOutput, Tensor gradInput)
    {
        var t = Stopwatch.GetTimestamp();
        _inner.Pad2dBackward(mode, planes, h, w, left, right, top, bottom, gradOutput, gradInput);
        Record("Pad2dBackward", t);
    }

    private sealed class Entry
    {
        public long Calls;
        public long Ticks;
    }
}
