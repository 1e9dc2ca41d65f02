namespace NasKit.Tensors;

/// <summary>
/// Represents a seeded pseudo-random number generator (xoshiro256**) for every random choice the engine makes:
/// initialisation, dropout, random tensors, shuffling.
/// </summary>
/// <remarks>
/// The same seed gives the same sequence on every machine and runtime. Instances are thread-safe: each draw
/// of a batch of numbers holds the generator's lock, so concurrent users get disjoint, but interleaving-dependent,
/// sequences; give each thread its own generator (see <see cref="Spawn"/>) when results must be reproducible.
/// <see cref="Default"/> starts from seed 0 and can be re-seeded with <see cref="ManualSeed"/>.
/// </remarks>
public sealed class Generator
{
    private readonly Lock _lock = new();
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    /// <summary>Initializes a new instance of the <see cref="Generator"/> class seeded with <paramref name="seed"/>.</summary>
    /// <param name="seed">The seed.</param>
    public Generator(long seed = 0) => ManualSeed(seed);

    /// <summary>Gets the process-wide default generator used when an API is given none. Its initial seed is 0.</summary>
    public static Generator Default { get; } = new(0);

    /// <summary>Gets the seed this generator was last seeded with.</summary>
    public long Seed { get; private set; }

    /// <summary>Re-seeds the generator, restarting its sequence.</summary>
    /// <param name="seed">The seed.</param>
    /// <returns>This generator.</returns>
    public Generator ManualSeed(long seed)
    {
        lock (_lock)
        {
            Seed = seed;
            var x = unchecked((ulong)seed);
            _s0 = SplitMix(ref x);
            _s1 = SplitMix(ref x);
            _s2 = SplitMix(ref x);
            _s3 = SplitMix(ref x);
        }

        return this;
    }

    /// <summary>Gets a snapshot of the state, which <see cref="SetState"/> restores exactly.</summary>
    /// <returns>The state.</returns>
    public GeneratorState GetState()
    {
        lock (_lock)
        {
            return new GeneratorState(_s0, _s1, _s2, _s3, Seed);
        }
    }

    /// <summary>Restores a state taken by <see cref="GetState"/>.</summary>
    /// <param name="state">The state to restore.</param>
    /// <exception cref="ArgumentException">The state is all zeros, which xoshiro256** cannot leave.</exception>
    public void SetState(GeneratorState state)
    {
        if ((state.S0 | state.S1 | state.S2 | state.S3) == 0)
        {
            throw new ArgumentException("A generator state of all zeros is invalid for xoshiro256**.", nameof(state));
        }

        lock (_lock)
        {
            (_s0, _s1, _s2, _s3, Seed) = (state.S0, state.S1, state.S2, state.S3, state.Seed);
        }
    }

    /// <summary>Creates an independent generator whose seed is drawn from this one.</summary>
    /// <returns>The new generator.</returns>
    public Generator Spawn() => new(unchecked((long)NextUInt64()));

    /// <summary>Draws 64 random bits.</summary>
    /// <returns>A uniformly distributed 64-bit value.</returns>
    public ulong NextUInt64()
    {
        lock (_lock)
        {
            return Next();
        }
    }

    /// <summary>Draws a double uniformly from [0, 1).</summary>
    /// <returns>The value.</returns>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Draws an integer uniformly from [0, <paramref name="maxExclusive"/>) without modulo bias.</summary>
    /// <param name="maxExclusive">The exclusive upper bound; must be positive.</param>
    /// <returns>The value.</returns>
    public int NextInt(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        lock (_lock)
        {
            return NextIntUnlocked(maxExclusive);
        }
    }

    /// <summary>Draws an integer uniformly from [<paramref name="minInclusive"/>, <paramref name="maxExclusive"/>).</summary>
    /// <param name="minInclusive">The inclusive lower bound.</param>
    /// <param name="maxExclusive">The exclusive upper bound; must be greater than <paramref name="minInclusive"/>.</param>
    /// <returns>The value.</returns>
    public int NextInt(int minInclusive, int maxExclusive)
    {
        if (maxExclusive <= minInclusive)
        {
            throw new ArgumentException($"'{nameof(minInclusive)} < {nameof(maxExclusive)}' must hold, but got minInclusive={minInclusive}, maxExclusive={maxExclusive}.");
        }

        return minInclusive + (int)NextBounded((ulong)((long)maxExclusive - minInclusive));
    }

