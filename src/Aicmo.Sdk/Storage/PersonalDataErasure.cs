namespace Aicmo.Sdk.Storage;

/// <summary>A person being erased, as <see cref="IPersonalDataHolder"/> implementations are told.</summary>
/// <param name="Email">The normalized address, or <see langword="null"/> when the person had none.</param>
/// <param name="LeadIds">The leads erased.</param>
/// <param name="IdentityKeys">The identity keys the leads had before they were erased.</param>
public sealed record PersonalDataErasure(string? Email, IReadOnlyCollection<Guid> LeadIds, IReadOnlyCollection<string> IdentityKeys);
