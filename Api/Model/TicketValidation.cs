using AspireTickets.Domain.Text;
using System.Net.Mail;

namespace AspireTickets.Api.Model;

/// <summary>Field rules shared by create, update and patch. Each failure names the field and says why.</summary>
public static class TicketValidation
{
    public const int MaxTitleLength = 300;
    public const int MaxDescriptionLength = 100_000;
    public const int MaxLabels = 20;
    public const int MaxLabelLength = 50;
    public const int MaxCommentLength = 50_000;
    public const int MaxNameLength = 200;

    public sealed class Errors
    {
        private readonly Dictionary<string, List<string>> _errors = [];

        public bool Any => _errors.Count > 0;

        public void Add(string field, string reason)
        {
            if (!_errors.TryGetValue(field, out var list))
            {
                _errors[field] = list = [];
            }
            list.Add(reason);
        }

        public Dictionary<string, string[]> ToDictionary() => _errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }

    public static void Title(Errors errors, string? title)
    {
        if (!InputText.HasVisibleText(title))
        {
            errors.Add("title", "The title is required.");
        }
        else if (InputText.Problem(title) is { } problem)
        {
            errors.Add("title", problem);
        }
        else if (title.Length > MaxTitleLength)
        {
            errors.Add("title", $"The title may have at most {MaxTitleLength} characters.");
        }
    }

    public static void Description(Errors errors, string? description)
    {
        if (description is { Length: > MaxDescriptionLength })
        {
            errors.Add("description", $"The description may have at most {MaxDescriptionLength} characters.");
        }
        else if (InputText.Problem(description) is { } problem)
        {
            errors.Add("description", problem);
        }
    }

    public static void Reporter(Errors errors, PersonRequest? reporter)
    {
        if (reporter?.Email is { Length: > 0 } email && !IsEmail(email))
        {
            errors.Add("reporter.email", $"'{email}' is not an e-mail address.");
        }
        if (reporter?.Name is { Length: > MaxNameLength })
        {
            errors.Add("reporter.name", $"The name may have at most {MaxNameLength} characters.");
        }
    }

    public static void Labels(Errors errors, IReadOnlyList<string>? labels)
    {
        if (labels is null)
        {
            return;
        }
        if (labels.Count > MaxLabels)
        {
            errors.Add("labels", $"At most {MaxLabels} labels are allowed.");
        }
        for (var i = 0; i < labels.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(labels[i]) || labels[i].Length > MaxLabelLength)
            {
                errors.Add($"labels[{i}]", $"A label must have 1 to {MaxLabelLength} characters.");
            }
        }
    }

    public static void Text(Errors errors, string field, string? value, int max)
    {
        if (value is { Length: > 0 } && value.Length > max)
        {
            errors.Add(field, $"The {field} may have at most {max} characters.");
        }
    }

    private static bool IsEmail(string value) =>
        MailAddress.TryCreate(value, out var parsed) && string.Equals(parsed.Address, value.Trim(), StringComparison.OrdinalIgnoreCase);
}
