namespace AspireTickets.Api.Extensions;

public static class Extensions
{
    /// <summary>Registers the REST API's services: storage, authentication, problem details, OpenAPI.</summary>
    public static IHostApplicationBuilder AddTicketsApi(this IHostApplicationBuilder builder)
    {
        return builder;
    }

    public static IEndpointRouteBuilder MapTicketsApi(this IEndpointRouteBuilder app)
    {
        return app;
    }
}
