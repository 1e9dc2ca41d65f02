namespace NasKit.Cli.Commands;

/// <summary>The validated inputs of <c>naskit cost</c>.</summary>
/// <param name="Space">The search space name.</param>
/// <param name="Architecture">The architecture text.</param>
/// <param name="Input">The input shape CxHxW, or null for the space's default.</param>
/// <param name="Classes">The number of classes, or null for the space's default.</param>
/// <param name="Batch">The batch size.</param>
/// <param name="BytesPerElement">The bytes per activation element.</param>
internal sealed record CostRequest(string Space, string Architecture, int[]? Input, int? Classes, int Batch = 1, int BytesPerElement = 4);
