namespace NasKit.Data.Internal;

/// <summary>Derives independent seeds from a base seed and a counter (epoch), so that nearby pairs do not collide.</summary>
internal static class SeedMixer
{
    /// <summary>Returns a seed that depends on both inputs through a strong 64-bit mixer (SplitMix64's finaliser, applied twice).</summary>
    /// <remarks>Adding the epoch to the seed would make (seed, epoch + 1) and (seed + 1, epoch) share a permutation; mixing first avoids that.</remarks>
    public static long Combine(long seed, int counter)
    {
        var x = Mix(unchecked((ulong)seed) + 0x9E3779B97F4A7C15UL);
        x = Mix(x ^ unchecked((ulong)counter * 0xD1B54A32D192ED03UL));
        return unchecked((long)x);
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
