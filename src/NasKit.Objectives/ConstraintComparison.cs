namespace NasKit.Objectives;

/// <summary>Specifies how a <see cref="Constraint"/> compares a metric with its bound.</summary>
public enum ConstraintComparison
{
    /// <summary>The metric must be at most the bound (<c>metric &lt;= bound</c>).</summary>
    LessThanOrEqual = 0,

    /// <summary>The metric must be at least the bound (<c>metric &gt;= bound</c>).</summary>
    GreaterThanOrEqual = 1,
}
