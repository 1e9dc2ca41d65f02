using NasKit.Supernet.Darts;

namespace NasKit.Supernet.Tests.Darts;

public sealed class DartsSupernetOptionsTests
{
    [Test]
    public void Constructor_Defaults_AreDartsSearchNetwork()
    {
        var options = new DartsSupernetOptions();
        Assert.That((options.Channels, options.Layers, options.InputChannels, options.Classes), Is.EqualTo((16, 8, 3, 10)));
    }

    [Test]
    public void Layers_NonPositive_ThrowsWithRuleAndValue()
    {
        Assert.That(() => new DartsSupernetOptions { Layers = 0 }, Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("'Layers > 0' must hold, but got Layers=0"));
    }

    [Test]
    public void Channels_Negative_ThrowsWithRuleAndValue()
    {
        Assert.That(() => new DartsSupernetOptions { Channels = -4 }, Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("'Channels > 0' must hold, but got Channels=-4"));
    }
}
