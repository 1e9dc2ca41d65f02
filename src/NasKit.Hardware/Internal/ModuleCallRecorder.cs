using NasKit.Tensors;
using NasKit.Tensors.NN;

namespace NasKit.Hardware.Internal;

/// <summary>
/// Hooks every tensor-to-tensor module of a network and records its calls as nested intervals of a kernel trace (or of a clock), so
/// kernels and times can be attributed to the innermost module that ran them.
/// </summary>
internal sealed class ModuleCallRecorder : IDisposable
{
    private readonly List<HookHandle> _handles = [];
    private readonly Stack<int> _open = new();
    private Func<int>? _position;

    public ModuleCallRecorder(Module model)
    {
        var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
        foreach (var (name, module) in model.NamedModules())
        {
            if (module is not Module<Tensor, Tensor> typed || !seen.Add(module))
            {
                continue;
            }

            var displayName = name.Length == 0 ? "(model)" : name;
            _handles.Add(typed.RegisterForwardPreHook((m, input) =>
            {
                if (_position is not null)
                {
                    Calls.Add(new ModuleCall(displayName, m, input.Shape, _open.Count));
                    _open.Push(Calls.Count - 1);
                    Events.Add(new CallEvent(_position(), Calls.Count - 1, Enter: true));
                }

                return input;
            }));
            _handles.Add(typed.RegisterForwardHook((_, _, output) =>
            {
                if (_position is not null && _open.Count > 0)
                {
                    var call = _open.Pop();
                    Calls[call].OutputShape = output.Shape;
                    Events.Add(new CallEvent(_position(), call, Enter: false));
                }
            }));
        }
    }

    public List<ModuleCall> Calls { get; } = [];

    /// <summary>Gets the enter/exit events; <see cref="CallEvent.Position"/> is the trace length (or clock) at the event.</summary>
    public List<CallEvent> Events { get; } = [];

    public void Attach(ExecutionTracer tracer) => _position = () => tracer.Count;

    public void Attach(Func<int> position) => _position = position;

    public void Dispose()
    {
        foreach (var h in _handles)
        {
            h.Dispose();
        }

        _handles.Clear();
    }

    /// <summary>Maps each trace position to the innermost module call open at it (-1 outside every call).</summary>
    /// <param name="length">The number of positions.</param>
    /// <returns>The owner of every position.</returns>
    public int[] Owners(int length)
    {
        var owners = new int[length];
        var stack = new Stack<int>();
        var e = 0;
        for (var k = 0; k < length; k++)
        {
            while (e < Events.Count && Events[e].Position <= k)
            {
                if (Events[e].Enter)
                {
                    stack.Push(Events[e].Call);
                }
                else if (stack.Count > 0)
                {
                    stack.Pop();
                }

                e++;
            }

            owners[k] = stack.Count > 0 ? stack.Peek() : -1;
        }

        return owners;
    }

    internal readonly record struct CallEvent(int Position, int Call, bool Enter);
}
