namespace Aicmo.Sdk.PostgreSql;

/// <summary>The schema migrations, applied in order at start-up; each runs once per schema, recorded in <c>schema_version</c>.</summary>
/// <remarks>
/// <c>{s}</c> stands for the quoted schema name (validated by the options). Never edit a released migration: add one. Versions
/// need not be contiguous (a version may be reserved for a change still under way): each migration missing from
/// <c>schema_version</c> is applied, in order.
/// </remarks>
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
        (2, "outbox claims with an owner and a lease; candidates rejected at intake", """
            ALTER TABLE {s}.outbox ADD COLUMN claim_owner text NULL, ADD COLUMN claim_expires_at timestamptz NULL;

            CREATE TABLE {s}.rejections (
                id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                run_id      uuid        NOT NULL,
                campaign_id text        NOT NULL,
                source      text        NOT NULL,
                position    text        NULL,
                external_id text        NULL,
                reason      text        NOT NULL,
                at          timestamptz NOT NULL
            );
            CREATE INDEX ix_rejections_run ON {s}.rejections (run_id, id);
            """),
        (3, "scheduler: schedules, job leases, job results", """
            CREATE TABLE {s}.job_schedules (
                id          text   NOT NULL PRIMARY KEY,
                campaign_id text   NOT NULL,
                version     bigint NOT NULL,
                data        jsonb  NOT NULL
            );
            CREATE INDEX ix_job_schedules_campaign ON {s}.job_schedules (campaign_id, id);

            CREATE TABLE {s}.job_leases (
                campaign_id text        NOT NULL,
                job_kind    text        NOT NULL,
                owner       text        NOT NULL,
                token       bigint      NOT NULL,
                expires_at  timestamptz NOT NULL,
                run_id      uuid        NULL,
                released    boolean     NOT NULL,
                PRIMARY KEY (campaign_id, job_kind)
            );

            CREATE TABLE {s}.job_results (
                id           uuid        NOT NULL PRIMARY KEY,
                campaign_id  text        NOT NULL,
                schedule_id  text        NULL,
                scheduled_at timestamptz NOT NULL,
                attempt      integer     NOT NULL,
                completed_at timestamptz NOT NULL,
                data         jsonb       NOT NULL
            );
            CREATE INDEX ix_job_results_campaign ON {s}.job_results (campaign_id, scheduled_at, attempt);
            CREATE INDEX ix_job_results_schedule ON {s}.job_results (campaign_id, schedule_id, scheduled_at, attempt);
            CREATE INDEX ix_job_results_completed ON {s}.job_results (completed_at);
            """),
        (4, "campaign version and document (description, targets, settings)", """
            ALTER TABLE {s}.campaigns ADD COLUMN version bigint NOT NULL DEFAULT 0;
            ALTER TABLE {s}.campaigns ADD COLUMN data text NULL;
            """),
        (5, "leads of a run in id order; unique audit sequence per lead", """
            CREATE INDEX ix_leads_run_id ON {s}.leads (run_id, id);

            -- A lead's trail holds one event per sequence. Copies left by runs that repeated a lead's step keep the last one written.
            DELETE FROM {s}.audit_events a USING {s}.audit_events b
            WHERE a.lead_id = b.lead_id AND a.sequence = b.sequence AND a.id < b.id;
            CREATE UNIQUE INDEX ux_audit_events_lead_sequence ON {s}.audit_events (lead_id, sequence);
            DROP INDEX IF EXISTS {s}.ix_audit_events_lead;
            """),
        (6, "scheduler: planned retries", """
            CREATE TABLE {s}.job_retries (
                id          uuid        NOT NULL PRIMARY KEY,
                schedule_id text        NOT NULL,
                due_at      timestamptz NOT NULL,
                data        jsonb       NOT NULL
            );
            CREATE INDEX ix_job_retries_due ON {s}.job_retries (due_at, id);
            """),
        (7, "dashboard aggregates: disqualification reasons per campaign, outbox per campaign and state or send time", """
            CREATE INDEX ix_audit_events_disqualified ON {s}.audit_events (campaign_id, reason) WHERE to_status = 'Disqualified';
            CREATE INDEX ix_outbox_campaign_status ON {s}.outbox (campaign_id, status, sent_at);
            """),
        (8, "transport inbox of handled message ids; limit slots shared by the processes on one store", """
            CREATE TABLE {s}.message_inbox (
                message_id  text        NOT NULL PRIMARY KEY,
                recorded_at timestamptz NOT NULL
            );
            CREATE INDEX ix_message_inbox_recorded ON {s}.message_inbox (recorded_at);

            CREATE TABLE {s}.limit_slots (
                id       bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                scope    text        NOT NULL,
                taken_at timestamptz NOT NULL
            );
            CREATE INDEX ix_limit_slots_scope ON {s}.limit_slots (scope, taken_at);
            CREATE INDEX ix_limit_slots_taken ON {s}.limit_slots (taken_at);
            """),
        (9, "dashboard counters: leads per state and per creation hour, disqualification reasons, outbox per state and per send hour, kept by triggers", """
            -- Written in the same transaction as every write of the counted rows (the triggers below), so a rolled-back write leaves
            -- them unchanged; the dashboard reads a campaign's counts from a few rows instead of grouping its leads, trail and outbox.
            -- Hours are whole hours since the Unix epoch (UTC). Writers only ever insert here, so concurrent writes never wait for
            -- each other on a counter.
            CREATE TABLE {s}.campaign_counts (
                campaign_id text   NOT NULL,
                counter     text   NOT NULL,
                key         text   NOT NULL,
                n           bigint NOT NULL
            );
            CREATE INDEX ix_campaign_counts ON {s}.campaign_counts (campaign_id, counter, key) INCLUDE (n);

            CREATE TABLE {s}.campaign_hourly_counts (
                campaign_id text   NOT NULL,
                counter     text   NOT NULL,
                hour        bigint NOT NULL,
                n           bigint NOT NULL
            );
            CREATE INDEX ix_campaign_hourly_counts ON {s}.campaign_hourly_counts (campaign_id, counter, hour) INCLUDE (n);

            INSERT INTO {s}.campaign_counts (campaign_id, counter, key, n)
            SELECT campaign_id, 'lead_status', status, count(*) FROM {s}.leads GROUP BY campaign_id, status;
            INSERT INTO {s}.campaign_counts (campaign_id, counter, key, n)
            SELECT campaign_id, 'disqualified', reason, count(*) FROM {s}.audit_events WHERE to_status = 'Disqualified' GROUP BY campaign_id, reason;
            INSERT INTO {s}.campaign_counts (campaign_id, counter, key, n)
            SELECT campaign_id, 'outbox_status', status, count(*) FROM {s}.outbox GROUP BY campaign_id, status;
            INSERT INTO {s}.campaign_hourly_counts (campaign_id, counter, hour, n)
            SELECT campaign_id, 'lead_created', floor(extract(epoch FROM created_at) / 3600)::bigint, count(*) FROM {s}.leads GROUP BY 1, 3;
            INSERT INTO {s}.campaign_hourly_counts (campaign_id, counter, hour, n)
            SELECT campaign_id, 'outbox_sent', floor(extract(epoch FROM sent_at) / 3600)::bigint, count(*) FROM {s}.outbox
            WHERE sent_at IS NOT NULL GROUP BY 1, 3;

            -- Statement-level triggers: a statement adds one row per counter and key it changed (its net change), whatever the number
            -- of rows it wrote; an UPDATE's old rows count -1 and its new rows +1, so rows whose counted columns did not change cancel
            -- out. The rows of a counter are summed when read and folded into one row per key from time to time.
            CREATE FUNCTION {s}.count_leads() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    INSERT INTO {s}.campaign_counts (campaign_id, counter, key, n)
                    SELECT campaign_id, 'lead_status', key, sum(d) FROM (
                        SELECT campaign_id, status AS key, 1 AS d FROM new_rows) AS x
                    GROUP BY campaign_id, key HAVING sum(d) <> 0;
                    INSERT INTO {s}.campaign_hourly_counts (campaign_id, counter, hour, n)
                    SELECT campaign_id, 'lead_created', hour, sum(d) FROM (
                        SELECT campaign_id, floor(extract(epoch FROM created_at) / 3600)::bigint AS hour, 1 AS d FROM new_rows) AS x
                    GROUP BY campaign_id, hour HAVING sum(d) <> 0;
                ELSIF TG_OP = 'UPDATE' THEN
                    INSERT INTO {s}.campaign_counts (campaign_id, counter, key, n)
                    SELECT campaign_id, 'lead_status', key, sum(d) FROM (
                        SELECT campaign_id, status AS key, 1 AS d FROM new_rows
                        UNION ALL SELECT campaign_id, status AS key, -1 AS d FROM old_rows) AS x
                    GROUP BY campaign_id, key HAVING sum(d) <> 0;
                    INSERT INTO {s}.campaign_hourly_counts (campaign_id, counter, hour, n)
                    SELECT campaign_id, 'lead_created', hour, sum(d) FROM (
                        SELECT campaign_id, floor(extract(epoch FROM created_at) / 3600)::bigint AS hour, 1 AS d FROM new_rows
                        UNION ALL SELECT campaign_id, floor(extract(epoch FROM created_at) / 3600)::bigint AS hour, -1 AS d FROM old_rows) AS x
                    GROUP BY campaign_id, hour HAVING sum(d) <> 0;
                ELSE
                    INSERT INTO {s}.campaign_counts (campaign_id, counter, key, n)
                    SELECT campaign_id, 'lead_status', key, sum(d) FROM (
                        SELECT campaign_id, status AS key, -1 AS d FROM old_rows) AS x
                    GROUP BY campaign_id, key HAVING sum(d) <> 0;
                    INSERT INTO {s}.campaign_hourly_counts (campaign_id, counter, hour, n)
                    SELECT campaign_id, 'lead_created', hour, sum(d) FROM (
                        SELECT campaign_id, floor(extract(epoch FROM created_at) / 3600)::bigint AS hour, -1 AS d FROM old_rows) AS x
                    GROUP BY campaign_id, hour HAVING sum(d) <> 0;
                END IF;
                RETURN NULL;
            END $fn$;

            CREATE FUNCTION {s}.count_audit_events() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    INSERT INTO {s}.campaign_counts (campaign_id, counter, key, n)
                    SELECT campaign_id, 'disqualified', key, sum(d) FROM (
                        SELECT campaign_id, reason AS key, 1 AS d FROM new_rows WHERE to_status = 'Disqualified') AS x
                    GROUP BY campaign_id, key HAVING sum(d) <> 0;
                ELSIF TG_OP = 'UPDATE' THEN
                    INSERT INTO {s}.campaign_counts (campaign_id, counter, key, n)
                    SELECT campaign_id, 'disqualified', key, sum(d) FROM (
                        SELECT campaign_id, reason AS key, 1 AS d FROM new_rows WHERE to_status = 'Disqualified'
                        UNION ALL SELECT campaign_id, reason AS key, -1 AS d FROM old_rows WHERE to_status = 'Disqualified') AS x
                    GROUP BY campaign_id, key HAVING sum(d) <> 0;
                ELSE
                    INSERT INTO {s}.campaign_counts (campaign_id, counter, key, n)
                    SELECT campaign_id, 'disqualified', key, sum(d) FROM (
                        SELECT campaign_id, reason AS key, -1 AS d FROM old_rows WHERE to_status = 'Disqualified') AS x
                    GROUP BY campaign_id, key HAVING sum(d) <> 0;
                END IF;
                RETURN NULL;
            END $fn$;

            CREATE FUNCTION {s}.count_outbox() RETURNS trigger LANGUAGE plpgsql AS $fn$
            BEGIN
                IF TG_OP = 'INSERT' THEN
                    INSERT INTO {s}.campaign_counts (campaign_id, counter, key, n)
                    SELECT campaign_id, 'outbox_status', key, sum(d) FROM (
                        SELECT campaign_id, status AS key, 1 AS d FROM new_rows) AS x
                    GROUP BY campaign_id, key HAVING sum(d) <> 0;
                    INSERT INTO {s}.campaign_hourly_counts (campaign_id, counter, hour, n)
                    SELECT campaign_id, 'outbox_sent', hour, sum(d) FROM (
                        SELECT campaign_id, floor(extract(epoch FROM sent_at) / 3600)::bigint AS hour, 1 AS d FROM new_rows WHERE sent_at IS NOT NULL) AS x
                    GROUP BY campaign_id, hour HAVING sum(d) <> 0;
                ELSIF TG_OP = 'UPDATE' THEN
                    INSERT INTO {s}.campaign_counts (campaign_id, counter, key, n)
                    SELECT campaign_id, 'outbox_status', key, sum(d) FROM (
                        SELECT campaign_id, status AS key, 1 AS d FROM new_rows
                        UNION ALL SELECT campaign_id, status AS key, -1 AS d FROM old_rows) AS x
                    GROUP BY campaign_id, key HAVING sum(d) <> 0;
                    INSERT INTO {s}.campaign_hourly_counts (campaign_id, counter, hour, n)
                    SELECT campaign_id, 'outbox_sent', hour, sum(d) FROM (
                        SELECT campaign_id, floor(extract(epoch FROM sent_at) / 3600)::bigint AS hour, 1 AS d FROM new_rows WHERE sent_at IS NOT NULL
                        UNION ALL SELECT campaign_id, floor(extract(epoch FROM sent_at) / 3600)::bigint AS hour, -1 AS d FROM old_rows WHERE sent_at IS NOT NULL) AS x
                    GROUP BY campaign_id, hour HAVING sum(d) <> 0;
                ELSE
                    INSERT INTO {s}.campaign_counts (campaign_id, counter, key, n)
                    SELECT campaign_id, 'outbox_status', key, sum(d) FROM (
                        SELECT campaign_id, status AS key, -1 AS d FROM old_rows) AS x
                    GROUP BY campaign_id, key HAVING sum(d) <> 0;
                    INSERT INTO {s}.campaign_hourly_counts (campaign_id, counter, hour, n)
                    SELECT campaign_id, 'outbox_sent', hour, sum(d) FROM (
                        SELECT campaign_id, floor(extract(epoch FROM sent_at) / 3600)::bigint AS hour, -1 AS d FROM old_rows WHERE sent_at IS NOT NULL) AS x
                    GROUP BY campaign_id, hour HAVING sum(d) <> 0;
                END IF;
                RETURN NULL;
            END $fn$;

            CREATE TRIGGER leads_counted_insert AFTER INSERT ON {s}.leads REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {s}.count_leads();
            CREATE TRIGGER leads_counted_update AFTER UPDATE ON {s}.leads REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {s}.count_leads();
            CREATE TRIGGER leads_counted_delete AFTER DELETE ON {s}.leads REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {s}.count_leads();
            CREATE TRIGGER audit_events_counted_insert AFTER INSERT ON {s}.audit_events REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {s}.count_audit_events();
            CREATE TRIGGER audit_events_counted_update AFTER UPDATE ON {s}.audit_events REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {s}.count_audit_events();
            CREATE TRIGGER audit_events_counted_delete AFTER DELETE ON {s}.audit_events REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {s}.count_audit_events();
            CREATE TRIGGER outbox_counted_insert AFTER INSERT ON {s}.outbox REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {s}.count_outbox();
            CREATE TRIGGER outbox_counted_update AFTER UPDATE ON {s}.outbox REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION {s}.count_outbox();
            CREATE TRIGGER outbox_counted_delete AFTER DELETE ON {s}.outbox REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION {s}.count_outbox();
            """),
    ];

    public static int LatestVersion => Migrations.Max(m => m.Version);
}
