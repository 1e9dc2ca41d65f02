using NasKit.Optimizers.Distributions;

namespace NasKit.Optimizers.Tests.Distributions;

public sealed class ParameterDistributionTests
{
    private static IEnumerable<TestCaseData> Forms()
    {
        yield return new TestCaseData(new IntDistribution(1, 9, step: 2), """{"type":"int","low":1,"high":9,"step":2,"log":false}""");
        yield return new TestCaseData(new FloatDistribution(1e-5, 0.1, log: true), """{"type":"float","low":1E-05,"high":0.1,"step":null,"log":true}""");
        yield return new TestCaseData(new FloatDistribution(0, 1, step: 0.25), """{"type":"float","low":0,"high":1,"step":0.25,"log":false}""");
        yield return new TestCaseData(CategoricalDistribution.Of(["sgd", "adam"]), """{"type":"categorical","valueType":"string","choices":["sgd","adam"]}""");
        yield return new TestCaseData(CategoricalDistribution.Of([0.0, 0.9]), """{"type":"categorical","valueType":"double","choices":[0,0.9]}""");
        yield return new TestCaseData(CategoricalDistribution.Of([3, 5]), """{"type":"categorical","valueType":"int","choices":[3,5]}""");
        yield return new TestCaseData(CategoricalDistribution.Of([true]), """{"type":"categorical","valueType":"bool","choices":[true]}""");
    }

    [TestCaseSource(nameof(Forms))]
    public void ToJson_EveryKind_StableFormThatReadsBackEqual(ParameterDistribution distribution, string json)
    {
        Assert.Multiple(() =>
        {
            Assert.That(distribution.ToJson(), Is.EqualTo(json));
            Assert.That(ParameterDistribution.FromJson(json), Is.EqualTo(distribution));
        });
    }

    [TestCase("""{"type":"beta","low":0}""", "Unknown distribution type 'beta'")]
    [TestCase("""{"type":"int","low":3}""", "high")]
    [TestCase("""{"type":"int","low":3,"high":1,"step":1,"log":false}""", "'low <= high' must hold, but got low=3, high=1.")]
    [TestCase("not json", "not json")]
    public void FromJson_Malformed_ThrowsFormatExceptionQuotingText(string json, string expected)
    {
        var e = Assert.Throws<FormatException>(() => ParameterDistribution.FromJson(json));
        Assert.That(e!.Message, Does.Contain(expected).And.Contain(json));
    }
}
