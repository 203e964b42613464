using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Aicmo.Sdk.Domain;
using Aicmo.Sdk.Nurture;
using Aicmo.Sdk.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Aicmo.Sdk.Benchmarks.Infrastructure;

/// <summary>
/// A lead repository that keeps only what dedup and compare-and-set need: per campaign, a 128-bit fingerprint of each identity
/// key (four salted xxHash32 digests) mapped to the lead's id and version, 48 bytes per person held inline in lock-striped
/// dictionaries (no object per entry). It keeps no lead and no key text: reads return nothing. Uniqueness and the version check
/// are real, so a run behaves as with a store; memory grows by one entry per distinct person, the unique index a SQL store keeps
/// on disk.
/// </summary>
public sealed class IdentityOnlyLeadRepository : ILeadRepository
{
    private readonly ConcurrentDictionary<string, StripedMap<UInt128, Entry>> _campaigns = new(StringComparer.Ordinal);

    public ValueTask<bool> TryAddAsync(Lead lead, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lead);
        return new(Keys(lead.CampaignId).TryAdd(Fingerprint(lead.IdentityKey), new Entry(lead.Id, lead.Version)));
    }

    public ValueTask<bool> UpdateAsync(Lead lead, long expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lead);
        return new(Keys(lead.CampaignId).TryUpdate(
            Fingerprint(lead.IdentityKey),
            static (current, expected) => current == expected,
            new Entry(lead.Id, expectedVersion),
            new Entry(lead.Id, lead.Version)));
    }

    public ValueTask TryAddManyAsync(ReadOnlyMemory<Lead> leads, Memory<bool> added, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(added.Length, leads.Length, nameof(added));
        for (var i = 0; i < leads.Length; i++)
        {
            var lead = leads.Span[i];
            added.Span[i] = Keys(lead.CampaignId).TryAdd(Fingerprint(lead.IdentityKey), new Entry(lead.Id, lead.Version));
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask UpdateManyAsync(ReadOnlyMemory<LeadUpdate> updates, Memory<bool> updated, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(updated.Length, updates.Length, nameof(updated));
        for (var i = 0; i < updates.Length; i++)
        {
            var (lead, expectedVersion) = updates.Span[i];
            updated.Span[i] = Keys(lead.CampaignId).TryUpdate(
                Fingerprint(lead.IdentityKey),
                static (current, expected) => current == expected,
                new Entry(lead.Id, expectedVersion),
                new Entry(lead.Id, lead.Version));
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<Lead?> GetAsync(Guid leadId, CancellationToken cancellationToken = default) => new((Lead?)null);

    public ValueTask<Lead?> FindByIdentityAsync(string campaignId, string identityKey, CancellationToken cancellationToken = default) => new((Lead?)null);

    public ValueTask<IReadOnlyList<Lead>> QueryAsync(LeadQuery query, CancellationToken cancellationToken = default) =>
        new(Array.Empty<Lead>());

    public ValueTask<IReadOnlyList<Lead>> ListByRunAsync(LeadRunQuery query, CancellationToken cancellationToken = default) =>
        new(Array.Empty<Lead>());

    public ValueTask<long> CountAsync(string campaignId, LeadStatus? status = null, CancellationToken cancellationToken = default) =>
        status is null && _campaigns.TryGetValue(campaignId, out var keys) ? new(keys.Count) : new(0L);

    // Four differently salted xxHash32 digests (System.HashCode, seeded per process) make 128 bits. Not cryptographic: it only
    // has to keep distinct people apart in one process, and a collision would show as an unexpected duplicate, which the
    // benchmarks' checks count.
    private static UInt128 Fingerprint(string identityKey)
    {
        var bytes = MemoryMarshal.AsBytes(identityKey.AsSpan());
        return new UInt128(
            ((ulong)(uint)Hash(bytes, 1) << 32) | (uint)Hash(bytes, 2),
            ((ulong)(uint)Hash(bytes, 3) << 32) | (uint)Hash(bytes, 4));
    }

    private static int Hash(ReadOnlySpan<byte> bytes, int salt)
    {
        var hash = default(HashCode);
        hash.Add(salt);
        hash.AddBytes(bytes);
        return hash.ToHashCode();
    }

    private StripedMap<UInt128, Entry> Keys(string campaignId) =>
        _campaigns.GetOrAdd(campaignId, static _ => new StripedMap<UInt128, Entry>());

    private readonly record struct Entry(Guid Id, long Version);
}

/// <summary>An audit log that counts events and keeps none.</summary>
public sealed class CountingAuditLog : IAuditLog
{
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public ValueTask AppendAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _count);
        return ValueTask.CompletedTask;
    }

    public ValueTask AppendManyAsync(ReadOnlyMemory<AuditEvent> auditEvents, CancellationToken cancellationToken = default)
    {
        Interlocked.Add(ref _count, auditEvents.Length);
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<AuditEvent>> ReadAsync(Guid leadId, CancellationToken cancellationToken = default) =>
        new(Array.Empty<AuditEvent>());
}

/// <summary>
/// An outbox that keeps only the key and status of each send (enough to never send a step twice), not the subject or address:
/// about 48 bytes per email held inline in lock-striped dictionaries.
/// </summary>
public sealed class KeyOnlyEmailOutbox : IEmailOutbox
{
    private readonly StripedMap<OutboxKey, OutboxStatus> _status = new();

    public long Count => _status.Count;

    public ValueTask<OutboxReservation> ReserveAsync(OutboxEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var existing = _status.GetOrAdd(entry.Key, entry.Status, out var added);
        return new(added ? new OutboxReservation(true, entry) : new OutboxReservation(false, entry with { Status = existing }));
    }

    public ValueTask MarkSentAsync(OutboxKey key, string? providerMessageId, DateTimeOffset sentAt, CancellationToken cancellationToken = default)
    {
        _status.TryUpdate(key, static (_, _) => true, 0, OutboxStatus.Sent);
        return ValueTask.CompletedTask;
    }

    public ValueTask MarkFailedAsync(OutboxKey key, string error, CancellationToken cancellationToken = default)
    {
        _status.TryUpdate(key, static (s, _) => s != OutboxStatus.Sent, 0, OutboxStatus.Failed);
        return ValueTask.CompletedTask;
    }

    public ValueTask<OutboxEntry?> GetAsync(OutboxKey key, CancellationToken cancellationToken = default) => new((OutboxEntry?)null);

    // No claim owner or expiry is kept: a failed or dry-run entry may be claimed again, a pending one never (benchmarks send each key once).
    public ValueTask<OutboxEntry?> TryReclaimAsync(OutboxEntry seen, string owner, DateTimeOffset expiresAt, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(seen);
        return new(seen.Status is OutboxStatus.Failed or OutboxStatus.DryRun &&
                   _status.TryUpdate(seen.Key, static (s, expected) => s == expected, seen.Status, OutboxStatus.Pending)
            ? seen with { Status = OutboxStatus.Pending, ClaimOwner = owner, ClaimExpiresAt = expiresAt }
            : null);
    }

    // Sequences are not kept: the benchmark routes each lead once.
    public ValueTask<string?> FindSequenceAsync(Guid leadId, CancellationToken cancellationToken = default) => new((string?)null);

    public ValueTask<IReadOnlyList<OutboxEntry>> ListAsync(OutboxStatus? status = null, int skip = 0, int take = 100, CancellationToken cancellationToken = default) =>
        new(Array.Empty<OutboxEntry>());
}

/// <summary>A mail transport that accepts every message and counts it; keeps nothing.</summary>
public sealed class CountingEmailSender : IEmailSender
{
    private static readonly ValueTask<EmailSendResult> Accepted = new(new EmailSendResult(null));
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public ValueTask<EmailSendResult> SendAsync(EmailMessage message, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _count);
        return Accepted;
    }
}

/// <summary>Which stores a pipeline benchmark runs against.</summary>
public enum StoreKind
{
    /// <summary>The default in-memory stores: keep every lead, audit event and outbox entry.</summary>
    InMemory,

    /// <summary>Identity keys, outbox keys and counts only (see <see cref="IdentityOnlyLeadRepository"/>).</summary>
    NonRetaining,

    /// <summary>The SQLite stores, in a new database file in the temporary directory for every run.</summary>
    Sqlite,

    /// <summary>The PostgreSQL stores, in a new schema of the server AICMO_POSTGRES_CONNECTION names, for every run.</summary>
    PostgreSql,
}

public static class PipelineStores
{
    /// <summary>The variable holding the Npgsql connection string of the server the PostgreSQL benchmarks run against.</summary>
    public const string PostgresVariable = "AICMO_POSTGRES_CONNECTION";

    private static int _skipReported;

    /// <summary>The variable that, when set, limits the stores benchmarked to those it names, comma-separated (for example <c>PostgreSql</c>).</summary>
    public const string StoresVariable = "AICMO_BENCH_STORES";

    /// <summary>
    /// Every store, or those <see cref="StoresVariable"/> names; PostgreSQL only when <see cref="PostgresVariable"/> names a server
    /// (a message says it was skipped).
    /// </summary>
    public static IEnumerable<StoreKind> Available() => All().Where(Selected);

    private static bool Selected(StoreKind kind) =>
        Environment.GetEnvironmentVariable(StoresVariable) is not { Length: > 0 } names
        || names.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Contains(kind.ToString(), StringComparer.OrdinalIgnoreCase);

    private static IEnumerable<StoreKind> All()
    {
        yield return StoreKind.InMemory;
        yield return StoreKind.NonRetaining;
        yield return StoreKind.Sqlite;
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(PostgresVariable)))
        {
            yield return StoreKind.PostgreSql;
        }
        else if (Interlocked.Exchange(ref _skipReported, 1) == 0)
        {
            Console.WriteLine($"PostgreSQL store skipped: set {PostgresVariable} to an Npgsql connection string to benchmark it.");
        }
    }

    /// <summary>Registers the stores of <paramref name="kind"/>; for SQLite and PostgreSQL a fresh database file or schema.</summary>
    /// <returns>What to remove after the run, or <see langword="null"/>.</returns>
    public static StoreLease? Use(this IAicmoPipelineBuilder builder, StoreKind kind)
    {
        switch (kind)
        {
            case StoreKind.InMemory:
                builder.UseInMemoryStores();
                return null;
            case StoreKind.NonRetaining:
                builder.UseNonRetainingStores();
                return null;
            case StoreKind.Sqlite:
                var file = Path.Combine(Path.GetTempPath(), "aicmo-bench-" + Guid.NewGuid().ToString("N") + ".db");
                builder.UseSqlite("Data Source=" + file);
                return new StoreLease(file, null, null);
            case StoreKind.PostgreSql:
                var connection = Environment.GetEnvironmentVariable(PostgresVariable);
                if (string.IsNullOrWhiteSpace(connection))
                {
                    throw new InvalidOperationException($"The PostgreSQL store needs {PostgresVariable}: an Npgsql connection string of a server to benchmark against.");
                }

                var schema = "bench_" + Guid.NewGuid().ToString("N")[..12];
                builder.UsePostgreSql(connection, o => o.Schema = schema);
                return new StoreLease(null, connection, schema);
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown store.");
        }
    }

    /// <summary>In-memory stores that keep no leads, no audit events and no email contents (see the types for what each keeps).</summary>
    public static IAicmoPipelineBuilder UseNonRetainingStores(this IAicmoPipelineBuilder builder)
    {
        builder.UseInMemoryStores();
        var services = builder.Services;
        services.RemoveAll<ILeadRepository>();
        services.RemoveAll<IAuditLog>();
        services.RemoveAll<IEmailOutbox>();
        services.AddSingleton<ILeadRepository, IdentityOnlyLeadRepository>();
        services.AddSingleton<IAuditLog, CountingAuditLog>();
        services.AddSingleton<IEmailOutbox, KeyOnlyEmailOutbox>();
        return builder;
    }
}

/// <summary>A database file or schema made for one benchmark run, removed after it (after the container is disposed).</summary>
public sealed record StoreLease(string? SqliteFile, string? PostgresConnection, string? PostgresSchema)
{
    public void Remove()
    {
        if (SqliteFile is not null)
        {
            foreach (var path in new[] { SqliteFile, SqliteFile + "-wal", SqliteFile + "-shm" })
            {
                File.Delete(path);
            }
        }

        if (PostgresConnection is not null && PostgresSchema is not null)
        {
            using var dataSource = Npgsql.NpgsqlDataSource.Create(PostgresConnection);

            // The schema name is generated above (bench_ and hex digits), never user input; identifiers cannot be parameters.
            using var command = dataSource.CreateCommand("DROP SCHEMA IF EXISTS \"" + PostgresSchema + "\" CASCADE;");
            command.ExecuteNonQuery();
        }
    }
}
