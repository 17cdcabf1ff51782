namespace AspireTickets.Ingestion.Extensions;

public static class Extensions
{
    /// <summary>Registers the ticket sources (webhooks, e-mail, bulk import), their verification and enrichment.</summary>
    public static IHostApplicationBuilder AddTicketIngestion(this IHostApplicationBuilder builder)
    {
        return builder;
    }

    public static IEndpointRouteBuilder MapTicketIngestion(this IEndpointRouteBuilder app)
    {
        return app;
    }
}
