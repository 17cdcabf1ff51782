namespace AspireTickets.Web.Services;

/// <summary>
/// The per-field reasons a form shows under its inputs: the Api's problem details (keys as the Api names them,
/// <c>calendar.timeZone</c>, <c>categories[2]</c>) plus what the form itself could not parse before sending.
/// </summary>
public sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.OrdinalIgnoreCase);

    public bool Any => _errors.Count > 0;

    /// <summary>Problems not tied to one field (a conflict, a refused role) for an alert above the form.</summary>
    public string? Summary { get; private set; }

    /// <summary>The reasons for one field, or null (so <c>Error="@(Errors[f] is not null)"</c> reads naturally).</summary>
    public string? this[string field] => _errors.TryGetValue(field, out var reasons) ? string.Join(" ", reasons) : null;

    public void Clear()
    {
        _errors.Clear();
        Summary = null;
    }

    /// <summary>
    /// Clears before a new attempt and lets the form render once without errors. MudBlazor inputs keep their own
    /// validation state after someone edits them and only take <c>ErrorText</c> again when the parameter changes, so
    /// without this render the same reason on the next failed save would not be shown.
    /// </summary>
    public async Task ClearAndRenderAsync()
    {
        Clear();
        await Task.Yield();
    }

    public void Add(string field, string reason)
    {
        if (!_errors.TryGetValue(field, out var reasons))
        {
            _errors[field] = reasons = [];
        }
        reasons.Add(reason);
    }

    /// <summary>Shows a failed save: field errors under their fields, anything else as the summary.</summary>
    public void Show(ApiProblemException problem)
    {
        Clear();
        foreach (var (field, reasons) in problem.Errors)
        {
            foreach (var reason in reasons)
            {
                Add(field, reason);
            }
        }
        if (!Any)
        {
            Summary = problem.Describe();
        }
    }

    /// <summary>Errors for fields the form has no input for (so they are not lost), as one sentence.</summary>
    public string? Unshown(IEnumerable<string> shownFields)
    {
        var shown = new HashSet<string>(shownFields, StringComparer.OrdinalIgnoreCase);
        var rest = _errors.Where(e => !shown.Contains(e.Key)).SelectMany(e => e.Value).ToList();
        return rest.Count == 0 ? null : string.Join(" ", rest);
    }
}
