namespace NasKit.Hardware.Latency;

/// <summary>Says what <see cref="LatencyTable.Merge"/> does when both tables hold a signature with different values.</summary>
public enum LatencyMergeConflict
{
    /// <summary>Throw an <see cref="InvalidOperationException"/> naming the signature and both values.</summary>
    Throw,

    /// <summary>Keep the value of the table <see cref="LatencyTable.Merge"/> is called on.</summary>
    KeepExisting,

    /// <summary>Take the value of the table passed in.</summary>
    TakeIncoming,

    /// <summary>Take the smaller value (the less disturbed measurement, as timing noise only adds time).</summary>
    TakeMinimum,
}
