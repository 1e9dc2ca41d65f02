using System.Text.Json;
using NasKit.Tensors.NN;
using NasKit.Tensors.Serialization;

namespace NasKit.Tensors.Tests.Serialization;

// Round trips with PyTorch 1.13 through safetensors_interop.py (no Python safetensors package is needed).
public partial class ModuleSerializationExtensionsTests
{
    // Conv + batch norm + linear in float32 on two different engines: summation order differs, values are O(1).
    private const float InteropTolerance = 1e-5f;

    [Test]
    [Category("Integration")]
    [Category("Slow")]
    public void Save_NasKitCnn_LoadsIntoTorchWithStrictKeysAndGivesTheSameOutput()
    {
        using var model = SafeTensorsTestData.CreateCnn(seed: 3);
        SafeTensorsTestData.WarmUpBatchNorm(model, seed: 13, steps: 2);
        using var scope = TensorScope.Begin();
        var x = Tensor.Randn([2, 3, 8, 8], new Generator(21));
        var expected = model.Call(x).ToArray();
        var modelPath = Path.Combine(_folder, "naskit_cnn.safetensors");
        var inputPath = Path.Combine(_folder, "input.safetensors");
        model.Save(modelPath);
        SafeTensors.Save(inputPath, new Dictionary<string, Tensor> { ["input"] = x });

        using var result = PythonInterop.Run("run-naskit-model", modelPath, inputPath);

        var root = result.RootElement;
        var actual = root.GetProperty("output").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()), Is.EqualTo(new[] { 2, 5 }));
            Assert.That(root.GetProperty("num_batches_tracked").GetInt32(), Is.EqualTo(2));
            Assert.That(actual, Is.EqualTo(expected).Within(InteropTolerance));
        });
    }

    [Test]
    [Category("Integration")]
    [Category("Slow")]
    public void Load_TorchCnnWithInt64Counter_ReproducesTorchOutput()
    {
        using var info = PythonInterop.Run("make-torch-model", _folder);
        Assume.That(info.RootElement.GetProperty("num_batches_tracked_dtype").GetString(), Is.EqualTo("torch.int64"));
        var modelPath = Path.Combine(_folder, "model.safetensors");
        using var model = SafeTensorsTestData.CreateCnn(seed: 99);
        model.Eval();

        var result = model.Load(modelPath);

        using var file = SafeTensors.Load(modelPath);
        using var io = SafeTensors.Load(Path.Combine(_folder, "io.safetensors"));
        using var scope = TensorScope.Begin();
        var actual = model.Call(io.Tensors["input"]);
        Assert.Multiple(() =>
        {
            Assert.That(result.MissingKeys, Is.Empty);
            Assert.That(result.UnexpectedKeys, Is.Empty);
            Assert.That(file.SourceDTypes["1.num_batches_tracked"], Is.EqualTo(SafeTensorsDType.Int64));
            Assert.That(file.Metadata["format"], Is.EqualTo("pt"));
            Assert.That(((BatchNorm2d)model[1]).NumBatchesTracked!.Item(), Is.EqualTo(3f));
            Assert.That(actual.Shape, Is.EqualTo(io.Tensors["output"].Shape));
            Assert.That(actual.ToArray(), Is.EqualTo(io.Tensors["output"].ToArray()).Within(InteropTolerance));
        });
    }

    [Test]
    [Category("Integration")]
    [Category("Slow")]
    public void Load_TorchFileWithEveryDType_ConvertsEachToFloat32()
    {
        var path = Path.Combine(_folder, "dtypes.safetensors");
        PythonInterop.Run("make-dtypes", path).Dispose();

        using var content = SafeTensors.Load(path);

        // PyTorch 1.13: the tensors built by make_dtypes() in safetensors_interop.py, converted to float32 as documented
        // (F64 rounds, 1e300 overflows; F16/BF16 are exact; I64 2^24 + 1 rounds to 2^24; BOOL is 0/1).
        var expected = new Dictionary<string, (SafeTensorsDType DType, int[] Shape, float[] Values)>
        {
            ["f64"] = (SafeTensorsDType.Float64, [4], [1.5f, -2.25f, float.PositiveInfinity, 0.1f]),
            ["f32"] = (SafeTensorsDType.Float32, [2, 2], [1f, -0.5f, 3.25f, 1e-40f]),
            ["f16"] = (SafeTensorsDType.Float16, [4], [1f, -2f, 65504f, 0.00010001659393310547f]),
            ["bf16"] = (SafeTensorsDType.BFloat16, [3], [1f, -3f, 0.10009765625f]),
            ["i64"] = (SafeTensorsDType.Int64, [4], [3f, -5f, 1099511627776f, 16777216f]),
            ["i32"] = (SafeTensorsDType.Int32, [2], [7f, -2147483648f]),
            ["i16"] = (SafeTensorsDType.Int16, [2], [-32768f, 32767f]),
            ["i8"] = (SafeTensorsDType.Int8, [3], [-128f, 127f, 0f]),
            ["u8"] = (SafeTensorsDType.UInt8, [3], [0f, 255f, 17f]),
            ["bool"] = (SafeTensorsDType.Bool, [2, 2], [1f, 0f, 0f, 1f]),
            ["scalar_i64"] = (SafeTensorsDType.Int64, [], [42f]),
            ["empty_f16"] = (SafeTensorsDType.Float16, [0, 3], []),
        };
        Assert.Multiple(() =>
        {
            Assert.That(content.Names, Is.EqualTo(expected.Keys));
            Assert.That(content.Metadata["made_by"], Is.EqualTo("safetensors_interop.py"));
            foreach (var (name, (dtype, shape, values)) in expected)
            {
                Assert.That(content.SourceDTypes[name], Is.EqualTo(dtype), name);
                Assert.That(content.Tensors[name].Shape, Is.EqualTo(shape), name);
                Assert.That(SafeTensorsTestData.Bits(content.Tensors[name].ToArray()), Is.EqualTo(SafeTensorsTestData.Bits(values)), name);
            }
        });
    }

    [Test]
    [Category("Integration")]
    [Category("Slow")]
    public void Save_AssortedTensorsAndMetadata_ReadByTorchWithSameShapesAndValues()
    {
        using var scope = TensorScope.Begin();
        var tensors = new OrderedDictionary<string, Tensor>(StringComparer.Ordinal)
        {
            ["scalar"] = Tensor.Scalar(-1.25f),
            ["empty"] = Tensor.Zeros(2, 0, 3),
            ["transposed"] = Tensor.Arange(6f).View(2, 3).Transpose(0, 1),
            ["random"] = Tensor.Randn([3, 4, 5], new Generator(8)),
        };
        var path = Path.Combine(_folder, "assorted.safetensors");
        SafeTensors.Save(path, tensors, new Dictionary<string, string> { ["note"] = "größe ✓" });

        using var described = PythonInterop.Run("describe", path);

        var root = described.RootElement;
        var entries = root.GetProperty("tensors").EnumerateArray().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(root.GetProperty("metadata").GetProperty("note").GetString(), Is.EqualTo("größe ✓"));
            Assert.That(entries.Select(e => e.GetProperty("name").GetString()), Is.EqualTo(tensors.Keys));
            foreach (var entry in entries)
            {
                var name = entry.GetProperty("name").GetString()!;
                Assert.That(entry.GetProperty("dtype").GetString(), Is.EqualTo("F32"), name);
                Assert.That(entry.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()), Is.EqualTo(tensors[name].Shape), name);

                // Python prints float32 values widened to double, which is exact, so the comparison is exact too.
                Assert.That(entry.GetProperty("values").EnumerateArray().Select(e => e.GetDouble()),
                    Is.EqualTo(tensors[name].ToArray().Select(v => (double)v)), name);
            }
        });
    }
}