    /// <summary>Draws a standard normal value (Box-Muller).</summary>
    /// <returns>The value.</returns>
    public double NextNormal()
    {
        lock (_lock)
        {
            return NormalPair().Z0;
        }
    }

    /// <summary>Shuffles <paramref name="values"/> in place (Fisher-Yates).</summary>
    /// <typeparam name="T">The element type.</typeparam>
    /// <param name="values">The values to shuffle.</param>
    public void Shuffle<T>(Span<T> values)
    {
        lock (_lock)
        {
            for (var i = values.Length - 1; i > 0; i--)
            {
                var j = NextIntUnlocked(i + 1);
                (values[i], values[j]) = (values[j], values[i]);
            }
        }
    }

    /// <summary>Returns a random permutation of 0..<paramref name="n"/>-1.</summary>
    /// <param name="n">The permutation length.</param>
    /// <returns>The permutation.</returns>
    public int[] Permutation(int n)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        var p = new int[n];
        for (var i = 0; i < n; i++)
        {
            p[i] = i;
        }

        Shuffle<int>(p);
        return p;
    }

    /// <summary>Fills <paramref name="destination"/> with values uniform in [<paramref name="low"/>, <paramref name="high"/>).</summary>
    internal void FillUniform(Span<float> destination, float low, float high)
    {
        var scale = high - low;
        lock (_lock)
        {
            for (var i = 0; i < destination.Length; i++)
            {
                var u = (Next() >> 40) * (1.0f / (1 << 24));
                destination[i] = low + (scale * u);
            }
        }
    }

    /// <summary>Fills <paramref name="destination"/> with normal values of the given mean and standard deviation.</summary>
    internal void FillNormal(Span<float> destination, float mean, float std)
    {
        lock (_lock)
        {
            var i = 0;
            for (; i + 1 < destination.Length; i += 2)
            {
                var (z0, z1) = NormalPair();
                destination[i] = (float)(mean + (std * z0));
                destination[i + 1] = (float)(mean + (std * z1));
            }

            if (i < destination.Length)
            {
                destination[i] = (float)(mean + (std * NormalPair().Z0));
            }
        }
    }

    /// <summary>Fills <paramref name="destination"/> with <paramref name="scale"/> where a uniform draw is below <paramref name="keepProbability"/>, else 0.</summary>
    internal void FillBernoulli(Span<float> destination, float keepProbability, float scale)
    {
        var threshold = (ulong)(keepProbability * (double)(1UL << 32));
        lock (_lock)
        {
            var i = 0;
            for (; i + 1 < destination.Length; i += 2)
            {
                var r = Next();
                destination[i] = (r & 0xFFFFFFFFUL) < threshold ? scale : 0f;
                destination[i + 1] = (r >> 32) < threshold ? scale : 0f;
            }

            if (i < destination.Length)
            {
                destination[i] = (Next() >> 32) < threshold ? scale : 0f;
            }
        }
    }

    private (double Z0, double Z1) NormalPair()
    {
        double u1;
        do
        {
            u1 = (Next() >> 11) * (1.0 / (1UL << 53));
        }
        while (u1 <= double.Epsilon);

        var u2 = (Next() >> 11) * (1.0 / (1UL << 53));
        var r = Math.Sqrt(-2.0 * Math.Log(u1));
        var theta = 2.0 * Math.PI * u2;
        return (r * Math.Cos(theta), r * Math.Sin(theta));
    }

    private int NextIntUnlocked(int maxExclusive) => (int)NextBoundedUnlocked((ulong)maxExclusive);

    private ulong NextBounded(ulong bound)
    {
        lock (_lock)
        {
            return NextBoundedUnlocked(bound);
        }
    }

    private ulong NextBoundedUnlocked(ulong bound)
    {
        // Lemire's nearly divisionless method with rejection: exact uniformity.
        var x = Next();
        var m = Math.BigMul(x, bound, out var low);
        if (low < bound)
        {
            var t = (0 - bound) % bound;
            while (low < t)
            {
                x = Next();
                m = Math.BigMul(x, bound, out low);
            }
        }

        return m;
    }

    private ulong Next()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    private static ulong SplitMix(ref ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        var z = x;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
