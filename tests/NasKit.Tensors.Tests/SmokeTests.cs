namespace NasKit.Tensors.Tests;

public class SmokeTests
{
    [Test]
    public void Add_TwoTensors_AddsElementwise()
    {
        using var a = Tensor.FromArray([1f, 2f, 3f]);
        using var b = Tensor.FromArray([10f, 20f, 30f]);
        using var c = a.Add(b);
        Assert.That(c.ToArray(), Is.EqualTo(new[] { 11f, 22f, 33f }));
    }
}
