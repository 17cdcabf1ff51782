using System.Diagnostics;
using System.Globalization;
using AspireTickets.Domain.Diagnostics;
using AspireTickets.Domain.Events;
using AspireTickets.Domain.Locking;
using AspireTickets.Domain.Sla;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Tickets;
using AspireTickets.Infrastructure.Caching;
using AspireTickets.Infrastructure.Notifications;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AspireTickets.Infrastructure.Escalation;

/// <summary>
/// The SLA escalation check: finds open tickets whose due times are past (or near), escalates each through the
/// levels of <see cref="EscalationLadder"/> it has reached and not yet had, records every escalation in the audit
/// trail with a <c>ticket.escalated</c> event (one store transaction, through the outbox), and notifies.
/// Only the replica holding the lock runs it; the per-level record makes a second escalation impossible even so.
/// </summary>
public sealed class EscalationService(
    ITicketStore store,
    IDocumentStore documents,
    IDistributedLock locks,
    NotificationDispatcher notifications,
    IOptionsMonitor<EscalationOptions> options,
    OperationsMetrics metrics,
    TimeProvider time,
    ILogger<EscalationService> logger)
{
    public const string CollectionName = "escalations";
    public const string LockName = "escalation-check";
    public const string Actor = "system:escalation";
    private const int UpdateAttempts = 3;

    private long _completedChecks;

    /// <summary>Checks this instance finished (run or skipped because another held the lock), for health and tests.</summary>
    public long CompletedChecks => Interlocked.Read(ref _completedChecks);

    private IDocumentCollection<EscalationRecord> Records => documents.Collection<EscalationRecord>(CollectionName);

    public async Task<EscalationCheckResult> CheckAsync(CancellationToken cancellationToken = default)
    {
        using var activity = TicketsTelemetry.ActivitySource.StartActivity("escalation.check");
        var settings = options.CurrentValue;
        var ladder = new EscalationLadder { NearWindow = settings.NearWindow, AdminOverdueFraction = settings.AdminOverdueFraction };
        var startedAt = time.GetUtcNow();

        var lease = await locks.TryAcquireAsync(LockName, settings.LeaseDuration, cancellationToken);
        if (lease is null)
        {
            activity?.SetTag("escalation.skipped", "locked");
            Interlocked.Increment(ref _completedChecks);
            return new EscalationCheckResult(false, startedAt, 0, []);
        }

        var made = new List<EscalationRecord>();
        var checkedCount = 0;
        var renewedAt = startedAt;
        try
        {
            var facts = await store.GetFactsAsync(null, null, cancellationToken);
            foreach (var fact in facts)
            {
                var now = time.GetUtcNow();
                if (ladder.LevelAt(fact.Status, fact.CreatedAt, fact.FirstResponseAt, fact.FirstResponseDueAt, fact.ResolutionDueAt, now) == 0)
                {
                    continue;
                }
                checkedCount++;
                made.AddRange(await EscalateAsync(fact.Id, ladder, cancellationToken));

                // Keep the lease while working through a long list; stop if another replica took it over.
                if (time.GetUtcNow() - renewedAt > settings.LeaseDuration / 3)
                {
                    if (!await locks.RenewAsync(lease, settings.LeaseDuration, cancellationToken))
                    {
                        logger.LogWarning("The escalation lock was lost; stopping this check.");
                        break;
                    }
                    renewedAt = time.GetUtcNow();
                }
            }
        }
        finally
        {
            await locks.ReleaseAsync(lease, CancellationToken.None);
        }

        activity?.SetTag("escalation.tickets", checkedCount);
        activity?.SetTag("escalation.count", made.Count);
        Interlocked.Increment(ref _completedChecks);
        return new EscalationCheckResult(true, startedAt, checkedCount, made);
    }

    /// <summary>The escalations recorded for a ticket, lowest level first.</summary>
    public async Task<IReadOnlyList<EscalationRecord>> ListAsync(Guid? ticketId, int limit, CancellationToken cancellationToken = default)
    {
        var records = await Records.ListAsync(ticketId?.ToString("N"), limit, newestFirst: ticketId is null, cancellationToken: cancellationToken);
        return ticketId is null ? records : [.. records.OrderBy(r => r.Level)];
    }

    private async Task<List<EscalationRecord>> EscalateAsync(Guid ticketId, EscalationLadder ladder, CancellationToken ct)
    {
        var made = new List<EscalationRecord>();
        var ticket = await store.GetAsync(ticketId, ct);
        if (ticket is null || ticket.IsArchived)
        {
            return made;
        }
        var reached = ladder.LevelAt(ticket, time.GetUtcNow());
        for (var level = 1; level <= reached; level++)
        {
            var record = await TryEscalateAsync(ticket, level, ct);
            if (record is null)
            {
                continue;
            }
            made.Add(record);
            // The stored ticket moved on (version, priority); continue from it.
            ticket = await store.GetAsync(ticketId, ct) ?? ticket;
        }
        return made;
    }

    private async Task<EscalationRecord?> TryEscalateAsync(Ticket ticket, int level, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var (reason, due) = Describe(ticket, level, now);
        var previous = ticket.Priority;
        var record = new EscalationRecord
        {
            TicketId = ticket.Id,
            Title = ticket.Title,
            Level = level,
            Audience = EscalationLadder.AudienceOf(level),
            Reason = reason,
            DueAt = due,
            PreviousPriority = previous,
            Priority = level == 2 ? EscalationLadder.Raise(previous) : previous,
            At = now,
        };
        var id = EscalationRecord.IdFor(ticket.Id, level);
        if (!await Records.TryInsertAsync(new StoredDocument<EscalationRecord>(id, record, now, ticket.Id.ToString("N")), ct))
        {
            return null;
        }

        var check = Activity.Current;
        using var activity = StartEscalateActivity(ticket, check);
        activity?.SetTag("ticket.id", ticket.Id);
        activity?.SetTag("escalation.level", level);
        try
        {
            if (!await WriteAsync(ticket, record, ct))
            {
                // Resolved (or archived) between the check and the write: nothing to escalate any more.
                await Records.DeleteAsync(id, CancellationToken.None);
                return null;
            }
        }
        catch
        {
            // Without the ticket write the escalation did not happen; let a later check make it.
            await Records.DeleteAsync(id, CancellationToken.None);
            throw;
        }

        metrics.Escalated(level);
        logger.LogInformation("Ticket {TicketId} escalated to level {Level}: {Reason}", ticket.Id, level, reason);
        var deliveries = await notifications.NotifyAsync(new EscalationNotification
        {
            TicketId = ticket.Id,
            Title = ticket.Title,
            Level = level,
            Audience = record.Audience,
            Priority = record.Priority,
            PreviousPriority = previous,
            Assignee = ticket.Assignee,
            Reason = reason,
            DueAt = due,
            OccurredAt = now,
        }, ct);
        record = record with { Notifications = deliveries.Count };
        await Records.UpsertAsync(new StoredDocument<EscalationRecord>(id, record, now, ticket.Id.ToString("N")), ct);
        return record;
    }

    /// <summary>
    /// The escalation of one ticket belongs to that ticket's trace, not to the timer's: the check runs in a root
    /// activity of its own, so the escalation (and the notifications and the <c>ticket.escalated</c> event under it)
    /// takes the ticket's stored origin as parent and links back to the check that found it. A ticket without an
    /// origin (created outside any trace) stays under the check.
    /// </summary>
    private static Activity? StartEscalateActivity(Ticket ticket, Activity? check)
    {
        if (ticket.Origin?.TryGetContext(out var origin) != true)
        {
            return TicketsTelemetry.ActivitySource.StartActivity("escalation.escalate");
        }
        ActivityLink[]? links = check is null ? null : [new ActivityLink(check.Context)];
        return TicketsTelemetry.ActivitySource.StartActivity("escalation.escalate", ActivityKind.Internal, origin, links: links);
    }

    /// <summary>Audit entry, priority raise and event in one store write; false when the ticket is no longer open.</summary>
    private async Task<bool> WriteAsync(Ticket ticket, EscalationRecord record, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (!TicketLifecycle.IsOpen(ticket.Status) || ticket.IsArchived)
            {
                return false;
            }
            var readVersion = ticket.Version;
            var editor = new TicketEditor(ticket, Actor, record.At, record.Reason);
            editor.Record("escalation", record.Level == 1 ? null : (record.Level - 1).ToString(CultureInfo.InvariantCulture), record.Level.ToString(CultureInfo.InvariantCulture));
            if (record.Level == 2)
            {
                // Deliberately not SlaCalculator.FollowChangesAsync: the raise must not shorten the clock. The ticket
                // is already past its resolution due time, so recomputing under the higher priority's shorter targets
                // would only move the due times further into the past and push it straight on to level 3 at the
                // next check; the ladder measures lateness against the promise made when it was filed. (Each level
                // is still escalated once: the per-level record above decides that, not the due times.) A person's
                // or triage's later change of priority or category does recompute, from the priority then current.
                editor.SetPriority(EscalationLadder.Raise(ticket.Priority));
            }
            var escalated = TicketEvent.Create(ticket.Id, record.At, new TicketEscalated(
                record.Level, record.Audience, record.Reason, record.DueAt, ticket.Priority, record.PreviousPriority));
            try
            {
                await store.UpdateAsync(ticket, readVersion, new TicketChanges(editor.Audit, [escalated]), ct);
                return true;
            }
            catch (ConcurrencyConflictException) when (attempt < UpdateAttempts)
            {
                ticket = await store.GetAsync(ticket.Id, ct) ?? throw new TicketNotFoundException(ticket.Id);
            }
        }
    }

    private static (string Reason, DateTimeOffset? Due) Describe(Ticket ticket, int level, DateTimeOffset now)
    {
        var (what, due) = level == 1 && ticket.FirstResponseAt is null && ticket.Sla.FirstResponseDueAt is { } response
            && (ticket.Sla.ResolutionDueAt is null || response <= ticket.Sla.ResolutionDueAt)
            ? ("first response", ticket.Sla.FirstResponseDueAt)
            : ("resolution", ticket.Sla.ResolutionDueAt);
        var when = due is { } d ? d.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC" : "?";
        var state = due is { } at && now > at ? "overdue" : "due soon";
        var reason = level switch
        {
            1 => $"SLA {what} {state} (due {when}): assignee and team notified",
            2 => $"SLA resolution {state} (due {when}): lead notified, priority raised",
            _ => $"SLA resolution long overdue (due {when}): admins notified",
        };
        return (reason, due);
    }
}
