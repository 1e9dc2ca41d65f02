using NasKit.Data.Idx;

namespace NasKit.Data.Mnist;

/// <summary>
/// Loads Fashion-MNIST (or any dataset stored in MNIST's file layout, such as MNIST itself) from a folder of IDX files.
/// </summary>
/// <remarks>
/// <para>The folder must hold the standard file names, each either gzip-compressed (<c>.gz</c>) or raw:
/// <c>train-images-idx3-ubyte</c> and <c>train-labels-idx1-ubyte</c> for the 60,000 training samples, and
/// <c>t10k-images-idx3-ubyte</c> and <c>t10k-labels-idx1-ubyte</c> for the 10,000 test samples.
/// On Debian and Ubuntu, the <c>dataset-fashion-mnist</c> package installs them in <see cref="DefaultFolder"/>.</para>
/// <para>Samples have shape [1, 28, 28] and pixel values scaled to [0, 1] (byte / 255, as torchvision's <c>ToTensor</c>).</para>
/// </remarks>
public static class FashionMnist
{
    /// <summary>The folder where Debian's <c>dataset-fashion-mnist</c> package installs the files.</summary>
    public const string DefaultFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>The number of classes.</summary>
    public const int NumClasses = 10;

    private static readonly string[] s_classNames =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>Gets the class names, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames => s_classNames;

    /// <summary>Loads the training or test split from <see cref="DefaultFolder"/>.</summary>
    /// <param name="train">True for the training split, false for the test split.</param>
    /// <returns>The dataset, of sample shape [1, 28, 28] with pixels in [0, 1].</returns>
    /// <exception cref="FileNotFoundException">An expected file is missing; the message lists the paths looked for.</exception>
    /// <exception cref="InvalidDataException">A file is malformed or the images and labels do not agree.</exception>
    public static InMemoryDataset Load(bool train) => Load(DefaultFolder, train);

    /// <summary>Loads the training or test split from <paramref name="folder"/>.</summary>
    /// <param name="folder">The folder that holds the IDX files.</param>
    /// <param name="train">True for the training split (<c>train-*</c> files), false for the test split (<c>t10k-*</c> files).</param>
    /// <returns>The dataset, of sample shape [1, rows, columns] with pixels in [0, 1].</returns>
    /// <exception cref="ArgumentNullException"><paramref name="folder"/> is null.</exception>
    /// <exception cref="FileNotFoundException">An expected file is missing; the message lists the paths looked for.</exception>
    /// <exception cref="InvalidDataException">A file is malformed or the images and labels do not agree.</exception>
    public static InMemoryDataset Load(string folder, bool train)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var prefix = train ? "train" : "t10k";
        var images = FindFile(folder, $"{prefix}-images-idx3-ubyte");
        var labels = FindFile(folder, $"{prefix}-labels-idx1-ubyte");
        return IdxReader.ReadLabeledImages(images, labels, NumClasses);
    }

    private static string FindFile(string folder, string baseName)
    {
        var compressed = Path.Combine(folder, baseName + ".gz");
        if (File.Exists(compressed))
        {
            return compressed;
        }

        var raw = Path.Combine(folder, baseName);
        if (File.Exists(raw))
        {
            return raw;
        }

        var hint = folder == DefaultFolder ? " Install Debian's dataset-fashion-mnist package to get the default folder." : string.Empty;
        throw new FileNotFoundException($"Neither '{compressed}' nor '{raw}' exists.{hint}", compressed);
    }
}
