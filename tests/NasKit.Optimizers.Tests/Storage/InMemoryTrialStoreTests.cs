using NasKit.Optimizers.Storage;
using NasKit.Testing;

namespace NasKit.Optimizers.Tests.Storage;

[TestFixture]
public sealed class InMemoryTrialStoreTests : TrialStoreConformanceTests
{
    protected override ITrialStore CreateStore() => new InMemoryTrialStore();
}
