using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;
using AspireTickets.Domain.Diagnostics;
using Microsoft.Extensions.AI;

namespace AspireTickets.Agents.Llm;

/// <summary>
/// Counts the tokens each language-model answer reports (<c>tickets.llm.tokens</c>, by direction and model), the
/// figure that decides what the model costs. Answers that report no usage add nothing rather than a guess.
/// </summary>
public sealed class TokenCountingChatClient(IChatClient inner, string model) : DelegatingChatClient(inner)
{
    public const string InstrumentName = "tickets.llm.tokens";

    private static readonly Meter Meter = new(TicketsTelemetry.MeterName);
    private static readonly Counter<long> Tokens = Meter.CreateCounter<long>(InstrumentName, "{token}", "Language-model tokens, by direction (input or output) and model");

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken);
        Record(response.Usage);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            foreach (var usage in update.Contents.OfType<UsageContent>())
            {
                Record(usage.Details);
            }
            yield return update;
        }
    }

    private void Record(UsageDetails? usage)
    {
        if (usage?.InputTokenCount is > 0 and var input)
        {
            Tokens.Add(input, new KeyValuePair<string, object?>("direction", "input"), new KeyValuePair<string, object?>("model", model));
        }
        if (usage?.OutputTokenCount is > 0 and var output)
        {
            Tokens.Add(output, new KeyValuePair<string, object?>("direction", "output"), new KeyValuePair<string, object?>("model", model));
        }
    }
}
