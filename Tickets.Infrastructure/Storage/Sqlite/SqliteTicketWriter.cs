using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Tickets;
using Microsoft.Data.Sqlite;

namespace AspireTickets.Infrastructure.Storage.Sqlite;

/// <summary>
/// The prepared statements of one write transaction. A bulk load reuses them for every ticket of a batch,
/// which is what makes thousands of tickets per second possible; a single write uses them once.
/// </summary>
internal sealed class SqliteTicketWriter : IDisposable
{
    private const string TicketColumns =
        "status, priority, category, assignee, created_at, updated_at, archived_at, is_archived, " +
        "first_response_at, resolved_at, first_response_due_at, resolution_due_at";

    private readonly SqliteCommand _insertTicket;
    private readonly SqliteCommand _updateTicket;
    private readonly SqliteCommand _findBySourceKey;
    private readonly SqliteCommand _exists;
    private readonly SqliteCommand _deleteText;
    private readonly SqliteCommand _insertText;
    private readonly SqliteCommand _deleteLabels;
    private readonly SqliteCommand _insertLabel;
    private readonly SqliteCommand _insertAudit;
    private readonly SqliteCommand _insertOutbox;
    private readonly List<SqliteCommand> _all = [];

    public SqliteTicketWriter(SqliteConnection connection, SqliteTransaction transaction)
    {
        SqliteCommand Command(string sql, params string[] parameters)
        {
            var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql;
            foreach (var name in parameters)
            {
                command.Parameters.Add(new SqliteParameter(name, null));
            }
            _all.Add(command);
            return command;
        }

        string[] ticketParameters = ["@status", "@priority", "@category", "@assignee", "@created_at", "@updated_at", "@archived_at", "@is_archived",
            "@first_response_at", "@resolved_at", "@first_response_due_at", "@resolution_due_at"];

        // DO NOTHING on a source-key conflict: re-delivery of an item returns no row, and the caller reads the
        // ticket that won. A conflict on id is a real error and still throws.
        _insertTicket = Command(
            $"INSERT INTO tickets (id, source_key, version, json, {TicketColumns}) " +
            $"VALUES (@id, @source_key, @version, @json, {string.Join(", ", ticketParameters)}) " +
            "ON CONFLICT (source_key) DO NOTHING RETURNING seq;",
            ["@id", "@source_key", "@version", "@json", .. ticketParameters]);
        _updateTicket = Command(
            $"UPDATE tickets SET ({TicketColumns}, json, version) = ({string.Join(", ", ticketParameters)}, @json, version + 1) " +
            "WHERE id = @id AND version = @expected RETURNING seq;",
            ["@id", "@expected", "@json", .. ticketParameters]);
        _findBySourceKey = Command("SELECT json, version FROM tickets WHERE source_key = @source_key;", "@source_key");
        _exists = Command("SELECT 1 FROM tickets WHERE id = @id;", "@id");
        _deleteText = Command("DELETE FROM tickets_fts WHERE rowid = @seq;", "@seq");
        _insertText = Command("INSERT INTO tickets_fts (rowid, text) VALUES (@seq, @text);", "@seq", "@text");
        _deleteLabels = Command("DELETE FROM ticket_labels WHERE ticket_seq = @seq;", "@seq");
        _insertLabel = Command("INSERT OR IGNORE INTO ticket_labels (label, ticket_seq) VALUES (@label, @seq);", "@label", "@seq");
        _insertAudit = Command(
            "INSERT INTO audit (id, ticket_id, at, actor, field, old_value, new_value, reason) " +
            "VALUES (@id, @ticket_id, @at, @actor, @field, @old_value, @new_value, @reason);",
            "@id", "@ticket_id", "@at", "@actor", "@field", "@old_value", "@new_value", "@reason");
        _insertOutbox = Command(
            "INSERT INTO outbox (id, ticket_id, type, occurred_at, json) VALUES (@id, @ticket_id, @type, @occurred_at, @json);",
            "@id", "@ticket_id", "@type", "@occurred_at", "@json");
    }

    /// <summary>Inserts the ticket at version 1; returns false (and stores nothing) when its source key exists.</summary>
    public bool TryInsert(Ticket ticket)
    {
        var previousVersion = ticket.Version;
        ticket.Version = 1;
        var command = _insertTicket;
        Set(command, "@id", Id(ticket.Id));
        Set(command, "@source_key", TicketIndexValues.SourceKey(ticket));
        Set(command, "@version", 1L);
        Set(command, "@json", TicketJson.Serialize(ticket));
        SetColumns(command, ticket);

        if (command.ExecuteScalar() is not long seq)
        {
            ticket.Version = previousVersion;
            return false;
        }
        WriteIndexes(seq, ticket, replace: false);
        return true;
    }

