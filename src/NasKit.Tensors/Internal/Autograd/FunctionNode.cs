using System.Globalization;

namespace NasKit.Tensors.Internal.Autograd;

/// <summary>A backward node defined by a delegate, with version checks on the tensors it saved.</summary>
internal sealed class FunctionNode : GradNode
{
    private readonly string _name;
    private readonly Tensor[] _saved;
    private readonly int[] _savedVersions;
    private Func<Tensor, Tensor?[]>? _backward;

    public FunctionNode(string name, GradNode?[] next, Func<Tensor, Tensor?[]> backward, Tensor[] saved)
        : base(next)
    {
        _name = name;
        _backward = backward;
        _saved = saved;
        _savedVersions = new int[saved.Length];
        for (var i = 0; i < saved.Length; i++)
        {
            _savedVersions[i] = saved[i].Version;
            saved[i].AddSavedReference();
        }
    }

    public override string Name => _name;

    public override Tensor?[] Apply(Tensor gradOutput)
    {
        var backward = _backward;
        if (backward is null)
        {
            ThrowHelper.ThrowInvalidOperation(
                $"Trying to run {_name} a second time: its saved tensors were freed after the first backward pass. " +
                "Pass retainGraph: true to the first Backward() call if you need to backpropagate through the graph twice.");
        }

        for (var i = 0; i < _saved.Length; i++)
        {
            var t = _saved[i];
            if (t.IsDisposed)
            {
                ThrowHelper.ThrowInvalidOperation(
                    $"A tensor of shape {ThrowHelper.FormatShape(t.ShapeSpan)} that {_name} saved for the backward pass was disposed before Backward() ran. " +
                    "Keep the forward tensors alive (for example in the same TensorScope) until backward is done.");
            }

            if (t.Version != _savedVersions[i])
            {
                ThrowHelper.ThrowInvalidOperation(string.Create(CultureInfo.InvariantCulture,
                    $"A tensor of shape {ThrowHelper.FormatShape(t.ShapeSpan)} needed by {_name} for gradient computation was modified by an in-place operation " +
                    $"after it was saved (saved at version {_savedVersions[i]}, now at version {t.Version})."));
            }
        }

        return backward(gradOutput);
    }

    public override void Release()
    {
        if (_backward is null)
        {
            return;
        }

        _backward = null;
        for (var i = 0; i < _saved.Length; i++)
        {
            _saved[i].ReleaseSavedReference();
            _saved[i] = null!;
        }
    }
}
