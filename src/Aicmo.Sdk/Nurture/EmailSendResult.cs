using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Nurture;

/// <summary>What the transport returned.</summary>
/// <param name="ProviderMessageId">The transport's id for the message, if it has one.</param>
public readonly record struct EmailSendResult(string? ProviderMessageId);
