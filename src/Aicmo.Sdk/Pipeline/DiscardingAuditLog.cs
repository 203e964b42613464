using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Storage;

namespace Aicmo.Sdk.Pipeline;

/// <summary>The audit log of a dry run (<see cref="PipelineRunRequest.DryRun"/>): every event is dropped, and every trail reads empty.</summary>
internal sealed class DiscardingAuditLog : IAuditLog
{
    public static readonly DiscardingAuditLog Instance = new();

    public ValueTask AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default) => default;

    public ValueTask AppendManyAsync(ReadOnlyMemory<AuditEvent> auditEvents, CancellationToken cancellationToken = default) => default;

    public ValueTask<IReadOnlyList<AuditEvent>> ReadAsync(Guid leadId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<AuditEvent>>([]);

    public ValueTask<int> RedactAsync(Guid leadId, string reason, CancellationToken cancellationToken = default) => ValueTask.FromResult(0);
}
