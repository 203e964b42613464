using Aicmo.Sdk.Domain;

namespace Aicmo.Sdk.Pipeline.Transport;

/// <summary>
/// A lead a process quarantined while it worked on a delivered batch, carried in its <see cref="LeadBatchReport"/> so the process
/// that started the run raises its <see cref="LeadQuarantined"/> event.
/// </summary>
/// <param name="LeadId">The quarantined lead.</param>
/// <param name="Fault">The stage that gave up on it, the error and the number of attempts.</param>
public sealed record LeadBatchQuarantine(Guid LeadId, LeadFault Fault);
