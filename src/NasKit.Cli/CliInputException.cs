namespace NasKit.Cli;

/// <summary>Thrown when a command's input is not valid; the tool prints the message on one line and exits with code 2.</summary>
/// <param name="message">What was wrong, in one sentence.</param>
internal sealed class CliInputException(string message) : Exception(message);
