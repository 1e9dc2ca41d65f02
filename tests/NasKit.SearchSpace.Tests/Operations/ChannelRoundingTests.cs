using NasKit.SearchSpace.Operations;
using NUnit.Framework;

namespace NasKit.SearchSpace.Tests.Operations;

/// <summary>Tests <see cref="ChannelRounding"/>.</summary>
public sealed class ChannelRoundingTests
{
    // Expected values: Once-for-All's make_divisible(v, 8) rule, evaluated by hand (nearest multiple of 8, at least 8, add 8 when the
    // result lost more than 10%).
    [TestCase(16.0, 16)]
    [TestCase(18.0, 24)] // 16 < 0.9 * 18
    [TestCase(20.0, 24)]
    [TestCase(11.0, 16)] // 8 < 0.9 * 11
    [TestCase(12.0, 16)]
    [TestCase(3.0, 8)]
    [TestCase(0.0, 8)]
    [TestCase(8.4, 8)] // 24 * 0.35
    [TestCase(14.0, 16)]
    [TestCase(720.0, 720)]
    [TestCase(1283.9, 1280)]
    public void MakeDivisible_Value_RoundsLikeOfa(double value, int expected) =>
        Assert.That(ChannelRounding.MakeDivisible(value), Is.EqualTo(expected));

    [Test]
    public void MakeDivisible_OtherDivisorAndMinimum_Honoured()
    {
        Assert.Multiple(() =>
        {
            Assert.That(ChannelRounding.MakeDivisible(10, divisor: 4), Is.EqualTo(12));
            Assert.That(ChannelRounding.MakeDivisible(3, divisor: 8, minValue: 16), Is.EqualTo(16));
        });
    }

    [Test]
    public void MakeDivisible_BadArguments_Throw()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => ChannelRounding.MakeDivisible(-1), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("value=-1"));
            Assert.That(() => ChannelRounding.MakeDivisible(double.NaN), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => ChannelRounding.MakeDivisible(16, divisor: 0), Throws.TypeOf<ArgumentOutOfRangeException>());
        });
    }
}
