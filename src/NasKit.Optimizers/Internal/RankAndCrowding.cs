using NasKit.Objectives.Pareto;

namespace NasKit.Optimizers.Internal;

/// <summary>
/// NSGA-II's survival (Deb et al., 2002): keep whole non-dominated fronts, best first, while they fit, and fill the rest from the
/// next front by descending crowding distance. Rank and crowding of each survivor are those of the full sort, as the crowded
/// comparison of the next tournament needs them.
/// </summary>
internal static class RankAndCrowding
{
    /// <summary>Selects up to <paramref name="count"/> survivors.</summary>
    /// <param name="table">The candidates' objectives and violations.</param>
    /// <param name="count">How many survive.</param>
    /// <returns>The survivors as indices into the table, with their front rank (0 best) and crowding distance within their front.</returns>
    public static Survivor[] Select(ObjectiveTable table, int count)
    {
        var fronts = NonDominatedSorting.Sort(table.Points, table.Directions, table.Violations);
        var survivors = new List<Survivor>(Math.Min(count, table.Trials.Count));
        for (var rank = 0; rank < fronts.Count && survivors.Count < count; rank++)
        {
            var front = fronts[rank];
            var crowding = CrowdingDistance.Compute(table.Points, front);
            // Descending crowding; equal distances (the infinite extremes among them) keep front order, so the cut is deterministic.
            var order = Enumerable.Range(0, front.Length).OrderByDescending(k => crowding[k]).ThenBy(k => front[k]);
            foreach (var k in order.Take(count - survivors.Count))
            {
                survivors.Add(new Survivor(front[k], rank, crowding[k]));
            }
        }

        return [.. survivors];
    }

    /// <summary>Returns whether <paramref name="a"/> wins the crowded comparison against <paramref name="b"/>: lower rank, then larger crowding.</summary>
    /// <param name="a">The first survivor.</param>
    /// <param name="b">The second survivor.</param>
    /// <returns>1 when a wins, -1 when b wins, 0 on a tie.</returns>
    public static int CrowdedCompare(Survivor a, Survivor b)
    {
        if (a.Rank != b.Rank)
        {
            return a.Rank < b.Rank ? 1 : -1;
        }

        return a.Crowding.CompareTo(b.Crowding);
    }

    /// <summary>One member of a selected population.</summary>
    /// <param name="Index">The index into the table.</param>
    /// <param name="Rank">The non-dominated front (0 best).</param>
    /// <param name="Crowding">The crowding distance within that front (infinite at its extremes).</param>
    internal readonly record struct Survivor(int Index, int Rank, double Crowding);
}
