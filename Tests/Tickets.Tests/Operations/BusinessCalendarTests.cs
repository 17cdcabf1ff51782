using AspireTickets.Domain.Sla;

namespace AspireTickets.Tests.Operations;

public sealed class BusinessCalendarTests
{
    private static readonly BusinessCalendar OfficeUtc = new() { TimeZone = "UTC" };

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void Adds_within_one_working_day()
    {
        // 2026-03-02 is a Monday.
        Assert.Equal(Utc(3, 2, 12), OfficeUtc.Add(Utc(3, 2, 10), TimeSpan.FromHours(2)));
    }

    [Fact]
    public void Continues_the_next_morning_after_closing()
    {
        Assert.Equal(Utc(3, 3, 10), OfficeUtc.Add(Utc(3, 2, 16), TimeSpan.FromHours(2)));
    }

    [Fact]
    public void Starts_counting_at_opening_when_filed_before_it()
    {
        Assert.Equal(Utc(3, 2, 10), OfficeUtc.Add(Utc(3, 2, 7), TimeSpan.FromHours(1)));
        // No time needed still means "at the next working moment".
        Assert.Equal(Utc(3, 2, 9), OfficeUtc.Add(Utc(3, 2, 7), TimeSpan.Zero));
    }

    [Fact]
    public void Skips_the_weekend()
    {
        // Friday 16:30 + 1h: 30 minutes on Friday, 30 on Monday.
        Assert.Equal(Utc(3, 9, 9, 30), OfficeUtc.Add(Utc(3, 6, 16, 30), TimeSpan.FromHours(1)));
        // Filed on Saturday: the clock starts on Monday.
        Assert.Equal(Utc(3, 9, 9, 15), OfficeUtc.Add(Utc(3, 7, 11), TimeSpan.FromMinutes(15)));
    }

    [Fact]
    public void Skips_holidays()
    {
        var calendar = new BusinessCalendar { TimeZone = "UTC", Holidays = [new DateOnly(2026, 3, 6)] };
        // Thursday 16:00 + 2h: one hour Thursday, Friday is a holiday, one hour Monday.
        Assert.Equal(Utc(3, 9, 10), calendar.Add(Utc(3, 5, 16), TimeSpan.FromHours(2)));
    }

    [Fact]
    public void Counts_several_days_of_working_time()
    {
        // 3 working days of 8 hours from Monday 09:00 end on Wednesday 17:00 … exactly at closing.
        Assert.Equal(Utc(3, 4, 17), OfficeUtc.Add(Utc(3, 2, 9), TimeSpan.FromHours(24)));
        // … and 24 hours of working time from Friday noon end Wednesday noon.
        Assert.Equal(Utc(3, 11, 12), OfficeUtc.Add(Utc(3, 6, 12), TimeSpan.FromHours(24)));
    }

    [Fact]
    public void Keeps_local_working_hours_across_a_DST_change_between_days()
    {
        // New York moves to daylight time on Sunday 2026-03-08: Friday 16:00 EST is 21:00Z, Monday 10:00 EDT is 14:00Z.
        var newYork = new BusinessCalendar { TimeZone = "America/New_York" };
        var start = new DateTimeOffset(2026, 3, 6, 16, 0, 0, TimeSpan.FromHours(-5));
        Assert.Equal(Utc(3, 9, 14), newYork.Add(start, TimeSpan.FromHours(2)));
    }

