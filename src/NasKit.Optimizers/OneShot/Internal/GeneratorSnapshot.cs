using NasKit.Tensors;

namespace NasKit.Optimizers.OneShot.Internal;

/// <summary>A random generator's state in JSON-friendly form.</summary>
internal sealed record GeneratorSnapshot(ulong S0, ulong S1, ulong S2, ulong S3, long Seed)
{
    public static GeneratorSnapshot Of(Generator generator)
    {
        var s = generator.GetState();
        return new GeneratorSnapshot(s.S0, s.S1, s.S2, s.S3, s.Seed);
    }

    public void Restore(Generator generator) => generator.SetState(new GeneratorState(S0, S1, S2, S3, Seed));
}
