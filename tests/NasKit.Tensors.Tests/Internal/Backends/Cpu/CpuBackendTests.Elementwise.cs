using System.Globalization;
using NasKit.Tensors.Internal.Backends;
using NasKit.Tensors.Tests.TestSupport;

namespace NasKit.Tensors.Tests.Internal.Backends.Cpu;

/// <summary>
/// Dispatch of the element-wise and reduction kernels (CpuBackend.Elementwise.cs, CpuBackend.cs, CpuBackend.Reductions.cs):
/// every operand layout that selects a different path in Binary (one long row split across threads, span–span,
/// span–scalar, scalar–span, fill, and the general strided loop), Copy and Fill on contiguous and strided views, and the
/// contiguous (inner = 1) against the strided (inner &gt; 1) reduction loops, all on the same logical values with NaN,
/// ±∞ and ±0 injected. The operator structs themselves are covered by Kernels/ElementwiseDriverTests.cs.
/// </summary>
public partial class CpuBackendTests
{
    private static readonly (BinaryOp Op, float Alpha)[] s_binaryOps =
    [
        (BinaryOp.Add, 1f), (BinaryOp.Add, 0.5f), (BinaryOp.Add, -1.3f), (BinaryOp.Sub, 1f), (BinaryOp.Sub, -1.3f),
        (BinaryOp.Mul, 1f), (BinaryOp.Div, 1f), (BinaryOp.Maximum, 1f), (BinaryOp.Minimum, 1f), (BinaryOp.Pow, 1f),
        (BinaryOp.Eq, 1f), (BinaryOp.Ne, 1f), (BinaryOp.Lt, 1f), (BinaryOp.Le, 1f), (BinaryOp.Gt, 1f), (BinaryOp.Ge, 1f),
    ];

    // (a layout, b layout, destination transposed)
    private static readonly (Layout A, Layout B, bool TransposedDestination)[] s_binaryLayouts =
    [
        (Layout.Contiguous, Layout.Contiguous, false),   // one merged row, split across threads
        (Layout.Contiguous, Layout.Row, false),          // span–span per row
        (Layout.Contiguous, Layout.Column, false),       // span–scalar per row
        (Layout.Column, Layout.Contiguous, false),       // scalar–span per row
        (Layout.Column, Layout.Column, false),           // fill per row
        (Layout.Contiguous, Layout.Scalar, false),       // one merged row against a scalar
        (Layout.Scalar, Layout.Contiguous, false),
        (Layout.Transposed, Layout.Contiguous, false),   // general strided loop
        (Layout.Contiguous, Layout.Stepped, false),      // general strided loop
        (Layout.Contiguous, Layout.Contiguous, true),    // strided destination
    ];

    private enum Layout
    {
        Contiguous,
        Transposed,
        Stepped,
        Row,
        Column,
        Scalar,
    }

    [TestCase(1)]
    [TestCase(2)]
    public void Binary_EveryLayoutAndOp_MatchesTheScalarFormula(int threads)
    {
        TensorEngine.ThreadCount = threads;
        (int Rows, int Length)[] sizes = [(1, 0), (3, 1), (3, 17), (2, 40)];
        foreach (var (rows, length) in sizes)
        {
            foreach (var (aLayout, bLayout, transposedDestination) in s_binaryLayouts)
            {
                foreach (var (op, alpha) in s_binaryOps)
                {
                    var a = SpecialRich(seed: (rows * 100) + length, rows * length, low: -3f, high: 3f);
                    var b = SpecialRich(seed: (rows * 100) + length + 1, rows * length, low: 0.25f, high: 3f);
                    AssertBinaryMatches(op, alpha, rows, length, a, aLayout, b, bLayout, transposedDestination);
                }
            }
        }
    }

    [Test]
    public void Binary_OneRowLongerThanTheParallelGrain_SplitsAcrossTwoThreadsCorrectly()
    {
        // 40,000 > CpuBackend.ElementwiseGrain (32,768) elements in one merged row: two threads each take a part.
        TensorEngine.ThreadCount = 2;
        const int Length = 40_000;
        var a = SpecialRich(seed: 1, Length, -3f, 3f);
        var b = SpecialRich(seed: 2, Length, 0.25f, 3f);
        foreach (var (op, alpha) in s_binaryOps)
        {
            AssertBinaryMatches(op, alpha, 1, Length, a, Layout.Contiguous, b, Layout.Contiguous, transposedDestination: false);
            AssertBinaryMatches(op, alpha, 1, Length, a, Layout.Contiguous, b, Layout.Scalar, transposedDestination: false);
            AssertBinaryMatches(op, alpha, 1, Length, a, Layout.Scalar, b, Layout.Contiguous, transposedDestination: false);
        }
    }

