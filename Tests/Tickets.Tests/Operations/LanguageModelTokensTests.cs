using System.Diagnostics.Metrics;
using AspireTickets.Agents.Llm;
using AspireTickets.Domain.Diagnostics;
using Microsoft.Extensions.AI;

namespace AspireTickets.Tests.Operations;

public sealed class LanguageModelTokensTests
{
    /// <summary>Answers with fixed usage figures, as an OpenAI-compatible endpoint reports them.</summary>
    private sealed class MeteredModel(long? input, long? output) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, """{"ok":true}"""))
            {
                Usage = new UsageDetails { InputTokenCount = input, OutputTokenCount = output },
            });

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

        public void Dispose()
        {
        }
    }

    [Fact]
    public async Task Every_answer_adds_its_input_and_output_tokens_by_model()
    {
        // A model name of its own keeps measurements of tests running in parallel out of the sums.
        var modelId = $"tokens-test-{Guid.NewGuid():n}";
        var sums = new Dictionary<string, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == TicketsTelemetry.MeterName && instrument.Name == TokenCountingChatClient.InstrumentName)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var t = tags.ToArray().ToDictionary(k => k.Key, k => k.Value);
            if ((string?)t["model"] == modelId)
            {
                lock (sums)
                {
                    var direction = (string)t["direction"]!;
                    sums[direction] = sums.GetValueOrDefault(direction) + value;
                }
            }
        });
        listener.Start();

        var model = new LanguageModel(new MeteredModel(input: 120, output: 35), modelId);
        await model.CompleteAsync("Answer.", [("ticket", "Printer offline")], TestContext.Current.CancellationToken);
        await model.CompleteAsync("Answer.", [("ticket", "Printer still offline")], TestContext.Current.CancellationToken);
        var silent = new LanguageModel(new MeteredModel(input: null, output: null), modelId);
        await silent.CompleteAsync("Answer.", [("ticket", "No usage reported")], TestContext.Current.CancellationToken);

        Assert.Equal(new Dictionary<string, long> { ["input"] = 240, ["output"] = 70 }, sums);
    }
}
