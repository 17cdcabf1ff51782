using System.Text.Json;
using AspireTickets.Api.Model;
using AspireTickets.Domain.Taxonomy;
using AspireTickets.Domain.Tickets;
using AspireTickets.Domain.Text;

namespace AspireTickets.Api.Services;

/// <summary>
/// A JSON merge patch (RFC 7396) of a ticket: members present are changed, <c>null</c> clears an optional
/// field, absent members stay as they are. Parsed up front so that every bad member is reported together
/// and nothing is applied unless all of them are valid.
/// </summary>
public sealed class TicketPatch
{
    private static readonly string[] Known = ["title", "description", "status", "priority", "category", "labels", "assignee", "organization", "reporter", "reason"];

    private readonly List<Action<TicketEditor, TicketTaxonomy>> _changes = [];

    public string? Reason { get; private set; }

    public static TicketPatch Parse(JsonElement body, TicketValidation.Errors errors)
    {
        var patch = new TicketPatch();
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("body", "A merge patch must be a JSON object.");
            return patch;
        }

        foreach (var member in body.EnumerateObject())
        {
            var name = member.Name;
            var value = member.Value;
            switch (name)
            {
                case "title":
                    var title = String(errors, name, value, nullable: false);
                    TicketValidation.Title(errors, title);
                    patch.Add((e, _) => e.SetTitle(title!.Trim()));
                    break;
                case "description":
                    var description = String(errors, name, value, nullable: true) ?? "";
                    TicketValidation.Description(errors, description);
                    patch.Add((e, _) => e.SetDescription(description));
                    break;
                case "status":
                    var status = Enum<TicketStatus>(errors, name, value);
                    patch.Add((e, _) => e.SetStatus(status!.Value));
                    break;
                case "priority":
                    var priority = Enum<TicketPriority>(errors, name, value);
                    patch.Add((e, _) => e.SetPriority(priority!.Value));
                    break;
                case "category":
                    var category = String(errors, name, value, nullable: true);
                    patch.Add((e, taxonomy) => e.SetCategory(string.IsNullOrWhiteSpace(category) ? null : taxonomy.Normalize(category) ?? category, taxonomy));
                    break;
                case "assignee":
                    var assignee = String(errors, name, value, nullable: true);
                    patch.Add((e, _) => e.SetAssignee(string.IsNullOrWhiteSpace(assignee) ? null : assignee.Trim()));
                    break;
                case "organization":
                    var organization = String(errors, name, value, nullable: true);
                    patch.Add((e, _) => e.SetOrganization(string.IsNullOrWhiteSpace(organization) ? null : organization.Trim()));
                    break;
                case "labels":
                    var labels = Labels(errors, value);
                    TicketValidation.Labels(errors, labels);
                    patch.Add((e, _) => e.SetLabels(labels ?? []));
                    break;
                case "reporter":
                    var reporter = Reporter(errors, value);
                    TicketValidation.Reporter(errors, reporter);
                    patch.Add((e, _) => e.SetReporter(TicketCommands.ToPerson(reporter)));
                    break;
                case "reason":
                    patch.Reason = String(errors, name, value, nullable: true);
                    break;
                default:
                    errors.Add(name, $"'{name}' is not a field that can be changed. Use: {string.Join(", ", Known)}.");
                    break;
            }
        }
        return patch;
    }

    public void Apply(TicketEditor editor, TicketTaxonomy taxonomy)
    {
        foreach (var change in _changes)
        {
            change(editor, taxonomy);
        }
    }

    private void Add(Action<TicketEditor, TicketTaxonomy> change) => _changes.Add(change);

    private static string? String(TicketValidation.Errors errors, string field, JsonElement value, bool nullable)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return ReadString(errors, field, value);
        }
        if (value.ValueKind == JsonValueKind.Null && nullable)
        {
            return null;
        }
        errors.Add(field, nullable ? "Expected a string or null." : "Expected a string.");
        return null;
    }

    // A JSON string may escape a lone surrogate (\ud800), which no .NET string can be decoded from: the body is
    // well-formed JSON but not valid Unicode, so it is the client's error, named by field, as POST and PUT report it.
    private static string? ReadString(TicketValidation.Errors errors, string field, JsonElement value)
    {
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            errors.Add(field, "The text is not valid Unicode (it holds a lone surrogate or invalid UTF-8).");
            return null;
        }
    }

    private static T? Enum<T>(TicketValidation.Errors errors, string field, JsonElement value) where T : struct, Enum
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            if (ReadString(errors, field, value) is not { } text)
            {
                return null; // not valid Unicode: already reported
            }
            if (EnumNames.TryParse<T>(text, out var parsed))
            {
                return parsed;
            }
        }
        errors.Add(field, $"Expected one of: {string.Join(", ", System.Enum.GetNames<T>())}.");
        return null;
    }

    private static List<string>? Labels(TicketValidation.Errors errors, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }
        if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(v => v.ValueKind != JsonValueKind.String))
        {
            errors.Add("labels", "Expected an array of strings.");
            return null;
        }
        var labels = value.EnumerateArray().Select(v => ReadString(errors, "labels", v)).ToList();
        return labels.Contains(null) ? null : [.. labels.OfType<string>()];
    }

    private static PersonRequest? Reporter(TicketValidation.Errors errors, JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }
        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add("reporter", "Expected an object with name and email, or null.");
            return null;
        }
        string? name = null, email = null;
        foreach (var member in value.EnumerateObject())
        {
            switch (member.Name)
            {
                case "name": name = String(errors, "reporter.name", member.Value, nullable: true); break;
                case "email": email = String(errors, "reporter.email", member.Value, nullable: true); break;
                default: errors.Add($"reporter.{member.Name}", "Unknown member; use name and email."); break;
            }
        }
        return new PersonRequest(name, email);
    }
}