    [TestCase(1)]
    [TestCase(2)]
    public void Copy_EverySourceAndDestinationLayout_CopiesEveryBitInLogicalOrder(int threads)
    {
        TensorEngine.ThreadCount = threads;
        foreach (var (rows, length) in new[] { (1, 1), (3, 17), (5, 40), (2, 20_000) })
        {
            // Copies must be bit-exact: NaN payloads and the sign of zero survive.
            var values = SpecialRich(seed: rows + length, rows * length, -3f, 3f);
            values[0] = BitConverter.Int32BitsToSingle(0x7FC0_1234);
            foreach (var source in new[] { Layout.Contiguous, Layout.Transposed, Layout.Stepped, Layout.Row, Layout.Column, Layout.Scalar })
            {
                foreach (var transposedDestination in new[] { false, true })
                {
                    using var src = Operand(values, source, rows, length);
                    using var dst = Destination(rows, length, transposedDestination);
                    BackendProvider.Cpu.Copy(src.View, src.Strides, dst.View);
                    var actual = dst.Read();
                    var expected = Expected(rows, length, (r, l) => src.Value(r, l));
                    var context = $"{rows}x{length}, source {source}, destination {(transposedDestination ? "transposed" : "contiguous")}";
                    Assert.That(actual.Select(BitConverter.SingleToInt32Bits), Is.EqualTo(expected.Select(BitConverter.SingleToInt32Bits)).AsCollection, context);
                }
            }
        }
    }

    [TestCase(1)]
    [TestCase(2)]
    public void Fill_ContiguousAndStridedViews_WriteExactlyTheViewsElements(int threads)
    {
        TensorEngine.ThreadCount = threads;
        foreach (var value in new[] { 2.5f, float.NaN, -0f, float.NegativeInfinity })
        {
            foreach (var (rows, length) in new[] { (1, 1), (3, 17), (4, 9000) })
            {
                // Rows of 2·length storage elements; the views are every other element (strided rows), the left half
                // (contiguous rows at a row stride) and the whole buffer (the contiguous fast path).
                var storage = Enumerable.Range(0, rows * 2 * length).Select(i => (float)i).ToArray();
                foreach (var name in new[] { "stepped", "left half", "contiguous" })
                {
                    using var fresh = GuardedTensor.Of(storage, rows, 2 * length);
                    var target = name switch
                    {
                        "stepped" => fresh.View.Slice(1, 1, 2 * length, 2),
                        "left half" => fresh.View.Narrow(1, 0, length),
                        _ => fresh.View.View(rows * 2 * length),
                    };
                    using (target)
                    {
                        BackendProvider.Cpu.Fill(target, value);
                    }

                    var after = fresh.Read($"fill {name}");
                    for (var i = 0; i < after.Length; i++)
                    {
                        var column = i % (2 * length);
                        var inside = name switch { "stepped" => column % 2 == 1, "left half" => column < length, _ => true };
                        if (!Identical(after[i], inside ? value : storage[i]))
                        {
                            Assert.That(after[i], Is.EqualTo(inside ? value : storage[i]), string.Create(CultureInfo.InvariantCulture, $"{name} view, {rows}x{length}, value {value}, element {i}"));
                        }
                    }
                }
            }
        }
    }

    private static IEnumerable<TestCaseData> ReduceCases()
    {
        foreach (var (op, alpha) in new[]
        {
            (ReduceOp.Sum, 0f), (ReduceOp.Mean, 0f), (ReduceOp.Max, 0f), (ReduceOp.Min, 0f), (ReduceOp.LogSumExp, 0f),
            (ReduceOp.Var, 1f), (ReduceOp.Var, 0f), (ReduceOp.Norm, 1f), (ReduceOp.Norm, 2f), (ReduceOp.Norm, 3f), (ReduceOp.Norm, 0f),
            (ReduceOp.Norm, float.PositiveInfinity),
        })
        {
            yield return new TestCaseData((int)op, alpha).SetArgDisplayNames(op.ToString(), alpha.ToString(CultureInfo.InvariantCulture));
        }
    }

