namespace AspireTickets.Web.Services;

/// <summary>Per-circuit display preferences: the time zone dates are shown in (the browser's, once known).</summary>
public sealed class UserPreferences
{
    public TimeZoneInfo TimeZone { get; private set; } = TimeZoneInfo.Utc;

    public void SetTimeZone(string? id)
    {
        if (!string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
        {
            TimeZone = zone;
        }
    }

    public DateTimeOffset Local(DateTimeOffset value) => TimeZoneInfo.ConvertTime(value, TimeZone);

    public string Format(DateTimeOffset? value) => value is { } v ? Local(v).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) : "—";
}
