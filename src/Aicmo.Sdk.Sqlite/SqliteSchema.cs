namespace Aicmo.Sdk.Sqlite;

/// <summary>The schema migrations, applied in order at start-up; each one runs once per database, recorded in <c>aicmo_schema_version</c>.</summary>
/// <remarks>Never edit a released migration: add a new one with the next version.</remarks>
internal static class SqliteSchema
{
    public static IReadOnlyList<(int Version, string Description, string Sql)> Migrations { get; } =
    [
        (1, "leads, campaigns, runs, audit events, email outbox, suppression list", """
            CREATE TABLE aicmo_campaigns (
                id          TEXT    NOT NULL PRIMARY KEY,
                name        TEXT    NULL,
                created_at  INTEGER NOT NULL
            );

            CREATE TABLE aicmo_leads (
                id           TEXT    NOT NULL PRIMARY KEY,
                campaign_id  TEXT    NOT NULL,
                identity_key TEXT    NOT NULL,
                status       TEXT    NOT NULL,
                version      INTEGER NOT NULL,
                run_id       TEXT    NOT NULL,
                created_at   INTEGER NOT NULL,
                updated_at   INTEGER NOT NULL,
                data         TEXT    NOT NULL
            );
            CREATE UNIQUE INDEX ux_aicmo_leads_identity ON aicmo_leads (campaign_id, identity_key);
            CREATE INDEX ix_aicmo_leads_campaign_created ON aicmo_leads (campaign_id, created_at, id);
            CREATE INDEX ix_aicmo_leads_campaign_status ON aicmo_leads (campaign_id, status, created_at, id);
            CREATE INDEX ix_aicmo_leads_run ON aicmo_leads (run_id, status);

            CREATE TABLE aicmo_runs (
                id           TEXT    NOT NULL PRIMARY KEY,
                campaign_id  TEXT    NOT NULL,
                status       TEXT    NOT NULL,
                started_at   INTEGER NOT NULL,
                completed_at INTEGER NULL,
                data         TEXT    NOT NULL
            );
            CREATE INDEX ix_aicmo_runs_campaign ON aicmo_runs (campaign_id, started_at);

            CREATE TABLE aicmo_audit_events (
                id          INTEGER NOT NULL PRIMARY KEY,
                lead_id     TEXT    NOT NULL,
                campaign_id TEXT    NOT NULL,
                run_id      TEXT    NOT NULL,
                sequence    INTEGER NOT NULL,
                stage       TEXT    NOT NULL,
                from_status TEXT    NULL,
                to_status   TEXT    NOT NULL,
                reason      TEXT    NOT NULL,
                at          INTEGER NOT NULL
            );
            CREATE INDEX ix_aicmo_audit_events_lead ON aicmo_audit_events (lead_id, sequence, id);

            CREATE TABLE aicmo_outbox (
                id                  INTEGER NOT NULL PRIMARY KEY,
                lead_id             TEXT    NOT NULL,
                sequence            TEXT    NOT NULL,
                step                INTEGER NOT NULL,
                campaign_id         TEXT    NOT NULL,
                recipient           TEXT    NOT NULL,
                subject             TEXT    NOT NULL,
                status              TEXT    NOT NULL,
                attempts            INTEGER NOT NULL,
                created_at          INTEGER NOT NULL,
                sent_at             INTEGER NULL,
                provider_message_id TEXT    NULL,
                error               TEXT    NULL
            );
            CREATE UNIQUE INDEX ux_aicmo_outbox_key ON aicmo_outbox (lead_id, sequence, step);
            CREATE INDEX ix_aicmo_outbox_status ON aicmo_outbox (status, id);

            CREATE TABLE aicmo_suppressions (
                email  TEXT    NOT NULL PRIMARY KEY,
                reason TEXT    NOT NULL,
                at     INTEGER NOT NULL
            );
            """),

        // Versions 2 and 3 belong to other changes; migrations are applied by the set of versions recorded, so a gap is fine.
        (4, "campaign version and document (description, targets, settings)", """
            ALTER TABLE aicmo_campaigns ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE aicmo_campaigns ADD COLUMN data TEXT NULL;
            """),
    ];

    public static int LatestVersion => Migrations.Max(m => m.Version);
}
