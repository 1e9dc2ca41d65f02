namespace NasKit.Cli;

/// <summary>The entry point of the <c>naskit</c> tool.</summary>
internal static class Program
{
    private static int Main(string[] args) => NaskitApp.Run(args, Console.Out, Console.Error);
}
