using AspireTickets.Agents.Workflow;
using Microsoft.Extensions.AI;

namespace AspireTickets.Agents.Llm;

public static class LlmExtensions
{
    /// <summary>
    /// Triage, resolution and quality through the language model of <c>ConnectionStrings:llm</c>, each falling back to
    /// its local agent. An <see cref="IChatClient"/> registered before (a test's scripted client) is used as is.
    /// </summary>
    public static IHostApplicationBuilder AddLanguageModelAgents(this IHostApplicationBuilder builder, string connectionString)
    {
        var connection = LlmConnection.Parse(connectionString);
        var services = builder.Services;
        services.AddSingleton(connection);
        if (!services.Any(d => d.ServiceType == typeof(IChatClient)))
        {
            services.AddSingleton(_ => connection.CreateChatClient());
        }
        services.AddSingleton(sp => new LanguageModel(sp.GetRequiredService<IChatClient>(), connection.Model));
        services.AddSingleton<ITriageAgent, LlmTriageAgent>();
        services.AddSingleton<IResolutionAgent, LlmResolutionAgent>();
        services.AddSingleton<IQualityAgent, LlmQualityAgent>();
        return builder;
    }
}
