namespace NasKit.Objectives.Evaluation;

/// <summary>The metric names that NasKit's evaluators produce, so studies, objectives and constraints can refer to them without literals.</summary>
public static class StandardMetrics
{
    /// <summary>Top-1 accuracy on the validation set, in [0, 1] (<see cref="TrainingEvaluator"/>).</summary>
    public const string ValidationAccuracy = "val_accuracy";

    /// <summary>Top-1 accuracy on the test set, in [0, 1] (<see cref="TrainingEvaluator"/> when given a test set).</summary>
    public const string TestAccuracy = "test_accuracy";

    /// <summary>Mean training loss over the last epoch (<see cref="TrainingEvaluator"/>).</summary>
    public const string TrainLoss = "train_loss";

    /// <summary>Parameter count (<see cref="CostEvaluator"/>).</summary>
    public const string Parameters = "params";

    /// <summary>Multiply-accumulates of one forward pass (<see cref="CostEvaluator"/>).</summary>
    public const string Macs = "macs";

    /// <summary>Peak bytes of live activations in sequential inference (<see cref="CostEvaluator"/>).</summary>
    public const string PeakActivationBytes = "peak_activation_bytes";

    /// <summary>Bytes to store parameters and buffers in float32 (<see cref="CostEvaluator"/>).</summary>
    public const string ModelBytes = "model_bytes";
}