    [TestCaseSource(nameof(ReduceCases))]
    public void Reduce_ContiguousAndStridedLoops_AgreeOnTheSameValues(int opCode, float alpha)
    {
        // Logical M[o, r]: the contiguous loop reduces rows of M (inner = 1), the strided loop reduces columns of Mᵀ
        // stored as [1, reduce, outer] (inner = outer). Max/Min values and indices must be identical (first extremum wins,
        // the first NaN wins); sums agree to the float32 summation error (reduce/8 + 32)·u·Σ|term|.
        var op = (ReduceOp)opCode;
        var extremum = op is ReduceOp.Max or ReduceOp.Min or ReduceOp.LogSumExp;
        foreach (var length in new[] { 0, 1, 2, 15, 16, 17, 33, 300, 1500 })
        {
            if (length == 0 && extremum)
            {
                continue; // rejected above the backend (PyTorch raises for an empty max)
            }

            const int Outer = 9;
            var m = new float[Outer * length];
            var rng = new Random(length + opCode);
            float[] palette = [-2f, -1f, -0f, 0f, 1f, 2f, 0.5f];
            for (var i = 0; i < m.Length; i++)
            {
                m[i] = extremum ? palette[rng.Next(palette.Length)] : (float)((rng.NextDouble() * 4) - 2);
            }

            // Row 1: NaN (twice, the first wins); row 2: +∞; row 3: −∞ everywhere; row 4: +∞ and −∞; rows 0, 5..8 finite.
            if (length > 0)
            {
                m[(1 * length) + (length / 2)] = float.NaN;
                m[(1 * length) + length - 1] = float.NaN;
                m[(2 * length) + (length / 3)] = float.PositiveInfinity;
                Array.Fill(m, float.NegativeInfinity, 3 * length, length);
                m[(4 * length) + (length / 4)] = float.PositiveInfinity;
                m[(4 * length) + length - 1] = float.NegativeInfinity;
            }

            var transposed = new float[m.Length];
            for (var o = 0; o < Outer; o++)
            {
                for (var r = 0; r < length; r++)
                {
                    transposed[(r * Outer) + o] = m[(o * length) + r];
                }
            }

            var (fast, fastIndices) = RunReduce(op, alpha, m, Outer, length, 1);
            var (strided, stridedIndices) = RunReduce(op, alpha, transposed, 1, length, Outer);
            var context = $"{op}({alpha.ToString(CultureInfo.InvariantCulture)}), reduce length {length}";
            if (op is ReduceOp.Max or ReduceOp.Min)
            {
                Assert.Multiple(() =>
                {
                    Assert.That(Differences(strided, fast), Is.Empty, $"values, {context}");
                    Assert.That(stridedIndices, Is.EqualTo(fastIndices).AsCollection, $"indices, {context}");
                    Assert.That(fastIndices[1], Is.EqualTo(length / 2), $"the first NaN wins, {context}");
                });
                continue;
            }

            var tolerance = new double[Outer];
            for (var o = 0; o < Outer; o++)
            {
                // Σ|term|: Σ|x| for sums, Σ|x|/n for means; variances and norms sum non-negative terms, so their result is it.
                var sumAbs = m.Skip(o * length).Take(length).Where(float.IsFinite).Sum(v => Math.Abs((double)v));
                var magnitude = op switch { ReduceOp.Sum => sumAbs, ReduceOp.Mean => sumAbs / Math.Max(length, 1), _ => Math.Abs(fast[o]) };
                tolerance[o] = (((length / 8.0) + 32) * UnitRoundoff * magnitude) + 1e-30;
            }

            Assert.That(Deviations(strided, fast.Select(v => (double)v).ToArray(), tolerance), Is.Empty, context);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /// <summary>Uniform values with NaN, ±∞, ±0 and a repeated value sprinkled in (about one element in five).</summary>
    private static float[] SpecialRich(int seed, int count, float low, float high)
    {
        var values = TestData.Uniform(seed, count, low, high);
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 1f];
        var rng = new Random(seed + 7);
        for (var i = 0; i < count; i++)
        {
            if (rng.Next(5) == 0)
            {
                values[i] = specials[rng.Next(specials.Length)];
            }
        }

        return values;
    }

    private static float[] Expected(int rows, int length, Func<int, int, float> value)
    {
        var result = new float[rows * length];
        for (var r = 0; r < rows; r++)
        {
            for (var l = 0; l < length; l++)
            {
                result[(r * length) + l] = value(r, l);
            }
        }

        return result;
    }

    /// <summary>The scalar semantics of each binary op (PyTorch's: NaN propagates through maximum and minimum, comparisons with NaN are false except ≠).</summary>
    private static float ScalarBinary(BinaryOp op, float alpha, float x, float y) => op switch
    {
        BinaryOp.Add => x + (alpha * y),
        BinaryOp.Sub => x - (alpha * y),
        BinaryOp.Mul => x * y,
        BinaryOp.Div => x / y,
        BinaryOp.Maximum => float.IsNaN(x) || float.IsNaN(y) ? float.NaN : Math.Max(x, y),
        BinaryOp.Minimum => float.IsNaN(x) || float.IsNaN(y) ? float.NaN : Math.Min(x, y),
        BinaryOp.Pow => MathF.Pow(x, y),
        BinaryOp.Eq => x == y ? 1f : 0f,
        BinaryOp.Ne => x != y ? 1f : 0f,
        BinaryOp.Lt => x < y ? 1f : 0f,
        BinaryOp.Le => x <= y ? 1f : 0f,
        BinaryOp.Gt => x > y ? 1f : 0f,
        BinaryOp.Ge => x >= y ? 1f : 0f,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, "unknown op"),
    };

