using Microsoft.Extensions.AI;

namespace AspireTickets.Tests.Agents;

/// <summary>
/// A chat client that answers from a script: each request is given to a function that returns the answer text
/// (valid, invalid or hostile), and every request is recorded so tests can check what the model was shown.
/// </summary>
public sealed class ScriptedChatClient(Func<IReadOnlyList<ChatMessage>, string> answer) : IChatClient
{
    private readonly List<IReadOnlyList<ChatMessage>> _requests = [];

    public IReadOnlyList<IReadOnlyList<ChatMessage>> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        lock (_requests)
        {
            _requests.Add(list);
        }
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer(list))));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The agents do not stream.");

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    /// <summary>Which agent is asking, from its instructions (the system message).</summary>
    public static string Purpose(IReadOnlyList<ChatMessage> messages)
    {
        var system = messages.First(m => m.Role == ChatRole.System).Text;
        return system.Contains("You triage", StringComparison.Ordinal) ? "triage"
            : system.Contains("resolve a ticket", StringComparison.Ordinal) ? "resolution"
            : system.Contains("You review", StringComparison.Ordinal) ? "quality"
            : "unknown";
    }
}
