using System.Globalization;
using AspireTickets.Api.Model;
using AspireTickets.Domain.Sla;
using AspireTickets.Domain.Tickets;
using AspireTickets.Infrastructure.Notifications;

namespace AspireTickets.Web.Services;

/// <summary>Working-time targets as people type and read them: <c>04:00</c> (hh:mm) or <c>2.04:00</c> (d.hh:mm).</summary>
public static class WorkingTime
{
    public const string Hint = "Working time as hh:mm or d.hh:mm (04:00, 3.00:00)";

    /// <summary>Null when the text is not a positive duration; a bare number is refused because it would mean days.</summary>
    public static TimeSpan? Parse(string? text) =>
        text?.Trim() is { Length: > 0 } t && t.Contains(':', StringComparison.Ordinal)
            && TimeSpan.TryParse(t, CultureInfo.InvariantCulture, out var value) && value > TimeSpan.Zero
            ? value
            : null;

    public static string Edit(TimeSpan value) =>
        value.ToString(value.Days > 0 ? @"d\.hh\:mm" : @"hh\:mm", CultureInfo.InvariantCulture);

    /// <summary>For tables: 15 min, 4 h, 3 d, 1 d 4 h.</summary>
    public static string Show(TimeSpan value)
    {
        var parts = new List<string>();
        if (value.Days > 0) { parts.Add($"{value.Days} d"); }
        if (value.Hours > 0) { parts.Add($"{value.Hours} h"); }
        if (value.Minutes > 0 || parts.Count == 0) { parts.Add($"{value.Minutes} min"); }
        return string.Join(" ", parts);
    }
}

/// <summary>The SLA policy form: what people type, turned into the Api's request (or local errors for what does not parse).</summary>
public sealed class SlaPolicyForm
{
    /// <summary>The id being edited; null for a new policy.</summary>
    public string? Id { get; set; }
    public TicketPriority Priority { get; set; } = TicketPriority.Medium;
    public string? Category { get; set; }
    public string? FirstResponse { get; set; } = "04:00";
    public string? Resolution { get; set; } = "3.00:00";
    public bool BusinessHours { get; set; }
    public string? TimeZone { get; set; } = "UTC";
    public HashSet<DayOfWeek> WorkingDays { get; } = [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];
    public string? WorkdayStart { get; set; } = "09:00";
    public string? WorkdayEnd { get; set; } = "17:00";

    /// <summary>Local dates as yyyy-MM-dd, separated by commas, spaces or new lines.</summary>
    public string? Holidays { get; set; }

    public bool IsNew => Id is null;