    private static void AssertBinaryMatches(BinaryOp op, float alpha, int rows, int length, float[] aValues, Layout aLayout, float[] bValues, Layout bLayout, bool transposedDestination)
    {
        using var a = Operand(aValues, aLayout, rows, length);
        using var b = Operand(bValues, bLayout, rows, length);
        using var d = Destination(rows, length, transposedDestination);
        BackendProvider.Cpu.Binary(op, a.View, a.Strides, b.View, b.Strides, d.View, alpha);
        var actual = d.Read();
        var context = string.Create(CultureInfo.InvariantCulture, $"{op} (alpha {alpha}), {rows}x{length}, a {aLayout}, b {bLayout}{(transposedDestination ? ", transposed destination" : string.Empty)}");
        // a + α·b may be fused (one rounding) on the vector paths and not on the scalar ones: allow one rounding of each term.
        var fused = op is BinaryOp.Add or BinaryOp.Sub && alpha != 1f;
        for (var r = 0; r < rows; r++)
        {
            for (var l = 0; l < length; l++)
            {
                float x = a.Value(r, l), y = b.Value(r, l);
                var expected = ScalarBinary(op, alpha, x, y);
                var got = actual[(r * length) + l];
                var ok = Identical(got, expected)
                    || (fused && float.IsFinite(expected) && Math.Abs(got - expected) <= 2 * UnitRoundoff * (Math.Abs(x) + Math.Abs(alpha * y)))
                    || (fused && expected == 0f && got == 0f); // an exact zero's sign may differ between fused and plain evaluation
                if (!ok)
                {
                    Assert.That(got, Is.EqualTo(expected), string.Create(CultureInfo.InvariantCulture, $"{context}: [{r}, {l}] = {op}({x}, {y})"));
                }
            }
        }
    }

    private static (float[] Values, float[] Indices) RunReduce(ReduceOp op, float alpha, float[] data, int outer, int reduce, int inner)
    {
        using var x = GuardedTensor.Of(data, outer, reduce, inner);
        using var destination = GuardedTensor.Destination(outer * inner);
        using var indices = GuardedTensor.Destination(outer * inner);
        var wantsIndices = op is ReduceOp.Max or ReduceOp.Min;
        BackendProvider.Cpu.Reduce(op, x.View, outer, reduce, inner, destination.View, wantsIndices ? indices.View : null, alpha);
        return (destination.Read($"{op} values"), wantsIndices ? indices.Read($"{op} indices") : []);
    }