    [Fact]
    public void A_spring_forward_day_has_one_hour_less_working_time()
    {
        // Berlin skips 02:00–03:00 on Sunday 2026-03-29. A 00:00–06:00 day is 5 real hours long.
        var night = new BusinessCalendar
        {
            TimeZone = "Europe/Berlin",
            WorkingDays = [.. Enum.GetValues<DayOfWeek>()],
            WorkdayStart = new TimeOnly(0, 0),
            WorkdayEnd = new TimeOnly(6, 0),
        };
        var opening = new DateTimeOffset(2026, 3, 28, 23, 0, 0, TimeSpan.Zero); // 00:00 CET
        Assert.Equal(Utc(3, 29, 4), night.Add(opening, TimeSpan.FromHours(5))); // 06:00 CEST
        Assert.Equal(TimeSpan.FromHours(5), night.WorkingTimeBetween(opening, Utc(3, 29, 12)));
        // Half an hour more runs into Monday 00:30 CEST.
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 22, 30, 0, TimeSpan.Zero), night.Add(opening, TimeSpan.FromHours(5.5)));
    }

    [Fact]
    public void A_fall_back_day_has_one_hour_more_working_time()
    {
        // Berlin repeats 02:00–03:00 on Sunday 2026-10-25. A 00:00–06:00 day is 7 real hours long.
        var night = new BusinessCalendar
        {
            TimeZone = "Europe/Berlin",
            WorkingDays = [DayOfWeek.Sunday],
            WorkdayStart = new TimeOnly(0, 0),
            WorkdayEnd = new TimeOnly(6, 0),
        };
        var opening = new DateTimeOffset(2026, 10, 24, 22, 0, 0, TimeSpan.Zero); // 00:00 CEST
        Assert.Equal(Utc(10, 25, 5), night.Add(opening, TimeSpan.FromHours(7))); // 06:00 CET
        Assert.Equal(TimeSpan.FromHours(7), night.WorkingTimeBetween(opening, Utc(10, 26, 0)));
    }

    [Fact]
    public void An_opening_inside_the_spring_gap_is_read_as_the_first_moment_after_it()
    {
        // 02:30 does not exist in Berlin on 2026-03-29; the day opens at 01:30Z (03:30 CEST) and closes at 05:00 CEST.
        var calendar = new BusinessCalendar
        {
            TimeZone = "Europe/Berlin",
            WorkingDays = [DayOfWeek.Sunday],
            WorkdayStart = new TimeOnly(2, 30),
            WorkdayEnd = new TimeOnly(5, 0),
        };
        Assert.Equal(Utc(3, 29, 2, 30), calendar.Add(Utc(3, 28, 12), TimeSpan.FromHours(1)));
        Assert.Equal(TimeSpan.FromHours(1.5), calendar.WorkingTimeBetween(Utc(3, 28, 12), Utc(3, 30, 0)));
    }

    [Fact]
    public void Working_time_between_start_and_due_is_the_target()
    {
        var berlin = new BusinessCalendar { TimeZone = "Europe/Berlin", Holidays = [new DateOnly(2026, 4, 3), new DateOnly(2026, 4, 6)] };
        var start = new DateTimeOffset(2026, 3, 20, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 200; i++)
        {
            var from = start + TimeSpan.FromMinutes(i * 97);
            var target = TimeSpan.FromMinutes(15 + (i * 53 % 4000));
            var due = berlin.Add(from, target);
            Assert.Equal(target, berlin.WorkingTimeBetween(from, due));
            Assert.True(due >= from);
        }
    }

    [Fact]
    public void Validation_names_the_broken_fields()
    {
        var calendar = new BusinessCalendar
        {
            TimeZone = "Mars/Olympus",
            WorkingDays = [],
            WorkdayStart = new TimeOnly(17, 0),
            WorkdayEnd = new TimeOnly(9, 0),
        };
        var fields = calendar.Validate().Select(p => p.Field).ToList();
        Assert.Equal(["timeZone", "workingDays", "workdayEnd"], fields);
        Assert.Empty(OfficeUtc.Validate());
    }

    [Fact]
    public void A_calendar_without_working_time_fails_instead_of_looping()
    {
        var calendar = new BusinessCalendar { TimeZone = "UTC", WorkingDays = [] };
        Assert.Throws<InvalidOperationException>(() => calendar.Add(Utc(3, 2, 9), TimeSpan.FromHours(1)));
    }
}
