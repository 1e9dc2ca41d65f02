namespace NasKit.Testing.Tests;

/// <summary>Deliberate contract violations that <see cref="ToyEvaluator"/> can be built with.</summary>
[Flags]
public enum EvaluatorDefects
{
    /// <summary>A correct evaluator.</summary>
    None = 0,

    /// <summary>Declares a metric ("cost") that results do not hold.</summary>
    MissingDeclaredMetric = 1 << 0,

    /// <summary>Never looks at the cancellation token.</summary>
    IgnoresCancellation = 1 << 1,

    /// <summary>Adds the number of calls so far to the score.</summary>
    NotDeterministic = 1 << 2,

    /// <summary>Does not check its arguments: a null reporter ends in a NullReferenceException.</summary>
    NullNotChecked = 1 << 3,

    /// <summary>Evaluates an architecture of another space as if it were its own.</summary>
    AcceptsForeign = 1 << 4,

    /// <summary>Reports an architecture of another space as a failed trial.</summary>
    ForeignIsFailedTrial = 1 << 5,

    /// <summary>Reports steps 2, 1, 0.</summary>
    StepsDecrease = 1 << 6,

    /// <summary>Goes on after the reporter asked to prune.</summary>
    IgnoresPrune = 1 << 7,
}