    private static StridedOperand Operand(float[] logical, Layout layout, int rows, int length) => new(logical, layout, rows, length);

    private static StridedDestination Destination(int rows, int length, bool transposed) => new(rows, length, transposed);

    /// <summary>A [rows, length] operand stored in one of the layouts, with the strides the backend is given.</summary>
    private sealed class StridedOperand : IDisposable
    {
        private readonly GuardedTensor _storage;
        private readonly float[] _stored;
        private readonly Layout _layout;
        private readonly int _rows;
        private readonly int _length;

        public StridedOperand(float[] logical, Layout layout, int rows, int length)
        {
            _layout = layout;
            _rows = rows;
            _length = length;
            switch (layout)
            {
                case Layout.Contiguous:
                    _stored = logical;
                    _storage = GuardedTensor.Of(_stored, rows, length);
                    View = _storage.View.Narrow(0, 0, rows);
                    Strides = [length, 1];
                    break;
                case Layout.Transposed:
                    _stored = new float[rows * length];
                    for (var r = 0; r < rows; r++)
                    {
                        for (var l = 0; l < length; l++)
                        {
                            _stored[(l * rows) + r] = logical[(r * length) + l];
                        }
                    }

                    _storage = GuardedTensor.Of(_stored, length, rows);
                    View = _storage.View.Transpose(0, 1);
                    Strides = View.Strides;
                    break;
                case Layout.Stepped:
                    _stored = new float[rows * 2 * length];
                    for (var i = 0; i < logical.Length; i++)
                    {
                        _stored[(2 * i) + 1] = logical[i];
                        _stored[2 * i] = 1e30f; // never read
                    }

                    _storage = GuardedTensor.Of(_stored, rows, 2 * length);
                    View = _storage.View.Slice(1, 1, 2 * length, 2);
                    Strides = View.Strides;
                    break;
                case Layout.Row:
                    _stored = logical.Take(length).ToArray();
                    _storage = GuardedTensor.Of(_stored, 1, length);
                    View = _storage.View.Narrow(0, 0, 1);
                    Strides = [0, 1];
                    break;
                case Layout.Column:
                    _stored = Enumerable.Range(0, rows).Select(r => logical.Length == 0 ? 1.5f : logical[(r * 7) % logical.Length]).ToArray();
                    _storage = GuardedTensor.Of(_stored, rows, 1);
                    View = _storage.View.Narrow(0, 0, rows);
                    Strides = [1, 0];
                    break;
                default:
                    _stored = [logical.Length == 0 ? -0f : logical[logical.Length / 2]];
                    _storage = GuardedTensor.Of(_stored, 1, 1);
                    View = _storage.View.Narrow(0, 0, 1);
                    Strides = [0, 0];
                    break;
            }
        }

        public Tensor View { get; }

        public int[] Strides { get; }

        public float Value(int r, int l) => _layout switch
        {
            Layout.Contiguous => _stored[(r * _length) + l],
            Layout.Transposed => _stored[(l * _rows) + r],
            Layout.Stepped => _stored[(2 * ((r * _length) + l)) + 1],
            Layout.Row => _stored[l],
            Layout.Column => _stored[r],
            _ => _stored[0],
        };

        public void Dispose()
        {
            View.Dispose();
            _storage.Dispose();
        }
    }

    /// <summary>A [rows, length] destination, contiguous or the transpose of a [length, rows] buffer.</summary>
    private sealed class StridedDestination : IDisposable
    {
        private readonly GuardedTensor _storage;
        private readonly bool _transposed;
        private readonly int _rows;
        private readonly int _length;

        public StridedDestination(int rows, int length, bool transposed)
        {
            _transposed = transposed;
            _rows = rows;
            _length = length;
            _storage = transposed ? GuardedTensor.Destination(length, rows) : GuardedTensor.Destination(rows, length);
            View = transposed ? _storage.View.Transpose(0, 1) : _storage.View.Narrow(0, 0, rows);
        }

        public Tensor View { get; }

        public float[] Read()
        {
            var stored = _storage.Read("destination");
            return _transposed ? Expected(_rows, _length, (r, l) => stored[(l * _rows) + r]) : stored;
        }

        public void Dispose()
        {
            View.Dispose();
            _storage.Dispose();
        }
    }
}
