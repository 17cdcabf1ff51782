namespace AspireTickets.Agents.Extensions;

public static class Extensions
{
    /// <summary>Registers the agent workflow, its event-log consumers and the local models.</summary>
    public static IHostApplicationBuilder AddTicketAgents(this IHostApplicationBuilder builder)
    {
        return builder;
    }

    public static IEndpointRouteBuilder MapTicketAgents(this IEndpointRouteBuilder app)
    {
        return app;
    }
}
