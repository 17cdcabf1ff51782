using System.Text.Json;
using System.Text.Json.Serialization;

namespace AspireTickets.Infrastructure.Documents;

internal static class DocumentJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };
}
