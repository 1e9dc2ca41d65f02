namespace NasKit.Tensors;

/// <summary>Represents the time spent in one kind of kernel while profiling was on.</summary>
/// <param name="Kernel">The kernel, e.g. <c>Conv2dForward</c> or <c>Unary.Relu</c>.</param>
/// <param name="Calls">How many times it ran.</param>
/// <param name="Total">The total wall time of those calls on the calling threads.</param>
public readonly record struct KernelTiming(string Kernel, long Calls, TimeSpan Total);
