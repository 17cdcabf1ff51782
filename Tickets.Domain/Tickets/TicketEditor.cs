using System.Globalization;

namespace AspireTickets.Domain.Tickets;

/// <summary>
/// Applies changes to a ticket on behalf of an actor, enforcing the lifecycle and recording one
/// audit entry per field that really changed. Every writer (Api, ingestion, agents, escalation) uses it,
/// so the audit trail is complete whatever changed the ticket.
/// </summary>
public sealed class TicketEditor(Ticket ticket, string actor, DateTimeOffset now, string? reason = null)
{
    private readonly List<AuditEntry> _audit = [];

    public Ticket Ticket => ticket;
    public IReadOnlyList<AuditEntry> Audit => _audit;
    public bool HasChanges => _audit.Count > 0;

    /// <summary>The fields changed so far, once each, in the order they first changed: what an update event reports.</summary>
    public IReadOnlyList<string> ChangedFields => [.. _audit.Select(a => a.Field).Distinct()];

    public TicketEditor SetTitle(string title) => Set("title", ticket.Title, title, v => ticket.Title = v ?? "");

    public TicketEditor SetDescription(string description) => Set("description", ticket.Description, description, v => ticket.Description = v ?? "");

    public TicketEditor SetOrganization(string? organization) => Set("organization", ticket.Organization, organization, v => ticket.Organization = v);

    public TicketEditor SetAssignee(string? assignee) => Set("assignee", ticket.Assignee, assignee, v => ticket.Assignee = v);

    /// <summary>
    /// Moves the ticket to a category of the taxonomy. A category the taxonomy has dropped since stays on the tickets
    /// filed under it (their history is not rewritten), so sending that current value back, as a full edit does, is no
    /// change and not refused; only moving a ticket to a category the taxonomy does not have is.
    /// </summary>
    public TicketEditor SetCategory(string? category, Taxonomy.TicketTaxonomy taxonomy)
    {
        ArgumentNullException.ThrowIfNull(taxonomy);
        var unchanged = category is not null && string.Equals(category, ticket.Category, StringComparison.OrdinalIgnoreCase);
        if (category is not null && !unchanged && !taxonomy.IsKnownCategory(category))
        {
            throw new TicketRuleException("category", $"'{category}' is not a category of the configured taxonomy.");
        }
        return Set("category", ticket.Category, category, v => ticket.Category = v);
    }

    public TicketEditor SetPriority(TicketPriority priority) =>
        Set("priority", ticket.Priority.ToString(), priority.ToString(), _ => ticket.Priority = priority);

    public TicketEditor SetReporter(Person? reporter) =>
        Set("reporter", Format(ticket.Reporter), Format(reporter), _ => ticket.Reporter = reporter);

