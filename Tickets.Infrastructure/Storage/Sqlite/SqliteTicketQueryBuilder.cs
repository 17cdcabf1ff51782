using System.Globalization;
using System.Text;
using AspireTickets.Domain.Storage;

namespace AspireTickets.Infrastructure.Storage.Sqlite;

/// <summary>The SQL of one <see cref="TicketQuery"/>: a count and a page over the same WHERE clause.</summary>
internal sealed record SqliteTicketQuerySql(string Sql, IReadOnlyDictionary<string, object> Parameters);

/// <summary>
/// Renders a <see cref="TicketQuery"/> as SQL. Enum filters are inlined as integer literals (they cannot carry
/// user text, and literals let the planner pick the composite index); everything else is a parameter.
/// </summary>
internal static class SqliteTicketQueryBuilder
{
    public static SqliteTicketQuerySql Build(TicketQuery query)
    {
        TicketQueryPaging.Validate(query);

        var where = new List<string>();
        var parameters = new Dictionary<string, object>();

        where.Add(query switch
        {
            { ArchivedOnly: true } => "t.is_archived = 1",
            { IncludeArchived: true } => "t.is_archived IN (0, 1)",
            _ => "t.is_archived = 0",
        });

        if (query.Statuses.Count > 0)
        {
            where.Add(InList("t.status", query.Statuses.Select(s => (int)s)));
        }
        if (query.Priorities.Count > 0)
        {
            where.Add(InList("t.priority", query.Priorities.Select(p => (int)p)));
        }
        if (!string.IsNullOrEmpty(query.Category))
        {
            where.Add("t.category = @category");
            parameters["@category"] = query.Category;
        }
        if (!string.IsNullOrEmpty(query.Assignee))
        {
            where.Add("t.assignee = @assignee");
            parameters["@assignee"] = query.Assignee;
        }
        if (!string.IsNullOrWhiteSpace(query.Label))
        {
            where.Add("t.seq IN (SELECT l.ticket_seq FROM ticket_labels l WHERE l.label = @label)");
            parameters["@label"] = TicketIndexValues.NormalizeLabel(query.Label);
        }
        if (SqliteFts.MatchExpression(query.Text) is { } match)
        {
            where.Add("t.seq IN (SELECT f.rowid FROM tickets_fts f WHERE tickets_fts MATCH @match)");
            parameters["@match"] = match;
        }
        if (query.CreatedFrom is { } from)
        {
            where.Add("t.created_at >= @createdFrom");
            parameters["@createdFrom"] = from.ToUnixTimeMilliseconds();
        }
        if (query.CreatedTo is { } to)
        {
            where.Add("t.created_at < @createdTo");
            parameters["@createdTo"] = to.ToUnixTimeMilliseconds();
        }

        var direction = query.Descending ? "DESC" : "ASC";
        var sortColumn = query.SortBy switch
        {
            TicketSortField.Created => "t.created_at",
            TicketSortField.Updated => "t.updated_at",
            TicketSortField.Priority => "t.priority",
            TicketSortField.Status => "t.status",
            _ => throw new ArgumentOutOfRangeException(nameof(query), query.SortBy, "Unknown sort field."),
        };

        parameters["@limit"] = query.PageSize;
        parameters["@offset"] = (long)(query.Page - 1) * query.PageSize;

        var whereSql = string.Join(" AND ", where);
        var sql = new StringBuilder()
            .Append("SELECT COUNT(*) FROM tickets t WHERE ").Append(whereSql).Append(";\n")
            .Append("SELECT t.json, t.version FROM tickets t WHERE ").Append(whereSql)
            .Append(" ORDER BY ").Append(sortColumn).Append(' ').Append(direction)
            .Append(", t.id ").Append(direction)
            .Append(" LIMIT @limit OFFSET @offset;")
            .ToString();
        return new SqliteTicketQuerySql(sql, parameters);
    }

    private static string InList(string column, IEnumerable<int> values)
    {
        var distinct = values.Distinct().Order().Select(v => v.ToString(CultureInfo.InvariantCulture)).ToList();
        return distinct.Count == 1 ? $"{column} = {distinct[0]}" : $"{column} IN ({string.Join(", ", distinct)})";
    }
}

/// <summary>FTS5 MATCH expressions built from user text that can never be an FTS syntax error.</summary>
internal static class SqliteFts
{
    /// <summary>Each word as a quoted string (a literal token, never an operator), all required; null when no word remains.</summary>
    public static string? MatchExpression(string? text)
    {
        var words = TextSearchTerms.Words(text);
        if (words.Count == 0)
        {
            return null;
        }
        // Words hold only letters, digits and marks, but doubling quotes keeps this safe if that ever changes.
        return string.Join(" AND ", words.Select(w => "\"" + w.Replace("\"", "\"\"", StringComparison.Ordinal) + "\""));
    }
}
