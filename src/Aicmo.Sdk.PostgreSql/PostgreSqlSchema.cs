namespace Aicmo.Sdk.PostgreSql;

/// <summary>The schema migrations, applied in order at start-up; each runs once per schema, recorded in <c>schema_version</c>.</summary>
/// <remarks><c>{s}</c> stands for the quoted schema name (validated by the options). Never edit a released migration: add one.</remarks>
internal static class PostgreSqlSchema
{
    public static IReadOnlyList<(int Version, string Description, string Sql)> Migrations { get; } =
    [
        (1, "leads, campaigns, runs, audit events, email outbox, suppression list", """
            CREATE TABLE {s}.campaigns (
                id          text        NOT NULL PRIMARY KEY,
                name        text        NULL,
                created_at  timestamptz NOT NULL
            );

            CREATE TABLE {s}.leads (
                id           uuid        NOT NULL PRIMARY KEY,
                campaign_id  text        NOT NULL,
                identity_key text        NOT NULL,
                status       text        NOT NULL,
                version      bigint      NOT NULL,
                run_id       uuid        NOT NULL,
                created_at   timestamptz NOT NULL,
                updated_at   timestamptz NOT NULL,
                data         jsonb       NOT NULL
            );
            CREATE UNIQUE INDEX ux_leads_identity ON {s}.leads (campaign_id, identity_key);
            CREATE INDEX ix_leads_campaign_created ON {s}.leads (campaign_id, created_at, id);
            CREATE INDEX ix_leads_campaign_status ON {s}.leads (campaign_id, status, created_at, id);
            CREATE INDEX ix_leads_run ON {s}.leads (run_id, status);

            CREATE TABLE {s}.runs (
                id           uuid        NOT NULL PRIMARY KEY,
                campaign_id  text        NOT NULL,
                status       text        NOT NULL,
                started_at   timestamptz NOT NULL,
                completed_at timestamptz NULL,
                data         jsonb       NOT NULL
            );
            CREATE INDEX ix_runs_campaign ON {s}.runs (campaign_id, started_at);

            CREATE TABLE {s}.audit_events (
                id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                lead_id     uuid        NOT NULL,
                campaign_id text        NOT NULL,
                run_id      uuid        NOT NULL,
                sequence    bigint      NOT NULL,
                stage       text        NOT NULL,
                from_status text        NULL,
                to_status   text        NOT NULL,
                reason      text        NOT NULL,
                at          timestamptz NOT NULL
            );
            CREATE INDEX ix_audit_events_lead ON {s}.audit_events (lead_id, sequence, id);

            CREATE TABLE {s}.outbox (
                id                  bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                lead_id             uuid        NOT NULL,
                sequence            text        NOT NULL,
                step                integer     NOT NULL,
                campaign_id         text        NOT NULL,
                recipient           text        NOT NULL,
                subject             text        NOT NULL,
                status              text        NOT NULL,
                attempts            integer     NOT NULL,
                created_at          timestamptz NOT NULL,
                sent_at             timestamptz NULL,
                provider_message_id text        NULL,
                error               text        NULL
            );
            CREATE UNIQUE INDEX ux_outbox_key ON {s}.outbox (lead_id, sequence, step);
            CREATE INDEX ix_outbox_status ON {s}.outbox (status, id);

            CREATE TABLE {s}.suppressions (
                email  text        NOT NULL PRIMARY KEY,
                reason text        NOT NULL,
                at     timestamptz NOT NULL
            );
            """),

        // Versions 2 and 3 belong to other changes; migrations are applied by the set of versions recorded, so a gap is fine.
        (4, "campaign version and document (description, targets, settings)", """
            ALTER TABLE {s}.campaigns ADD COLUMN version bigint NOT NULL DEFAULT 0;
            ALTER TABLE {s}.campaigns ADD COLUMN data text NULL;
            """),
    ];

    public static int LatestVersion => Migrations.Max(m => m.Version);
}
