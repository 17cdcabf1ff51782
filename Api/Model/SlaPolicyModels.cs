using System.Globalization;
using AspireTickets.Domain.Sla;
using AspireTickets.Domain.Taxonomy;
using AspireTickets.Domain.Tickets;

namespace AspireTickets.Api.Model;

/// <summary>
/// An SLA policy as clients send it. Targets are working time as <c>[d.]hh:mm[:ss]</c> (<c>"00:15:00"</c>,
/// <c>"1.00:00:00"</c>); the calendar is optional (without it the clock runs around the clock).
/// </summary>
public sealed record SlaPolicyRequest(
    TicketPriority? Priority,
    string? Category,
    TimeSpan? FirstResponse,
    TimeSpan? Resolution,
    BusinessCalendarRequest? Calendar = null);

/// <summary>Working hours as local <c>HH:mm</c>; holidays as local dates.</summary>
public sealed record BusinessCalendarRequest(
    string? TimeZone,
    IReadOnlyList<DayOfWeek>? WorkingDays,
    string? WorkdayStart,
    string? WorkdayEnd,
    IReadOnlyList<DateOnly>? Holidays = null);

/// <summary>A policy as the API shows it; <c>isDefault</c> marks a built-in target no stored policy overrides.</summary>
public sealed record SlaPolicyView(
    string Id,
    TicketPriority Priority,
    string? Category,
    TimeSpan FirstResponse,
    TimeSpan Resolution,
    BusinessCalendar? Calendar,
    bool IsDefault)
{
    public static SlaPolicyView From(SlaPolicy policy, bool isDefault) =>
        new(policy.Id, policy.Priority, policy.Category, policy.FirstResponse, policy.Resolution, policy.Calendar, isDefault);
}

public static class SlaPolicyValidation
{
    public static readonly TimeSpan MaxTarget = TimeSpan.FromDays(365);
    public const int MaxHolidays = 1000;

    /// <summary>The policy the request describes, or null with the reasons per field in <paramref name="errors"/>.</summary>
    public static SlaPolicy? ToPolicy(SlaPolicyRequest request, TicketTaxonomy taxonomy, TicketValidation.Errors errors)
    {
        if (request.Priority is null)
        {
            errors.Add("priority", $"The priority is required (one of: {string.Join(", ", Enum.GetNames<TicketPriority>())}).");
        }
        string? category = null;
        if (!string.IsNullOrWhiteSpace(request.Category))
        {
            category = taxonomy.Normalize(request.Category);
            if (category is null)
            {
                errors.Add("category", $"'{request.Category}' is not one of: {string.Join(", ", taxonomy.Categories)}.");
            }
        }
        Target(errors, "firstResponse", request.FirstResponse);
        Target(errors, "resolution", request.Resolution);
        if (request.FirstResponse > request.Resolution)
        {
            errors.Add("resolution", "The resolution target must not be shorter than the first-response target.");
        }
        var calendar = request.Calendar is null ? null : ToCalendar(request.Calendar, errors);
        if (!errors.Any && calendar is not null)
        {
            try
            {
                // Holidays can leave a calendar without working time; find out now rather than at the next ticket.
                calendar.Add(DateTimeOffset.UtcNow, request.Resolution!.Value);
            }
            catch (InvalidOperationException)
            {
                errors.Add("calendar.holidays", $"The calendar leaves too little working time for the resolution target within {BusinessCalendar.MaxDaysAhead} days.");
            }
        }
        if (errors.Any)
        {
            return null;
        }
        return new SlaPolicy
        {
            Priority = request.Priority!.Value,
            Category = category,
            FirstResponse = request.FirstResponse!.Value,
            Resolution = request.Resolution!.Value,
            Calendar = calendar,
        };
    }

    private static void Target(TicketValidation.Errors errors, string field, TimeSpan? value)
    {
        if (value is null)
        {
            errors.Add(field, "The target is required, as working time such as \"04:00:00\" or \"3.00:00:00\".");
        }
        else if (value <= TimeSpan.Zero || value > MaxTarget)
        {
            errors.Add(field, $"The target must be more than zero and at most {MaxTarget.TotalDays:0} days.");
        }
    }

    private static BusinessCalendar? ToCalendar(BusinessCalendarRequest request, TicketValidation.Errors errors)
    {
        var start = Time(errors, "calendar.workdayStart", request.WorkdayStart);
        var end = Time(errors, "calendar.workdayEnd", request.WorkdayEnd);
        if (request.Holidays is { Count: > MaxHolidays })
        {
            errors.Add("calendar.holidays", $"At most {MaxHolidays} holidays are allowed.");
        }
        var calendar = new BusinessCalendar
        {
            TimeZone = request.TimeZone?.Trim() ?? "",
            WorkingDays = [.. (request.WorkingDays ?? []).Distinct().Order()],
            WorkdayStart = start ?? new TimeOnly(9, 0),
            WorkdayEnd = end ?? new TimeOnly(17, 0),
            Holidays = [.. (request.Holidays ?? []).Distinct().Order()],
        };
        // Comparing start and end only makes sense when both parsed; the parse error already names the field.
        foreach (var (field, reason) in calendar.Validate().Where(p => p.Field != "workdayEnd" || (start is not null && end is not null)))
        {
            errors.Add($"calendar.{field}", reason);
        }
        return calendar;
    }

    private static TimeOnly? Time(TicketValidation.Errors errors, string field, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value)
            && TimeOnly.TryParseExact(value.Trim(), ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }
        errors.Add(field, $"Expected a local time of the form HH:mm, got '{value}'.");
        return null;
    }
}
