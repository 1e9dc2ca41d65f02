using NasKit.Tensors;

namespace NasKit.Data.Splits;

/// <summary>Provides seeded, reproducible divisions of a dataset into training and validation parts.</summary>
/// <remarks>
/// The same dataset, fraction and seed always give the same split. Indices within each part are in ascending order of the
/// source index; shuffle the parts with a <see cref="DataLoader"/>.
/// </remarks>
public static class DataSplits
{
    /// <summary>Splits <paramref name="dataset"/> into disjoint training and validation views that together cover every sample once.</summary>
    /// <param name="dataset">The dataset to split.</param>
    /// <param name="validationFraction">The share of samples for validation, in (0, 1); the validation part gets
    /// round(fraction × Count) samples (ties round to even).</param>
    /// <param name="seed">The seed that decides which samples go where.</param>
    /// <param name="stratified">When true, each class is split in the same proportion: class <c>c</c> with <c>n_c</c> samples contributes
    /// floor or ceiling of <c>fraction × n_c</c> samples to validation (largest remainders first), so class proportions hold to within one
    /// sample per class. When false, the validation samples are a uniformly random subset.</param>
    /// <returns>The two views.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataset"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="validationFraction"/> is not in (0, 1), or it leaves one part empty.</exception>
    public static TrainValidationSplit TrainValidation(IDataset dataset, double validationFraction, long seed, bool stratified = true)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (!(validationFraction > 0 && validationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(
                nameof(validationFraction), validationFraction, $"'0 < validationFraction < 1' must hold, but got validationFraction={validationFraction}.");
        }

        var count = dataset.Count;
        var validationCount = (int)Math.Round(validationFraction * count, MidpointRounding.ToEven);
        if (validationCount == 0 || validationCount == count)
        {
            throw new ArgumentOutOfRangeException(
                nameof(validationFraction),
                validationFraction,
                $"Both parts must be non-empty, but validationFraction={validationFraction} of Count={count} gives {validationCount} validation and {count - validationCount} training samples.");
        }

        var generator = new Generator(seed);
        var inValidation = new bool[count];
        if (stratified)
        {
            MarkStratified(dataset, validationFraction, validationCount, generator, inValidation);
        }
        else
        {
            var permutation = generator.Permutation(count);
            for (var i = 0; i < validationCount; i++)
            {
                inValidation[permutation[i]] = true;
            }
        }

        var train = new int[count - validationCount];
        var validation = new int[validationCount];
        int t = 0, v = 0;
        for (var i = 0; i < count; i++)
        {
            if (inValidation[i])
            {
                validation[v++] = i;
            }
            else
            {
                train[t++] = i;
            }
        }

        return new TrainValidationSplit(dataset.Subset(train), dataset.Subset(validation));
    }

    private static void MarkStratified(IDataset dataset, double fraction, int validationCount, Generator generator, bool[] inValidation)
    {
        var classes = dataset.NumClasses;
        var members = new List<int>[classes];
        for (var c = 0; c < classes; c++)
        {
            members[c] = [];
        }

        for (var i = 0; i < dataset.Count; i++)
        {
            members[dataset.GetLabel(i)].Add(i);
        }

        // Largest-remainder apportionment: every class gets floor(share), and the leftover samples go to the classes with
        // the largest fractional parts (lowest class first on ties), so each class is within one sample of its exact share.
        var quota = new int[classes];
        var assigned = 0;
        for (var c = 0; c < classes; c++)
        {
            quota[c] = (int)Math.Floor(fraction * members[c].Count);
            assigned += quota[c];
        }

        var byRemainder = Enumerable.Range(0, classes)
            .OrderByDescending(c => (fraction * members[c].Count) - quota[c])
            .ThenBy(c => c)
            .ToArray();
        for (var k = 0; assigned < validationCount; k = (k + 1) % classes)
        {
            var c = byRemainder[k];
            if (quota[c] < members[c].Count)
            {
                quota[c]++;
                assigned++;
            }
        }

        for (var c = 0; c < classes; c++)
        {
            var perm = generator.Permutation(members[c].Count);
            for (var i = 0; i < quota[c]; i++)
            {
                inValidation[members[c][perm[i]]] = true;
            }
        }
    }
}
