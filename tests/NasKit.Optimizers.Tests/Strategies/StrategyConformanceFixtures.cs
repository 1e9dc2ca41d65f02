using NasKit.Optimizers.Strategies;
using NasKit.Testing;

namespace NasKit.Optimizers.Tests.Strategies;

[TestFixture]
public sealed class RandomSearchTests : SearchStrategyConformanceTests
{
    protected override ISearchStrategy CreateStrategy() => new RandomSearch();
}

[TestFixture]
public sealed class GridSearchTests : SearchStrategyConformanceTests
{
    protected override ISearchStrategy CreateStrategy() => new GridSearch();
}

[TestFixture]
public sealed class RegularizedEvolutionTests : SearchStrategyConformanceTests
{
    protected override ISearchStrategy CreateStrategy() => new RegularizedEvolution(populationSize: 10, sampleSize: 3);
}

[TestFixture]
public sealed class LocalSearchTests : SearchStrategyConformanceTests
{
    protected override ISearchStrategy CreateStrategy() => new LocalSearch();
}

[TestFixture]
public sealed partial class Nsga2Tests : SearchStrategyConformanceTests
{
    protected override ISearchStrategy CreateStrategy() => new Nsga2(populationSize: 10);
}

[TestFixture]
public sealed partial class TpeTests : SearchStrategyConformanceTests
{
    protected override ISearchStrategy CreateStrategy() => new Tpe();
}

[TestFixture]
public sealed partial class BananasTests : SearchStrategyConformanceTests
{
    // A lighter predictor than the default (the checks are about validity, determinism and duplicates, not prediction quality).
    protected override ISearchStrategy CreateStrategy() => new Bananas(ensembleSize: 3, maxTrainingSteps: 40);
}
