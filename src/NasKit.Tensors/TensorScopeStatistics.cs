namespace NasKit.Tensors;

/// <summary>Represents tensor and storage counters, for tests and diagnostics that prove memory stays bounded.</summary>
/// <param name="TensorsCreated">Tensor objects created on the current thread since the last reset.</param>
/// <param name="TensorsDisposed">Tensor objects disposed on the current thread (explicitly or by a scope) since the last reset.</param>
/// <param name="PoolAllocatedBytes">Bytes of new arrays the storage pool had to allocate, process-wide, since start.</param>
/// <param name="PoolRetainedBytes">Bytes currently held by the storage pool for reuse, process-wide.</param>
/// <param name="PoolRents">Pooled storage requests, process-wide, since start.</param>
/// <param name="PoolHits">Pooled storage requests served by reuse, process-wide, since start.</param>
/// <param name="PoolRentedBytes">Bytes of pooled storage requested (served by reuse or by a new array), process-wide, since start.</param>
public readonly record struct TensorScopeStatistics(
    long TensorsCreated,
    long TensorsDisposed,
    long PoolAllocatedBytes,
    long PoolRetainedBytes,
    long PoolRents,
    long PoolHits,
    long PoolRentedBytes);