    public static SlaPolicyForm For(SlaPolicyView policy)
    {
        var form = new SlaPolicyForm
        {
            Id = policy.Id,
            Priority = policy.Priority,
            Category = policy.Category,
            FirstResponse = WorkingTime.Edit(policy.FirstResponse),
            Resolution = WorkingTime.Edit(policy.Resolution),
            BusinessHours = policy.Calendar is not null,
        };
        if (policy.Calendar is { } calendar)
        {
            form.TimeZone = calendar.TimeZone;
            form.WorkingDays.Clear();
            form.WorkingDays.UnionWith(calendar.WorkingDays);
            form.WorkdayStart = calendar.WorkdayStart.ToString("HH:mm", CultureInfo.InvariantCulture);
            form.WorkdayEnd = calendar.WorkdayEnd.ToString("HH:mm", CultureInfo.InvariantCulture);
            form.Holidays = string.Join(", ", calendar.Holidays.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }
        return form;
    }

    /// <summary>The request, or null with the fields that did not parse in <paramref name="errors"/> (named as the Api names them).</summary>
    public SlaPolicyRequest? ToRequest(FieldErrors errors)
    {
        var firstResponse = WorkingTime.Parse(FirstResponse);
        var resolution = WorkingTime.Parse(Resolution);
        if (firstResponse is null)
        {
            errors.Add("firstResponse", WorkingTime.Hint + ", more than zero.");
        }
        if (resolution is null)
        {
            errors.Add("resolution", WorkingTime.Hint + ", more than zero.");
        }
        var holidays = new List<DateOnly>();
        if (BusinessHours)
        {
            foreach (var text in (Holidays ?? "").Split([',', ' ', ';', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
                {
                    holidays.Add(day);
                }
                else
                {
                    errors.Add("calendar.holidays", $"'{text}' is not a date of the form yyyy-MM-dd.");
                }
            }
        }
        if (errors.Any)
        {
            return null;
        }
        var calendar = BusinessHours
            ? new BusinessCalendarRequest(TimeZone, [.. WorkingDays.Order()], WorkdayStart, WorkdayEnd, holidays)
            : null;
        return new SlaPolicyRequest(Priority, string.IsNullOrWhiteSpace(Category) ? null : Category, firstResponse, resolution, calendar);
    }

    /// <summary>A line for the table: "Europe/Berlin, Mon–Fri 09:00–17:00, 2 holidays".</summary>
    public static string Describe(BusinessCalendar? calendar)
    {
        if (calendar is null)
        {
            return "around the clock";
        }
        var days = string.Join(" ", calendar.WorkingDays.Select(d => d.ToString()[..3]));
        var holidays = calendar.Holidays.Count switch { 0 => "", 1 => ", 1 holiday", var n => $", {n} holidays" };
        return string.Create(CultureInfo.InvariantCulture, $"{calendar.TimeZone}, {days} {calendar.WorkdayStart:HH\\:mm}–{calendar.WorkdayEnd:HH\\:mm}{holidays}");
    }
}

/// <summary>
/// The notification channel form. The secret (and a Slack URL, which is one) starts empty when editing and is sent
/// only when typed: the Api keeps the stored one otherwise and never returns it.
/// </summary>
public sealed class NotificationChannelForm
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public NotificationChannelKind Kind { get; set; } = NotificationChannelKind.Webhook;
    public string? Url { get; set; }
    public string? Secret { get; set; }
    public bool HasSecret { get; private set; }

    /// <summary>Addresses separated by commas, spaces or new lines.</summary>
    public string? Recipients { get; set; }
    public HashSet<int> Levels { get; } = [1, 2, 3];
    public bool Enabled { get; set; } = true;

    public bool IsNew => Id is null;

    /// <summary>True when editing a Slack channel, whose stored URL is hidden and kept unless a new one is typed.</summary>
    public bool KeepsHiddenUrl => !IsNew && Kind == NotificationChannelKind.Slack && _storedKind == NotificationChannelKind.Slack;

    private NotificationChannelKind? _storedKind;

    public static NotificationChannelForm For(NotificationChannelView channel) => new NotificationChannelForm
    {
        Id = channel.Id,
        Name = channel.Name,
        Kind = channel.Kind,
        _storedKind = channel.Kind,
        Url = channel.Kind == NotificationChannelKind.Slack ? null : channel.Url,
        HasSecret = channel.HasSecret,
        Recipients = string.Join(", ", channel.Recipients),
        Enabled = channel.Enabled,
    }.WithLevels(channel.Levels);

    public NotificationChannelRequest ToRequest() => new(
        Name,
        Kind,
        Kind == NotificationChannelKind.Email || string.IsNullOrWhiteSpace(Url) ? null : Url.Trim(),
        Kind == NotificationChannelKind.Webhook && !string.IsNullOrEmpty(Secret) ? Secret : null,
        Kind == NotificationChannelKind.Email ? [.. (Recipients ?? "").Split([',', ' ', ';', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)] : null,
        [.. Levels.Order()],
        Enabled);

    /// <summary>The same channel switched on or off, keeping its secret and hidden URL.</summary>
    public static NotificationChannelRequest Toggle(NotificationChannelView channel, bool enabled) => For(channel).ToRequest() with { Enabled = enabled };

    private NotificationChannelForm WithLevels(IEnumerable<int> levels)
    {
        Levels.Clear();
        Levels.UnionWith(levels);
        return this;
    }
}
