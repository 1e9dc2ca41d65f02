namespace NasKit.Objectives;

/// <summary>Specifies whether an objective is better when smaller or when larger.</summary>
public enum ObjectiveDirection
{
    /// <summary>Smaller values are better (for example MACs, latency, loss).</summary>
    Minimize = 0,

    /// <summary>Larger values are better (for example validation accuracy).</summary>
    Maximize = 1,
}
