using NasKit.Hardware.Devices;
using NasKit.Hardware.Latency;
using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Hardware.Tests.Devices;

public sealed class DeviceProfileTests
{
    private static ModelCost Cost(long parameters = 300_000, long buffers = 2_000, long macs = 5_000_000, long peak = 412_160, int bytesPerElement = 1, int batch = 1) =>
        new(parameters, buffers, macs, 0, 0, 0, peak, (parameters + buffers) * 4, parameters + buffers, batch, bytesPerElement, []);

    [Test]
    public void Check_Microcontroller256KB_PeakOverRamFailsWithHandComputedExcess()
    {
        var report = DeviceProfiles.Microcontroller256KB.Check(Cost());
        var ram = report[DeviceLimit.PeakActivationBytes]!;
        var flash = report[DeviceLimit.ModelBytes]!;

        // By hand: 412,160 − 262,144 = 150,016 B over; 150,016 / 262,144 = 0.572265625 (57%). Flash: 302,000 B at int8 ≤ 1,048,576 B.
        Assert.Multiple(() =>
        {
            Assert.That(report.IsFeasible, Is.False);
            Assert.That(report.Checks.Select(c => c.Limit), Is.EqualTo(new[] { DeviceLimit.PeakActivationBytes, DeviceLimit.ModelBytes }));
            Assert.That(ram.Maximum, Is.EqualTo(262_144));
            Assert.That(ram.Value, Is.EqualTo(412_160));
            Assert.That(ram.Excess, Is.EqualTo(150_016));
            Assert.That(ram.ExcessFraction, Is.EqualTo(0.572265625).Within(1e-12));
            Assert.That(ram.Reason, Is.EqualTo("peak activation memory 412,160 B exceeds 262,144 B by 150,016 B (57%)"));
            Assert.That(flash.Passed, Is.True);
            Assert.That(flash.Value, Is.EqualTo(302_000));
            Assert.That(flash.Excess, Is.Zero);
            Assert.That(flash.Reason, Is.Null);
            Assert.That(report.Reasons, Is.EqualTo(new[] { ram.Reason }));
        });
    }

    [Test]
    public void Check_AllLimitsExceeded_OneReasonPerLimit()
    {
        var profile = new DeviceProfile
        {
            Name = "tiny",
            MaxParameters = 250_000,
            MaxMacs = 4_000_000,
            MaxPeakActivationBytes = 400_000,
            MaxModelBytes = 1_200_000,
            BytesPerElement = 4,
            MaxLatencyMilliseconds = 10,
        };

        var report = profile.Check(Cost(bytesPerElement: 4), predictedLatencyMilliseconds: 12.5);

        // By hand: 300,000 − 250,000 = 50,000 (20%); 5,000,000 − 4,000,000 = 1,000,000 (25%); 412,160 − 400,000 = 12,160 (3.04% → 3%);
        // model 302,000 · 4 = 1,208,000 B, 8,000 over 1,200,000 (0.67%); latency 2.5 ms over 10 ms (25%).
        Assert.That(report.Reasons, Is.EqualTo(new[]
        {
            "parameters 300,000 exceeds 250,000 by 50,000 (20%)",
            "MACs 5,000,000 exceeds 4,000,000 by 1,000,000 (25%)",
            "peak activation memory 412,160 B exceeds 400,000 B by 12,160 B (3%)",
            "model size 1,208,000 B exceeds 1,200,000 B by 8,000 B (0.67%)",
            "predicted latency 12.50 ms exceeds 10.00 ms by 2.50 ms (25%)",
        }));
        Assert.That(report.ToString(), Does.StartWith("infeasible on tiny: parameters 300,000"));
    }

    [Test]
    public void Check_ValueEqualToLimit_Passes()
    {
        var profile = new DeviceProfile { Name = "edge", MaxParameters = 300_000, BytesPerElement = 1 };
        var report = profile.Check(Cost());
        Assert.Multiple(() =>
        {
            Assert.That(report.IsFeasible, Is.True);
            Assert.That(report[DeviceLimit.Parameters]!.Headroom, Is.Zero);
            Assert.That(report.ToString(), Is.EqualTo("feasible on edge"));
        });
    }

