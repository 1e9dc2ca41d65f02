namespace NasKit.Cli;

/// <summary>The tool's exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Success = 0;

    /// <summary>The command failed for a reason other than its input.</summary>
    public const int Failure = 1;

    /// <summary>The input was not valid (unknown option or value, malformed architecture, impossible input size).</summary>
    public const int BadInput = 2;
}