    /// <summary>Writes the ticket if its version is still <paramref name="expectedVersion"/>, then sets its new version.</summary>
    public void Update(Ticket ticket, long expectedVersion)
    {
        var previousVersion = ticket.Version;
        ticket.Version = expectedVersion + 1;
        var command = _updateTicket;
        Set(command, "@id", Id(ticket.Id));
        Set(command, "@expected", expectedVersion);
        Set(command, "@json", TicketJson.Serialize(ticket));
        SetColumns(command, ticket);

        if (command.ExecuteScalar() is not long seq)
        {
            ticket.Version = previousVersion;
            Set(_exists, "@id", Id(ticket.Id));
            if (_exists.ExecuteScalar() is null)
            {
                throw new TicketNotFoundException(ticket.Id);
            }
            throw new ConcurrencyConflictException(ticket.Id, expectedVersion);
        }
        WriteIndexes(seq, ticket, replace: true);
    }

    public Ticket? FindBySourceKey(string sourceKey)
    {
        Set(_findBySourceKey, "@source_key", sourceKey);
        using var reader = _findBySourceKey.ExecuteReader();
        return reader.Read() ? TicketJson.DeserializeTicket(reader.GetString(0), reader.GetInt64(1)) : null;
    }

    public void WriteChanges(TicketChanges changes)
    {
        foreach (var entry in changes.Audit)
        {
            var command = _insertAudit;
            Set(command, "@id", Id(entry.Id));
            Set(command, "@ticket_id", Id(entry.TicketId));
            Set(command, "@at", entry.At.ToUnixTimeMilliseconds());
            Set(command, "@actor", entry.Actor);
            Set(command, "@field", entry.Field);
            Set(command, "@old_value", entry.OldValue);
            Set(command, "@new_value", entry.NewValue);
            Set(command, "@reason", entry.Reason);
            command.ExecuteNonQuery();
        }
        foreach (var ticketEvent in changes.Events)
        {
            var command = _insertOutbox;
            Set(command, "@id", Id(ticketEvent.Id));
            Set(command, "@ticket_id", Id(ticketEvent.TicketId));
            Set(command, "@type", ticketEvent.Type);
            Set(command, "@occurred_at", ticketEvent.OccurredAt.ToUnixTimeMilliseconds());
            Set(command, "@json", TicketJson.Serialize(ticketEvent));
            command.ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        foreach (var command in _all)
        {
            command.Dispose();
        }
    }

    internal static string Id(Guid id) => id.ToString("D");

    private void WriteIndexes(long seq, Ticket ticket, bool replace)
    {
        if (replace)
        {
            Set(_deleteText, "@seq", seq);
            _deleteText.ExecuteNonQuery();
            Set(_deleteLabels, "@seq", seq);
            _deleteLabels.ExecuteNonQuery();
        }

        Set(_insertText, "@seq", seq);
        Set(_insertText, "@text", TicketIndexValues.SearchText(ticket));
        _insertText.ExecuteNonQuery();

        foreach (var label in TicketIndexValues.Labels(ticket))
        {
            Set(_insertLabel, "@label", label);
            Set(_insertLabel, "@seq", seq);
            _insertLabel.ExecuteNonQuery();
        }
    }

    private static void SetColumns(SqliteCommand command, Ticket ticket)
    {
        Set(command, "@status", (int)ticket.Status);
        Set(command, "@priority", (int)ticket.Priority);
        Set(command, "@category", ticket.Category);
        Set(command, "@assignee", ticket.Assignee);
        Set(command, "@created_at", ticket.CreatedAt.ToUnixTimeMilliseconds());
        Set(command, "@updated_at", ticket.UpdatedAt.ToUnixTimeMilliseconds());
        Set(command, "@archived_at", ticket.ArchivedAt?.ToUnixTimeMilliseconds());
        Set(command, "@is_archived", ticket.ArchivedAt is null ? 0 : 1);
        Set(command, "@first_response_at", ticket.FirstResponseAt?.ToUnixTimeMilliseconds());
        Set(command, "@resolved_at", ticket.ResolvedAt?.ToUnixTimeMilliseconds());
        Set(command, "@first_response_due_at", ticket.Sla.FirstResponseDueAt?.ToUnixTimeMilliseconds());
        Set(command, "@resolution_due_at", ticket.Sla.ResolutionDueAt?.ToUnixTimeMilliseconds());
    }

    private static void Set(SqliteCommand command, string name, object? value) =>
        command.Parameters[name].Value = value ?? DBNull.Value;
}
