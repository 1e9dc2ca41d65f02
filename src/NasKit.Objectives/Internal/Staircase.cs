namespace NasKit.Objectives.Internal;

/// <summary>
/// The region that a set of 2-D points dominates (minimisation) below a reference corner, kept as a staircase of its non-dominated
/// points, with its area updated exactly on each insertion.
/// </summary>
/// <remarks>
/// Points are kept sorted by x ascending, which makes y strictly descending. The area dominated above height y at abscissa x' is set by
/// the last point with x &lt;= x', so inserting a point adds, strip by strip, the height between the new point and the old staircase.
/// </remarks>
internal sealed class Staircase
{
    private readonly List<double> _xs = [];
    private readonly List<double> _ys = [];
    private readonly double _referenceX;
    private readonly double _referenceY;

    public Staircase(double referenceX, double referenceY)
    {
        _referenceX = referenceX;
        _referenceY = referenceY;
    }

    public double Area { get; private set; }

    /// <summary>Inserts a point strictly inside the reference corner and returns the area it adds (0 when it is weakly dominated).</summary>
    public double Insert(double x, double y)
    {
        var start = LowerBound(x);
        if ((start > 0 && _ys[start - 1] <= y) || (start < _xs.Count && _xs[start] == x && _ys[start] <= y))
        {
            return 0;
        }

        var level = start > 0 ? _ys[start - 1] : _referenceY;
        var currentX = x;
        var added = 0.0;
        var end = start;
        while (end < _xs.Count && _ys[end] >= y)
        {
            added += (_xs[end] - currentX) * (level - y);
            level = _ys[end];
            currentX = _xs[end];
            end++;
        }

        var stop = end < _xs.Count ? _xs[end] : _referenceX;
        added += (stop - currentX) * (level - y);
        _xs.RemoveRange(start, end - start);
        _ys.RemoveRange(start, end - start);
        _xs.Insert(start, x);
        _ys.Insert(start, y);
        Area += added;
        return added;
    }

    private int LowerBound(double x)
    {
        int low = 0, high = _xs.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (_xs[mid] < x)
            {
                low = mid + 1;
            }
            else
            {
                high = mid;
            }
        }

        return low;
    }
}
