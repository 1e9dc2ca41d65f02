namespace NasKit.SearchSpace.Custom.Internal;

/// <summary>Ranks and unranks the k-element subsets of {0, …, n-1} in lexicographic order.</summary>
internal static class Subsets
{
    public static long Binomial(int n, int k)
    {
        if (k < 0 || k > n)
        {
            return 0;
        }

        k = Math.Min(k, n - k);
        long result = 1;
        for (var i = 1; i <= k; i++)
        {
            result = checked(result * (n - k + i) / i);
        }

        return result;
    }

    /// <summary>Returns the subset (ascending) at a lexicographic rank.</summary>
    public static int[] Unrank(int n, int k, long rank)
    {
        var result = new int[k];
        var next = 0;
        for (var position = 0; position < k; position++)
        {
            for (var x = next; x < n; x++)
            {
                var withX = Binomial(n - x - 1, k - position - 1);
                if (rank < withX)
                {
                    result[position] = x;
                    next = x + 1;
                    break;
                }

                rank -= withX;
            }
        }

        return result;
    }

    /// <summary>Returns the lexicographic rank of an ascending subset.</summary>
    public static long Rank(int n, IReadOnlyList<int> subset)
    {
        long rank = 0;
        var next = 0;
        var k = subset.Count;
        for (var position = 0; position < k; position++)
        {
            for (var x = next; x < subset[position]; x++)
            {
                rank += Binomial(n - x - 1, k - position - 1);
            }

            next = subset[position] + 1;
        }

        return rank;
    }
}