    public TicketEditor SetLabels(IEnumerable<string> labels)
    {
        var normalized = labels.Select(l => l.Trim()).Where(l => l.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return Set("labels", string.Join(", ", ticket.Labels), string.Join(", ", normalized), _ => ticket.Labels = normalized);
    }

    public TicketEditor SetStatus(TicketStatus status)
    {
        if (status == ticket.Status)
        {
            return this;
        }
        if (!TicketLifecycle.CanMove(ticket.Status, status))
        {
            throw new TicketRuleException("status", $"A ticket cannot move from {ticket.Status} to {status}.");
        }

        var old = ticket.Status;
        ticket.Status = status;
        Record("status", old.ToString(), status.ToString());

        if (status == TicketStatus.Resolved)
        {
            SetTime("resolvedAt", ticket.ResolvedAt, now, v => ticket.ResolvedAt = v);
        }
        else if (status is TicketStatus.Closed or TicketStatus.Duplicate)
        {
            SetTime("closedAt", ticket.ClosedAt, now, v => ticket.ClosedAt = v);
        }
        else if (TicketLifecycle.IsOpen(status) && !TicketLifecycle.IsOpen(old))
        {
            // Reopened: the resolution no longer stands and the clocks run again.
            SetTime("resolvedAt", ticket.ResolvedAt, null, v => ticket.ResolvedAt = v);
            SetTime("closedAt", ticket.ClosedAt, null, v => ticket.ClosedAt = v);
        }
        return this;
    }

    public TicketEditor MarkDuplicateOf(Guid originalId)
    {
        LinkDuplicateOf(originalId);
        return SetStatus(TicketStatus.Duplicate);
    }

    /// <summary>Links the original without closing this ticket: a person decides whether it really is the same.</summary>
    public TicketEditor LinkDuplicateOf(Guid originalId) =>
        Set("duplicateOf", ticket.DuplicateOf?.ToString(), originalId.ToString(), _ => ticket.DuplicateOf = originalId);

    public TicketEditor AddComment(TicketComment comment)
    {
        comment.CreatedAt = comment.CreatedAt == default ? now : comment.CreatedAt;
        ticket.Comments.Add(comment);
        Record("comments", null, $"{(comment.IsPublic ? "public" : "internal")} comment by {comment.Author}");

        // The first public answer by someone other than the reporter is the first response the SLA measures.
        if (comment.IsPublic && ticket.FirstResponseAt is null && !IsReporter(comment.Author))
        {
            SetTime("firstResponseAt", null, comment.CreatedAt, v => ticket.FirstResponseAt = v);
        }
        return this;
    }

    public TicketEditor SetAnalysis(TicketAnalysis analysis)
    {
        ticket.Analysis = analysis;
        Record("analysis", null, $"category={analysis.Category}, priority={analysis.Priority}, confidence={analysis.Confidence.ToString("0.00", CultureInfo.InvariantCulture)}");
        return this;
    }

    public TicketEditor SetSlaDueTimes(DateTimeOffset? firstResponseDue, DateTimeOffset? resolutionDue)
    {
        SetTime("sla.firstResponseDueAt", ticket.Sla.FirstResponseDueAt, firstResponseDue, v => ticket.Sla.FirstResponseDueAt = v);
        SetTime("sla.resolutionDueAt", ticket.Sla.ResolutionDueAt, resolutionDue, v => ticket.Sla.ResolutionDueAt = v);
        return this;
    }

    public TicketEditor Archive()
    {
        if (ticket.ArchivedAt is null)
        {
            SetTime("archivedAt", null, now, v => ticket.ArchivedAt = v);
        }
        return this;
    }

    public TicketEditor Restore()
    {
        if (ticket.ArchivedAt is not null)
        {
            SetTime("archivedAt", ticket.ArchivedAt, null, v => ticket.ArchivedAt = v);
        }
        return this;
    }

    /// <summary>Records a change made outside the typed setters (for example a suggestion review).</summary>
    public TicketEditor Record(string field, string? oldValue, string? newValue)
    {
        _audit.Add(new AuditEntry
        {
            TicketId = ticket.Id,
            At = now,
            Actor = actor,
            Field = field,
            OldValue = oldValue,
            NewValue = newValue,
            Reason = reason,
        });
        ticket.UpdatedAt = now;
        return this;
    }

    private TicketEditor Set(string field, string? oldValue, string? newValue, Action<string?> apply)
    {
        if (!string.Equals(oldValue ?? "", newValue ?? "", StringComparison.Ordinal))
        {
            apply(newValue);
            Record(field, oldValue, newValue);
        }
        return this;
    }

    private void SetTime(string field, DateTimeOffset? oldValue, DateTimeOffset? newValue, Action<DateTimeOffset?> apply)
    {
        if (oldValue != newValue)
        {
            apply(newValue);
            Record(field, oldValue?.ToString("O", CultureInfo.InvariantCulture), newValue?.ToString("O", CultureInfo.InvariantCulture));
        }
    }

    private bool IsReporter(string author) =>
        ticket.Reporter is { } r &&
        (string.Equals(r.Email, author, StringComparison.OrdinalIgnoreCase) || string.Equals(r.Name, author, StringComparison.OrdinalIgnoreCase));

    private static string? Format(Person? p) => p is null ? null : $"{p.Name} <{p.Email}>";
}
