using System.Runtime.InteropServices;
using NasKit.Tensors.Internal.Backends.Cpu.Kernels;

namespace NasKit.Tensors.Tests.Internal.Backends.Cpu.Kernels;

public sealed class CacheAlignmentTests
{
    [Test]
    public void Offset_PinnedArraysOfManySizes_PointsAtTheFirst64ByteBoundary()
    {
        // The runtime places arrays at 8- or 16-byte boundaries, so across many allocations every offset class turns up.
        var seen = new HashSet<int>();
        for (var length = 17; length < 17 + 400; length += 3)
        {
            var array = GC.AllocateUninitializedArray<float>(length, pinned: true);
            var offset = CacheAlignment.Offset(array);
            var address = Marshal.UnsafeAddrOfPinnedArrayElement(array, offset);
            var previous = offset == 0 ? 64 : (long)Marshal.UnsafeAddrOfPinnedArrayElement(array, offset - 1) % 64;
            Assert.Multiple(() =>
            {
                Assert.That((long)address % 64, Is.Zero, $"length {length}");
                Assert.That(offset, Is.InRange(0, CacheAlignment.Slack - 1), $"length {length}");
                Assert.That(previous, Is.Not.Zero, $"length {length}: an earlier element was already aligned");
            });
            seen.Add(offset);
        }

        Assert.That(seen, Has.Count.GreaterThan(1), "the arrays did not all start at the same place within a line");
    }

    [Test]
    public void Buffer_GrowingRequests_KeepsTheRequestedLengthPastTheAlignedStartAndReusesTheCache()
    {
        float[]? cache = null;
        var first = CacheAlignment.Buffer(ref cache, 100);
        var again = CacheAlignment.Buffer(ref cache, 50);
        var larger = CacheAlignment.Buffer(ref cache, 1000);
        Assert.Multiple(() =>
        {
            Assert.That(again, Is.SameAs(first), "a shorter request reuses the buffer");
            Assert.That(larger, Is.SameAs(cache).And.Not.SameAs(first), "a longer one replaces it");
            Assert.That(larger.Length - CacheAlignment.Offset(larger), Is.GreaterThanOrEqualTo(1000));
            Assert.That(first.Length - CacheAlignment.Offset(first), Is.GreaterThanOrEqualTo(100));
        });
    }
}
