using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Storage;

/// <summary>One compare-and-set update for <see cref="ILeadRepository.UpdateManyAsync"/>.</summary>
/// <param name="Lead">The new state of the lead, with its new version.</param>
/// <param name="ExpectedVersion">The version the caller last read.</param>
public readonly record struct LeadUpdate(Lead Lead, long ExpectedVersion);
