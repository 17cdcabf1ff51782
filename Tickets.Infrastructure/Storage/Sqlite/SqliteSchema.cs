namespace AspireTickets.Infrastructure.Storage.Sqlite;

/// <summary>
/// The SQLite schema. The ticket itself is one JSON column; the columns beside it exist only to filter, sort
/// and page without parsing JSON. Times are unix milliseconds (UTC) so range filters and sorting compare integers.
/// </summary>
internal static class SqliteSchema
{
    /// <summary>Kept in <c>PRAGMA user_version</c>. 1: first release (three-column FTS, more indexes); 2: current.</summary>
    public const int Version = 2;

    // Every list query filters on is_archived first (archived tickets are hidden by default), then on the filter
    // columns by equality, then sorts: so each index is (is_archived, equality filters…, sort column, id), and a
    // page is read in index order, OFFSET included, without touching the table until the 50 rows are known (the
    // id tiebreak in the key is what makes that possible). Indexes are what bulk inserts pay for, so only the
    // filter/sort combinations the queue uses have one; the others use the nearest index and filter.
    public const string Script = """
        CREATE TABLE IF NOT EXISTS tickets (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            source_key TEXT UNIQUE,
            status INTEGER NOT NULL,
            priority INTEGER NOT NULL,
            category TEXT,
            assignee TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            archived_at INTEGER,
            is_archived INTEGER NOT NULL,
            first_response_at INTEGER,
            resolved_at INTEGER,
            first_response_due_at INTEGER,
            resolution_due_at INTEGER,
            version INTEGER NOT NULL,
            json TEXT NOT NULL
        );
        CREATE INDEX IF NOT EXISTS ix_tickets_created ON tickets (is_archived, created_at, id);
        CREATE INDEX IF NOT EXISTS ix_tickets_updated ON tickets (is_archived, updated_at, id);
        CREATE INDEX IF NOT EXISTS ix_tickets_status ON tickets (is_archived, status, created_at, id);
        CREATE INDEX IF NOT EXISTS ix_tickets_status_priority ON tickets (is_archived, status, priority, created_at, id);
        CREATE INDEX IF NOT EXISTS ix_tickets_category ON tickets (is_archived, category, created_at, id);
        CREATE INDEX IF NOT EXISTS ix_tickets_assignee ON tickets (is_archived, assignee, created_at, id);
        -- Sorting by priority or status alone.
        CREATE INDEX IF NOT EXISTS ix_tickets_priority_id ON tickets (is_archived, priority, id);
        CREATE INDEX IF NOT EXISTS ix_tickets_status_id ON tickets (is_archived, status, id);

        CREATE TABLE IF NOT EXISTS ticket_labels (
            label TEXT NOT NULL,
            ticket_seq INTEGER NOT NULL,
            PRIMARY KEY (label, ticket_seq)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS ix_ticket_labels_ticket ON ticket_labels (ticket_seq);

        -- One column (title, description and comments are searched alike) and no column sizes (nothing is ranked):
        -- the least an insert has to write.
        CREATE VIRTUAL TABLE IF NOT EXISTS tickets_fts USING fts5 (
            text,
            columnsize = 0,
            tokenize = 'unicode61 remove_diacritics 2'
        );

        CREATE TABLE IF NOT EXISTS audit (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            ticket_id TEXT NOT NULL,
            at INTEGER NOT NULL,
            actor TEXT NOT NULL,
            field TEXT NOT NULL,
            old_value TEXT,
            new_value TEXT,
            reason TEXT
        );
        CREATE INDEX IF NOT EXISTS ix_audit_ticket ON audit (ticket_id, seq);

        CREATE TABLE IF NOT EXISTS outbox (
            seq INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            ticket_id TEXT NOT NULL,
            type TEXT NOT NULL,
            occurred_at INTEGER NOT NULL,
            json TEXT NOT NULL,
            published_at INTEGER
        );
        CREATE INDEX IF NOT EXISTS ix_outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;

        PRAGMA user_version = 2;
        """;

    /// <summary>
    /// From version 1: indexes whose names now mean other columns, or that are gone, are dropped, and the search
    /// table is rebuilt in its one-column form from the stored tickets. Runs before <see cref="Script"/>, which then
    /// creates what is missing; the whole upgrade is one transaction.
    /// </summary>
    public const string DropVersion1 = """
        DROP INDEX IF EXISTS ix_tickets_priority;
        DROP INDEX IF EXISTS ix_tickets_status;
        DROP INDEX IF EXISTS ix_tickets_status_created;
        DROP INDEX IF EXISTS ix_tickets_status_updated;
        DROP INDEX IF EXISTS ix_tickets_status_priority_created;
        DROP INDEX IF EXISTS ix_tickets_priority_created;
        DROP INDEX IF EXISTS ix_tickets_category_created;
        DROP INDEX IF EXISTS ix_tickets_assignee_created;
        DROP TABLE IF EXISTS tickets_fts;
        """;

    /// <summary>Fills the search table from the tickets' JSON, the same text <c>TicketIndexValues.SearchText</c> gives.</summary>
    public const string RebuildSearch = """
        INSERT INTO tickets_fts (rowid, text)
        SELECT t.seq,
               coalesce(json_extract(t.json, '$.title'), '') || char(10) || coalesce(json_extract(t.json, '$.description'), '')
               || coalesce((SELECT char(10) || group_concat(json_extract(c.value, '$.text'), char(10)) FROM json_each(t.json, '$.comments') c), '')
        FROM tickets t;
        """;
}
