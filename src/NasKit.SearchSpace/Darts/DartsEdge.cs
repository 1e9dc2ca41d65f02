using System.Globalization;

namespace NasKit.SearchSpace.Darts;

/// <summary>Represents one kept edge of a DARTS cell: the operation applied and the state it reads.</summary>
/// <param name="Operation">The operation on the edge.</param>
/// <param name="Input">
/// The state the edge reads: 0 and 1 are the outputs of the two previous cells (c<sub>k−2</sub>, c<sub>k−1</sub>), 2 + j is
/// intermediate node j. An edge into intermediate node i may read 0 … i + 1.
/// </param>
public readonly record struct DartsEdge(DartsOperation Operation, int Input)
{
    /// <summary>Returns the edge as DARTS prints it, for example <c>('sep_conv_3x3', 0)</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"('{((uint)Operation < 8u ? DartsOperations.GetName(Operation) : ((int)Operation).ToString(CultureInfo.InvariantCulture))}', {Input})");
}
