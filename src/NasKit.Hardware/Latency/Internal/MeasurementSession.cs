using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Hardware.Latency.Internal;

/// <summary>Puts modules in evaluation mode, turns gradients off and sets the engine's thread count, restoring all three on dispose.</summary>
internal sealed class MeasurementSession : IDisposable
{
    private readonly List<(Module Module, bool WasTraining)> _modes = [];
    private readonly int _previousThreads;
    private readonly GradModeScope _noGrad;

    public MeasurementSession(IEnumerable<Module> modules, int threads)
    {
        foreach (var m in modules)
        {
            _modes.Add((m, m.IsTraining));
            m.Eval();
        }

        _previousThreads = TensorEngine.ThreadCount;
        TensorEngine.ThreadCount = threads;
        _noGrad = Autograd.NoGrad();
    }

    public void Dispose()
    {
        _noGrad.Dispose();
        TensorEngine.ThreadCount = _previousThreads;
        foreach (var (m, wasTraining) in _modes)
        {
            m.Train(wasTraining);
        }
    }
}
