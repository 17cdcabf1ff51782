namespace AspireTickets.Domain.Sla;

/// <summary>
/// Working time in one time zone: the working days, the working hours of each such day and the holidays.
/// SLA clocks run only inside it, so a ticket filed on Friday evening is due on Monday, not on Saturday.
/// Local times are converted with the zone's rules for that date, so DST changes shorten or lengthen
/// the working day by exactly the wall-clock difference.
/// </summary>
public sealed class BusinessCalendar
{
    /// <summary>How far ahead a due time is searched; a calendar with no working time in that span is invalid.</summary>
    public const int MaxDaysAhead = 3 * 366;

    /// <summary>IANA id (<c>Europe/Berlin</c>); Windows ids are accepted where the OS maps them.</summary>
    public string TimeZone { get; set; } = "UTC";

    public List<DayOfWeek> WorkingDays { get; set; } =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday];

    /// <summary>Local start of the working day.</summary>
    public TimeOnly WorkdayStart { get; set; } = new(9, 0);

    /// <summary>Local end of the working day; must be after <see cref="WorkdayStart"/> (no overnight shifts).</summary>
    public TimeOnly WorkdayEnd { get; set; } = new(17, 0);

    /// <summary>Local dates without working time.</summary>
    public List<DateOnly> Holidays { get; set; } = [];

    /// <summary>The problems that make this calendar unusable, as (field, reason); empty when it is valid.</summary>
    public IReadOnlyList<(string Field, string Reason)> Validate()
    {
        var problems = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(TimeZone) || !TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone.Trim(), out _))
        {
            problems.Add(("timeZone", $"'{TimeZone}' is not a known time zone (use an IANA id such as Europe/Berlin)."));
        }
        if (WorkingDays is null || WorkingDays.Count == 0)
        {
            problems.Add(("workingDays", "At least one working day is required."));
        }
        else if (WorkingDays.Any(d => !Enum.IsDefined(d)))
        {
            problems.Add(("workingDays", "Working days must be Monday … Sunday."));
        }
        if (WorkdayEnd <= WorkdayStart)
        {
            problems.Add(("workdayEnd", "The working day must end after it starts (overnight shifts are not supported)."));
        }
        return problems;
    }

    /// <summary>The instant at which <paramref name="workingTime"/> of working time has passed since <paramref name="start"/>.</summary>
    public DateTimeOffset Add(DateTimeOffset start, TimeSpan workingTime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workingTime, TimeSpan.Zero);
        var zone = Zone();
        var remaining = workingTime;
        var day = LocalDate(start, zone);
        for (var i = 0; i <= MaxDaysAhead; i++, day = day.AddDays(1))
        {
            if (!TryGetWorkingInterval(day, zone, out var open, out var close))
            {
                continue;
            }
            var from = start > open ? start : open;
            if (from >= close)
            {
                continue;
            }
            var available = close - from;
            if (remaining <= available)
            {
                // Zero remaining time still moves a start outside working hours to the next opening.
                return (from + remaining).ToOffset(TimeSpan.Zero);
            }
            remaining -= available;
        }
        throw new InvalidOperationException($"The calendar has no working time in the {MaxDaysAhead} days after {start:O}.");
    }

    /// <summary>The working time between two instants (zero when <paramref name="to"/> is not after <paramref name="from"/>).</summary>
    public TimeSpan WorkingTimeBetween(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return TimeSpan.Zero;
        }
        var zone = Zone();
        var total = TimeSpan.Zero;
        for (var day = LocalDate(from, zone); day <= LocalDate(to, zone); day = day.AddDays(1))
        {
            if (TryGetWorkingInterval(day, zone, out var open, out var close))
            {
                var a = from > open ? from : open;
                var b = to < close ? to : close;
                if (b > a)
                {
                    total += b - a;
                }
            }
        }
        return total;
    }

    /// <summary>The working interval of a local date as instants; false on days off and holidays.</summary>
    public bool TryGetWorkingInterval(DateOnly day, TimeZoneInfo zone, out DateTimeOffset open, out DateTimeOffset close)
    {
        open = close = default;
        if (!WorkingDays.Contains(day.DayOfWeek) || Holidays.Contains(day))
        {
            return false;
        }
        open = ToInstant(day.ToDateTime(WorkdayStart), zone);
        close = ToInstant(day.ToDateTime(WorkdayEnd), zone);
        return close > open;
    }

    public TimeZoneInfo Zone() => TimeZoneInfo.FindSystemTimeZoneById(TimeZone.Trim());

    private static DateOnly LocalDate(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    /// <summary>
    /// A local wall-clock time as an instant. A time skipped by a spring-forward change is read with the offset
    /// before the change (09:30 that does not exist becomes the instant the clock shows 10:30); a time that
    /// occurs twice in autumn is its first occurrence.
    /// </summary>
    internal static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (zone.IsInvalidTime(local))
        {
            offset = zone.GetUtcOffset(local.AddHours(-3));
        }
        else if (zone.IsAmbiguousTime(local))
        {
            offset = zone.GetAmbiguousTimeOffsets(local).Max();
        }
        else
        {
            offset = zone.GetUtcOffset(local);
        }
        return new DateTimeOffset(local, offset).ToOffset(TimeSpan.Zero);
    }
}