    [Test]
    public void Check_Network_CountsAtProfileBytesPerElement()
    {
        // Conv 3→8, 3×3, no bias, on 3×10×10: 216 parameters. Peak at int8: input 300 B + output 800 B live during the one kernel = 1,100 B
        // (it would be 4,400 B at float32, which would fail by far more).
        using var conv = new Conv2d(3, 8, 3, padding: 1, bias: false, generator: new Generator(1));
        var profile = new DeviceProfile { Name = "mcu", MaxPeakActivationBytes = 1_000, MaxParameters = 200, BytesPerElement = 1 };

        var report = profile.Check(conv, [3, 10, 10]);

        Assert.That(report.Reasons, Is.EqualTo(new[]
        {
            "parameters 216 exceeds 200 by 16 (8%)",
            "peak activation memory 1,100 B exceeds 1,000 B by 100 B (10%)",
        }));
    }

    [Test]
    public void Check_NetworkWithLatencyTable_PredictsFromTable()
    {
        using var conv = new Conv2d(3, 8, 3, padding: 1, bias: false, generator: new Generator(1));
        var metadata = new LatencyTableMetadata("cpu", 1, "os", "fx", 1, 0, 1, DateTimeOffset.UnixEpoch);
        var table = new LatencyTable(metadata, new Dictionary<string, double> { [LayerSignature.ForLeaf(conv, [1, 3, 10, 10])] = 5.0 });

        var report = DeviceProfiles.MobileCpu(table, 4.0).Check(conv, [3, 10, 10]);

        Assert.That(report.Reasons, Is.EqualTo(new[] { "predicted latency 5.00 ms exceeds 4.00 ms by 1.00 ms (25%)" }));
    }

    [Test]
    public void Check_NetworkWithSignatureMissingFromTable_ThrowsRatherThanGuessing()
    {
        using var conv = new Conv2d(3, 8, 3, padding: 1, bias: false, generator: new Generator(1));
        var table = new LatencyTable(new LatencyTableMetadata("cpu", 1, "os", "fx", 1, 0, 1, DateTimeOffset.UnixEpoch), []);
        var e = Assert.Throws<KeyNotFoundException>(() => DeviceProfiles.MobileCpu(table, 4.0).Check(conv, [3, 10, 10]));
        Assert.That(e!.Message, Does.Contain("Conv2d(3, 8"));
    }

    [Test]
    public void Check_LatencyLimitWithoutTable_Throws()
    {
        using var conv = new Conv2d(3, 8, 3, generator: new Generator(1));
        var profile = new DeviceProfile { Name = "cpu", MaxLatencyMilliseconds = 5 };
        Assert.Multiple(() =>
        {
            Assert.Throws<InvalidOperationException>(() => profile.Check(conv, [3, 10, 10]));
            var e = Assert.Throws<ArgumentException>(() => profile.Check(Cost(bytesPerElement: 4)));
            Assert.That(e!.Message, Does.Contain("a predicted latency is needed"));
        });
    }

    [Test]
    public void Check_CostAtOtherBytesPerElementOrBatch_Throws()
    {
        Assert.Multiple(() =>
        {
            var e = Assert.Throws<ArgumentException>(() => DeviceProfiles.Microcontroller256KB.Check(Cost(bytesPerElement: 4)));
            Assert.That(e!.Message, Does.Contain("assumes 1 byte(s) per element, but the cost was counted at 4"));
            Assert.Throws<ArgumentException>(() => DeviceProfiles.Microcontroller256KB.Check(Cost(batch: 2)));
        });
    }

    [Test]
    public void Properties_InvalidValues_Throw()
    {
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => _ = new DeviceProfile { Name = "x", MaxParameters = 0 });
            Assert.Throws<ArgumentOutOfRangeException>(() => _ = new DeviceProfile { Name = "x", MaxPeakActivationBytes = -5 });
            Assert.Throws<ArgumentOutOfRangeException>(() => _ = new DeviceProfile { Name = "x", BytesPerElement = 3 });
            Assert.Throws<ArgumentOutOfRangeException>(() => _ = new DeviceProfile { Name = "x", MaxLatencyMilliseconds = double.NaN });
            Assert.Throws<ArgumentException>(() => _ = new DeviceProfile { Name = " " });
        });
    }

    [Test]
    public void BuiltInProfiles_HaveDocumentedCapacities()
    {
        Assert.Multiple(() =>
        {
            Assert.That(DeviceProfiles.Microcontroller256KB.MaxPeakActivationBytes, Is.EqualTo(262_144));
            Assert.That(DeviceProfiles.Microcontroller256KB.MaxModelBytes, Is.EqualTo(1_048_576));
            Assert.That(DeviceProfiles.Microcontroller256KB.BytesPerElement, Is.EqualTo(1));
            Assert.That(DeviceProfiles.Microcontroller512KB.MaxPeakActivationBytes, Is.EqualTo(524_288));
            Assert.That(DeviceProfiles.Microcontroller512KB.MaxModelBytes, Is.EqualTo(2_097_152));
        });
    }
}
