using NasKit.Tensors.NN;

namespace NasKit.Tensors.Tests;

public sealed class TensorEngineTests
{
    [Test]
    public void RunConcurrently_TwoTrainingPasses_EachEqualsTheSamePassRunAlone()
    {
        // Two independent forward/backward passes over separate convolutions: run side by side, each must give exactly what it gives
        // when run alone through RunConcurrently (single-threaded kernels either way), whichever thread picks it up.
        using var x = Tensor.Randn([4, 8, 12, 12], new Generator(1));
        using var a = new Conv2d(8, 16, 3, padding: 1, generator: new Generator(2));
        using var b = new Conv2d(8, 16, 3, padding: 1, generator: new Generator(3));
        float[] Pass(Conv2d conv)
        {
            conv.ZeroGrad();
            using var y = conv.Call(x);
            using var loss = y.Square().Mean();
            loss.Backward();
            return [loss.Item(), .. conv.Weight.Grad!.ToArray()];
        }

        float[] aloneA = [], aloneB = [], togetherA = [], togetherB = [];
        TensorEngine.RunConcurrently(() => aloneA = Pass(a));
        TensorEngine.RunConcurrently(() => aloneB = Pass(b));
        for (var round = 0; round < 3; round++)
        {
            TensorEngine.RunConcurrently(() => togetherA = Pass(a), () => togetherB = Pass(b));
            Assert.Multiple(() =>
            {
                Assert.That(togetherA, Is.EqualTo(aloneA));
                Assert.That(togetherB, Is.EqualTo(aloneB));
            });
        }
    }

    [Test]
    public void RunConcurrently_UnderNoGrad_PiecesRunWithoutGradients()
    {
        using var w = Tensor.Randn([3], new Generator(1)).WithRequiresGrad();
        bool? first = null, second = null;
        using (Autograd.NoGrad())
        {
            TensorEngine.RunConcurrently(() => first = Autograd.IsGradEnabled, () => second = Autograd.IsGradEnabled);
        }

        bool? recorded = null;
        TensorEngine.RunConcurrently(() =>
        {
            using var y = w.Mul(2f);
            recorded = y.RequiresGrad;
        });
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.False);
            Assert.That(second, Is.False);
            Assert.That(recorded, Is.True);
            Assert.That(Autograd.IsGradEnabled, Is.True, "the caller's mode is unchanged");
        });
    }

    [Test]
    public void RunConcurrently_APieceThrows_TheExceptionReachesTheCallerAndTheEngineStillWorks()
    {
        Assert.That(
            () => TensorEngine.RunConcurrently(() => throw new InvalidDataException("piece one failed"), () => { }),
            Throws.InstanceOf<InvalidDataException>().With.Message.EqualTo("piece one failed"));
        var ran = 0;
        TensorEngine.RunConcurrently(() => Interlocked.Increment(ref ran), () => Interlocked.Increment(ref ran));
        Assert.That(ran, Is.EqualTo(2));
    }

    [Test]
    public void RunConcurrently_NullPiece_ThrowsBeforeRunningAny()
    {
        var ran = false;
        Assert.Multiple(() =>
        {
            Assert.That(() => TensorEngine.RunConcurrently(() => ran = true, null!), Throws.ArgumentNullException);
            Assert.That(ran, Is.False);
        });
    }
}
