namespace Aicmo.Sdk.Sqlite;

/// <summary>The schema migrations, applied in order at start-up; each one runs once per database, recorded in <c>aicmo_schema_version</c>.</summary>
/// <remarks>
/// Never edit a released migration: add a new one with the next version. Versions need not be contiguous (a version may be
/// reserved for a change still under way): each migration missing from <c>aicmo_schema_version</c> is applied, in order.
/// </remarks>
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
        (2, "outbox claims with an owner and a lease; candidates rejected at intake", """
            ALTER TABLE aicmo_outbox ADD COLUMN claim_owner TEXT NULL;
            ALTER TABLE aicmo_outbox ADD COLUMN claim_expires_at INTEGER NULL;

            CREATE TABLE aicmo_rejections (
                id          INTEGER NOT NULL PRIMARY KEY,
                run_id      TEXT    NOT NULL,
                campaign_id TEXT    NOT NULL,
                source      TEXT    NOT NULL,
                position    TEXT    NULL,
                external_id TEXT    NULL,
                reason      TEXT    NOT NULL,
                at          INTEGER NOT NULL
            );
            CREATE INDEX ix_aicmo_rejections_run ON aicmo_rejections (run_id, id);
            """),
        (3, "scheduler: schedules, job leases, job results", """
            CREATE TABLE aicmo_job_schedules (
                id          TEXT    NOT NULL PRIMARY KEY,
                campaign_id TEXT    NOT NULL,
                version     INTEGER NOT NULL,
                data        TEXT    NOT NULL
            );
            CREATE INDEX ix_aicmo_job_schedules_campaign ON aicmo_job_schedules (campaign_id, id);

            CREATE TABLE aicmo_job_leases (
                campaign_id TEXT    NOT NULL,
                job_kind    TEXT    NOT NULL,
                owner       TEXT    NOT NULL,
                token       INTEGER NOT NULL,
                expires_at  INTEGER NOT NULL,
                run_id      TEXT    NULL,
                released    INTEGER NOT NULL,
                PRIMARY KEY (campaign_id, job_kind)
            );

            CREATE TABLE aicmo_job_results (
                id           TEXT    NOT NULL PRIMARY KEY,
                campaign_id  TEXT    NOT NULL,
                schedule_id  TEXT    NULL,
                scheduled_at INTEGER NOT NULL,
                attempt      INTEGER NOT NULL,
                completed_at INTEGER NOT NULL,
                data         TEXT    NOT NULL
            );
            CREATE INDEX ix_aicmo_job_results_campaign ON aicmo_job_results (campaign_id, scheduled_at, attempt);
            CREATE INDEX ix_aicmo_job_results_schedule ON aicmo_job_results (campaign_id, schedule_id, scheduled_at, attempt);
            CREATE INDEX ix_aicmo_job_results_completed ON aicmo_job_results (completed_at);
            """),
        (4, "campaign version and document (description, targets, settings)", """
            ALTER TABLE aicmo_campaigns ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE aicmo_campaigns ADD COLUMN data TEXT NULL;
            """),
        (5, "leads of a run in id order; unique audit sequence per lead", """
            CREATE INDEX ix_aicmo_leads_run_id ON aicmo_leads (run_id, id);

            -- A lead's trail holds one event per sequence. Copies left by runs that repeated a lead's step keep the last one written.
            DELETE FROM aicmo_audit_events
            WHERE id NOT IN (SELECT MAX(id) FROM aicmo_audit_events GROUP BY lead_id, sequence);
            CREATE UNIQUE INDEX ux_aicmo_audit_events_lead_sequence ON aicmo_audit_events (lead_id, sequence);
            DROP INDEX IF EXISTS ix_aicmo_audit_events_lead;
            """),
        (6, "scheduler: planned retries", """
            CREATE TABLE aicmo_job_retries (
                id          TEXT    NOT NULL PRIMARY KEY,
                schedule_id TEXT    NOT NULL,
                due_at      INTEGER NOT NULL,
                data        TEXT    NOT NULL
            );
            CREATE INDEX ix_aicmo_job_retries_due ON aicmo_job_retries (due_at, id);
            """),
        (7, "dashboard aggregates: disqualification reasons per campaign, outbox per campaign and state or send time", """
            CREATE INDEX ix_aicmo_audit_events_disqualified ON aicmo_audit_events (campaign_id, reason) WHERE to_status = 'Disqualified';
            CREATE INDEX ix_aicmo_outbox_campaign_status ON aicmo_outbox (campaign_id, status, sent_at);
            """),
        (8, "transport inbox of handled message ids; limit slots shared by the processes on one store", """
            CREATE TABLE aicmo_message_inbox (
                message_id  TEXT    NOT NULL PRIMARY KEY,
                recorded_at INTEGER NOT NULL
            );
            CREATE INDEX ix_aicmo_message_inbox_recorded ON aicmo_message_inbox (recorded_at);

            CREATE TABLE aicmo_limit_slots (
                id       INTEGER NOT NULL PRIMARY KEY,
                scope    TEXT    NOT NULL,
                taken_at INTEGER NOT NULL
            );
            CREATE INDEX ix_aicmo_limit_slots_scope ON aicmo_limit_slots (scope, taken_at);
            CREATE INDEX ix_aicmo_limit_slots_taken ON aicmo_limit_slots (taken_at);
            """),
        (9, "dashboard counters: leads per state and per creation hour, disqualification reasons, outbox per state and per send hour, kept by triggers", """
            -- Kept in the same transaction as every write of the counted rows (the triggers below), so a rolled-back write leaves
            -- them unchanged; the dashboard reads a campaign's counts from a few rows instead of grouping its leads, trail and outbox.
            -- Hours are UTC ticks / 36,000,000,000. A count that falls to zero keeps its row.
            CREATE TABLE aicmo_campaign_counts (
                campaign_id TEXT    NOT NULL,
                counter     TEXT    NOT NULL,
                key         TEXT    NOT NULL,
                n           INTEGER NOT NULL,
                PRIMARY KEY (campaign_id, counter, key)
            ) WITHOUT ROWID;

            CREATE TABLE aicmo_campaign_hourly_counts (
                campaign_id TEXT    NOT NULL,
                counter     TEXT    NOT NULL,
                hour        INTEGER NOT NULL,
                n           INTEGER NOT NULL,
                PRIMARY KEY (campaign_id, counter, hour)
            ) WITHOUT ROWID;

            INSERT INTO aicmo_campaign_counts (campaign_id, counter, key, n)
            SELECT campaign_id, 'lead_status', status, COUNT(*) FROM aicmo_leads GROUP BY campaign_id, status;
            INSERT INTO aicmo_campaign_counts (campaign_id, counter, key, n)
            SELECT campaign_id, 'disqualified', reason, COUNT(*) FROM aicmo_audit_events WHERE to_status = 'Disqualified' GROUP BY campaign_id, reason;
            INSERT INTO aicmo_campaign_counts (campaign_id, counter, key, n)
            SELECT campaign_id, 'outbox_status', status, COUNT(*) FROM aicmo_outbox GROUP BY campaign_id, status;
            INSERT INTO aicmo_campaign_hourly_counts (campaign_id, counter, hour, n)
            SELECT campaign_id, 'lead_created', created_at / 36000000000, COUNT(*) FROM aicmo_leads GROUP BY campaign_id, created_at / 36000000000;
            INSERT INTO aicmo_campaign_hourly_counts (campaign_id, counter, hour, n)
            SELECT campaign_id, 'outbox_sent', sent_at / 36000000000, COUNT(*) FROM aicmo_outbox WHERE sent_at IS NOT NULL
            GROUP BY campaign_id, sent_at / 36000000000;

            CREATE TRIGGER aicmo_leads_counted_insert AFTER INSERT ON aicmo_leads BEGIN
                INSERT INTO aicmo_campaign_counts (campaign_id, counter, key, n) VALUES (NEW.campaign_id, 'lead_status', NEW.status, 1)
                ON CONFLICT DO UPDATE SET n = n + 1;
                INSERT INTO aicmo_campaign_hourly_counts (campaign_id, counter, hour, n) VALUES (NEW.campaign_id, 'lead_created', NEW.created_at / 36000000000, 1)
                ON CONFLICT DO UPDATE SET n = n + 1;
            END;

            -- Two update triggers, so that a change of state (most lead writes) runs only the two statements of its counter.
            CREATE TRIGGER aicmo_leads_counted_update AFTER UPDATE OF campaign_id, status ON aicmo_leads
            WHEN OLD.campaign_id IS NOT NEW.campaign_id OR OLD.status IS NOT NEW.status BEGIN
                UPDATE aicmo_campaign_counts SET n = n - 1 WHERE campaign_id = OLD.campaign_id AND counter = 'lead_status' AND key = OLD.status;
                INSERT INTO aicmo_campaign_counts (campaign_id, counter, key, n) VALUES (NEW.campaign_id, 'lead_status', NEW.status, 1)
                ON CONFLICT DO UPDATE SET n = n + 1;
            END;

            CREATE TRIGGER aicmo_leads_counted_update_created AFTER UPDATE OF campaign_id, created_at ON aicmo_leads
            WHEN OLD.campaign_id IS NOT NEW.campaign_id OR OLD.created_at IS NOT NEW.created_at BEGIN
                UPDATE aicmo_campaign_hourly_counts SET n = n - 1
                WHERE campaign_id = OLD.campaign_id AND counter = 'lead_created' AND hour = OLD.created_at / 36000000000;
                INSERT INTO aicmo_campaign_hourly_counts (campaign_id, counter, hour, n) VALUES (NEW.campaign_id, 'lead_created', NEW.created_at / 36000000000, 1)
                ON CONFLICT DO UPDATE SET n = n + 1;
            END;

            CREATE TRIGGER aicmo_leads_counted_delete AFTER DELETE ON aicmo_leads BEGIN
                UPDATE aicmo_campaign_counts SET n = n - 1 WHERE campaign_id = OLD.campaign_id AND counter = 'lead_status' AND key = OLD.status;
                UPDATE aicmo_campaign_hourly_counts SET n = n - 1
                WHERE campaign_id = OLD.campaign_id AND counter = 'lead_created' AND hour = OLD.created_at / 36000000000;
            END;

            CREATE TRIGGER aicmo_audit_events_counted_insert AFTER INSERT ON aicmo_audit_events WHEN NEW.to_status = 'Disqualified' BEGIN
                INSERT INTO aicmo_campaign_counts (campaign_id, counter, key, n) VALUES (NEW.campaign_id, 'disqualified', NEW.reason, 1)
                ON CONFLICT DO UPDATE SET n = n + 1;
            END;

            CREATE TRIGGER aicmo_audit_events_counted_update AFTER UPDATE OF campaign_id, to_status, reason ON aicmo_audit_events
            WHEN (OLD.to_status = 'Disqualified' OR NEW.to_status = 'Disqualified')
              AND (OLD.campaign_id IS NOT NEW.campaign_id OR OLD.to_status IS NOT NEW.to_status OR OLD.reason IS NOT NEW.reason) BEGIN
                UPDATE aicmo_campaign_counts SET n = n - 1
                WHERE OLD.to_status = 'Disqualified' AND campaign_id = OLD.campaign_id AND counter = 'disqualified' AND key = OLD.reason;
                INSERT INTO aicmo_campaign_counts (campaign_id, counter, key, n)
                SELECT NEW.campaign_id, 'disqualified', NEW.reason, 1 WHERE NEW.to_status = 'Disqualified'
                ON CONFLICT DO UPDATE SET n = n + 1;
            END;

            CREATE TRIGGER aicmo_audit_events_counted_delete AFTER DELETE ON aicmo_audit_events WHEN OLD.to_status = 'Disqualified' BEGIN
                UPDATE aicmo_campaign_counts SET n = n - 1 WHERE campaign_id = OLD.campaign_id AND counter = 'disqualified' AND key = OLD.reason;
            END;

            CREATE TRIGGER aicmo_outbox_counted_insert AFTER INSERT ON aicmo_outbox BEGIN
                INSERT INTO aicmo_campaign_counts (campaign_id, counter, key, n) VALUES (NEW.campaign_id, 'outbox_status', NEW.status, 1)
                ON CONFLICT DO UPDATE SET n = n + 1;
            END;

            CREATE TRIGGER aicmo_outbox_counted_insert_sent AFTER INSERT ON aicmo_outbox WHEN NEW.sent_at IS NOT NULL BEGIN
                INSERT INTO aicmo_campaign_hourly_counts (campaign_id, counter, hour, n) VALUES (NEW.campaign_id, 'outbox_sent', NEW.sent_at / 36000000000, 1)
                ON CONFLICT DO UPDATE SET n = n + 1;
            END;

            CREATE TRIGGER aicmo_outbox_counted_update AFTER UPDATE OF campaign_id, status ON aicmo_outbox
            WHEN OLD.campaign_id IS NOT NEW.campaign_id OR OLD.status IS NOT NEW.status BEGIN
                UPDATE aicmo_campaign_counts SET n = n - 1 WHERE campaign_id = OLD.campaign_id AND counter = 'outbox_status' AND key = OLD.status;
                INSERT INTO aicmo_campaign_counts (campaign_id, counter, key, n) VALUES (NEW.campaign_id, 'outbox_status', NEW.status, 1)
                ON CONFLICT DO UPDATE SET n = n + 1;
            END;

            CREATE TRIGGER aicmo_outbox_counted_update_sent AFTER UPDATE OF campaign_id, sent_at ON aicmo_outbox
            WHEN OLD.campaign_id IS NOT NEW.campaign_id OR OLD.sent_at IS NOT NEW.sent_at BEGIN
                UPDATE aicmo_campaign_hourly_counts SET n = n - 1
                WHERE OLD.sent_at IS NOT NULL AND campaign_id = OLD.campaign_id AND counter = 'outbox_sent' AND hour = OLD.sent_at / 36000000000;
                INSERT INTO aicmo_campaign_hourly_counts (campaign_id, counter, hour, n)
                SELECT NEW.campaign_id, 'outbox_sent', NEW.sent_at / 36000000000, 1 WHERE NEW.sent_at IS NOT NULL
                ON CONFLICT DO UPDATE SET n = n + 1;
            END;

            CREATE TRIGGER aicmo_outbox_counted_delete AFTER DELETE ON aicmo_outbox BEGIN
                UPDATE aicmo_campaign_counts SET n = n - 1 WHERE campaign_id = OLD.campaign_id AND counter = 'outbox_status' AND key = OLD.status;
                UPDATE aicmo_campaign_hourly_counts SET n = n - 1
                WHERE OLD.sent_at IS NOT NULL AND campaign_id = OLD.campaign_id AND counter = 'outbox_sent' AND hour = OLD.sent_at / 36000000000;
            END;
            """),
    ];

    public static int LatestVersion => Migrations.Max(m => m.Version);
}
