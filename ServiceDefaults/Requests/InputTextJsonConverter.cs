using System.Text.Json;
using System.Text.Json.Serialization;
using AspireTickets.Domain.Text;

namespace AspireTickets.ServiceDefaults.Requests;

/// <summary>
/// Holds every string of every JSON body to the <see cref="InputText"/> rules (no lone surrogates, no control
/// characters but tab and line breaks), for all services in one place: a field that forgot its own check would
/// otherwise store a NUL. A refused string is a <see cref="JsonException"/>, which System.Text.Json tags with the
/// member's path, so the 400 names the field. Writing is untouched: text that came in another way (a webhook, an
/// e-mail) is returned as stored.
/// </summary>
public sealed class InputTextJsonConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : Checked(ref reader);

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Checked(ref reader);

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);

    private static string Checked(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
        {
            throw new JsonException($"Expected a string, not {reader.TokenType}.");
        }
        string value;
        try
        {
            value = reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new JsonException("Contains a lone surrogate; the text is not valid Unicode.");
        }
        return InputText.Problem(value) is { } problem ? throw new JsonException(problem) : value;
    }
}
