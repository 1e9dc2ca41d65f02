using NasKit.Objectives.Evaluation;
using NasKit.SearchSpace;

namespace NasKit.Testing.Tests;

/// <summary>An evaluator of <see cref="ToyArchitecture"/>s: score = x + y + z, reported at steps 0, 1, 2; optionally with defects.</summary>
public sealed class ToyEvaluator(EvaluatorDefects defects = EvaluatorDefects.None) : IEvaluator
{
    private int _calls;

    public IReadOnlyList<string> MetricNames { get; } = ["score", "cost"];

    public async ValueTask<EvaluationResult> EvaluateAsync(Architecture architecture, ITrialReporter reporter, CancellationToken cancellationToken = default)
    {
        if (!Has(EvaluatorDefects.NullNotChecked))
        {
            ArgumentNullException.ThrowIfNull(architecture);
            ArgumentNullException.ThrowIfNull(reporter);
        }

        CheckCancellation(cancellationToken);
        var toy = architecture switch
        {
            ToyArchitecture t => t,
            _ when Has(EvaluatorDefects.AcceptsForeign) => new ToyArchitecture("toy", 0, 0, 0),
            _ when Has(EvaluatorDefects.ForeignIsFailedTrial) => throw new EvaluationFailedException("The evaluation failed."),
            _ => throw new IncompatibleArchitectureException("toy", architecture, nameof(architecture)),
        };
        var score = toy.X + toy.Y + toy.Z + (Has(EvaluatorDefects.NotDeterministic) ? Interlocked.Increment(ref _calls) : 0);
        int[] steps = Has(EvaluatorDefects.StepsDecrease) ? [2, 1, 0] : [0, 1, 2];
        foreach (var step in steps)
        {
            await Task.Yield();
            CheckCancellation(cancellationToken);
            reporter.Report(step, new Dictionary<string, double> { ["score"] = score * (step + 1) / 3.0 });
            if (!Has(EvaluatorDefects.IgnoresPrune) && reporter.ShouldPrune)
            {
                throw new TrialPrunedException(step);
            }
        }

        var metrics = new Dictionary<string, double> { ["score"] = score };
        if (!Has(EvaluatorDefects.MissingDeclaredMetric))
        {
            metrics["cost"] = toy.X;
        }

        return new EvaluationResult(metrics);
    }

    private void CheckCancellation(CancellationToken cancellationToken)
    {
        if (!Has(EvaluatorDefects.IgnoresCancellation))
        {
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private bool Has(EvaluatorDefects defect) => (defects & defect) != 0;
}
