using NasKit.Tensors.NN;
using NasKit.Tensors.Serialization;

namespace NasKit.Tensors.Tests.Serialization;

public partial class ModuleSerializationExtensionsTests
{
    private string _folder = null!;

    [SetUp]
    public void SetUp()
    {
        _folder = Path.Combine(Path.GetTempPath(), "naskit-module-io-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void TearDown()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Test]
    public void SaveLoad_IntoDifferentlyInitialisedModule_ReproducesStateAndOutput()
    {
        using var source = SafeTensorsTestData.CreateCnn(seed: 1);
        SafeTensorsTestData.WarmUpBatchNorm(source, seed: 11, steps: 2);
        using var target = SafeTensorsTestData.CreateCnn(seed: 2);
        target.Eval();
        using var scope = TensorScope.Begin();
        var x = Tensor.Randn([2, 3, 8, 8], new Generator(5));
        var expected = source.Call(x).ToArray();
        Assume.That(target.Call(x).ToArray(), Is.Not.EqualTo(expected), "the target must start different for this test to mean anything");
        var path = Path.Combine(_folder, "cnn.safetensors");

        source.Save(path);
        var result = target.Load(path);

        Assert.Multiple(() =>
        {
            Assert.That(result.MissingKeys, Is.Empty);
            Assert.That(result.UnexpectedKeys, Is.Empty);
            Assert.That(SafeTensorsTestData.Snapshot(target), Is.EqualTo(SafeTensorsTestData.Snapshot(source)));
            Assert.That(((BatchNorm2d)target[1]).NumBatchesTracked!.Item(), Is.EqualTo(2f));
            Assert.That(target.Call(x).ToArray(), Is.EqualTo(expected));
        });
    }

    [Test]
    public void Save_Module_WritesStateDictKeysInRegistrationOrder()
    {
        using var model = SafeTensorsTestData.CreateCnn(seed: 1);
        var path = Path.Combine(_folder, "cnn.safetensors");

        model.Save(path, new Dictionary<string, string> { ["arch"] = "cnn-v1" });

        using var content = SafeTensors.Load(path);
        Assert.Multiple(() =>
        {
            // PyTorch's state_dict order for the same nn.Sequential (see reference_cnn() in safetensors_interop.py).
            Assert.That(content.Names, Is.EqualTo(new[]
            {
                "0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked", "5.weight", "5.bias",
            }));
            Assert.That(content.Metadata["arch"], Is.EqualTo("cnn-v1"));
        });
    }

    [Test]
    public void SaveLoad_ThroughStreams_RoundTrips()
    {
        using var source = new Linear(3, 2, generator: new Generator(1));
        using var target = new Linear(3, 2, generator: new Generator(2));
        using var stream = new MemoryStream();

        source.Save(stream);
        stream.Position = 0;
        target.Load(stream);

        Assert.That(SafeTensorsTestData.Snapshot(target), Is.EqualTo(SafeTensorsTestData.Snapshot(source)));
    }

    [Test]
    public void Load_ShapeMismatch_ThrowsAndLeavesModuleUnchanged()
    {
        using var saved = new Linear(4, 3, generator: new Generator(1));
        using var target = new Linear(4, 5, generator: new Generator(2));
        var path = Path.Combine(_folder, "linear.safetensors");
        saved.Save(path);
        var before = SafeTensorsTestData.Snapshot(target);

        Assert.That(() => target.Load(path),
            Throws.InvalidOperationException.With.Message.Contains("'weight'").And.Message.Contains("[3, 4]").And.Message.Contains("[5, 4]"));
        Assert.That(SafeTensorsTestData.Snapshot(target), Is.EqualTo(before));
    }

    [Test]
    public void Load_MissingKeyStrict_ThrowsAndLeavesModuleUnchanged()
    {
        using var scope = TensorScope.Begin();
        using var target = new Linear(2, 2, generator: new Generator(2));
        var path = Path.Combine(_folder, "partial.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["weight"] = Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2) });
        var before = SafeTensorsTestData.Snapshot(target);

        Assert.That(() => target.Load(path), Throws.InvalidOperationException.With.Message.Contains("missing keys: 'bias'"));
        Assert.That(SafeTensorsTestData.Snapshot(target), Is.EqualTo(before));
    }

    [Test]
    public void Load_MissingKeyNotStrict_LoadsTheRestAndReportsTheMissingKey()
    {
        using var scope = TensorScope.Begin();
        using var target = new Linear(2, 2, generator: new Generator(2));
        var path = Path.Combine(_folder, "partial.safetensors");
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["weight"] = Tensor.FromArray([1f, 2f, 3f, 4f], 2, 2), ["extra"] = Tensor.Ones(1) });
        var biasBefore = target.Bias!.ToArray();

        var result = target.Load(path, strict: false);

        Assert.Multiple(() =>
        {
            Assert.That(result.MissingKeys, Is.EqualTo(new[] { "bias" }));
            Assert.That(result.UnexpectedKeys, Is.EqualTo(new[] { "extra" }));
            Assert.That(target.Weight.ToArray(), Is.EqualTo(new[] { 1f, 2f, 3f, 4f }));
            Assert.That(target.Bias!.ToArray(), Is.EqualTo(biasBefore));
        });
    }

    [Test]
    public void Load_CorruptFile_ThrowsInvalidDataAndLeavesModuleUnchanged()
    {
        using var saved = SafeTensorsTestData.CreateCnn(seed: 1);
        using var target = SafeTensorsTestData.CreateCnn(seed: 2);
        var path = Path.Combine(_folder, "cnn.safetensors");
        saved.Save(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^4]); // a crash while copying the file cut off the last value
        var before = SafeTensorsTestData.Snapshot(target);

        Assert.That(() => target.Load(path), Throws.TypeOf<InvalidDataException>().With.Message.Contains("'5.bias'").And.Message.Contains("out of range"));
        Assert.That(SafeTensorsTestData.Snapshot(target), Is.EqualTo(before));
    }

    [Test]
    public void Save_ModuleWithDisposedParameter_ThrowsAndKeepsTheExistingCheckpoint()
    {
        var path = Path.Combine(_folder, "linear.safetensors");
        using (var good = new Linear(2, 2, generator: new Generator(1)))
        {
            good.Save(path);
        }

        var before = File.ReadAllBytes(path);
        var broken = new Linear(2, 2, generator: new Generator(2));
        broken.Dispose();

        Assert.That(() => broken.Save(path), Throws.InstanceOf<ObjectDisposedException>());
        Assert.Multiple(() =>
        {
            Assert.That(File.ReadAllBytes(path), Is.EqualTo(before));
            Assert.That(Directory.GetFiles(_folder).Select(Path.GetFileName), Is.EqualTo(new[] { "linear.safetensors" }));
        });
    }
}
