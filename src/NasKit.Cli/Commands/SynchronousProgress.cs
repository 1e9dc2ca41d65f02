namespace NasKit.Cli.Commands;

/// <summary>Reports progress on the calling thread, one report at a time (System.Progress would post to the thread pool and reorder lines).</summary>
/// <typeparam name="T">The report type.</typeparam>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    private readonly Lock _gate = new();

    public void Report(T value)
    {
        lock (_gate)
        {
            report(value);
        }
    }
}
