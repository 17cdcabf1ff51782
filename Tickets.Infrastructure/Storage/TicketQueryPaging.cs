using AspireTickets.Domain.Storage;

namespace AspireTickets.Infrastructure.Storage;

internal static class TicketQueryPaging
{
    /// <summary>Both adapters refuse the same pages; the Api validates first and answers 400, so this is a guard.</summary>
    public static void Validate(TicketQuery query)
    {
        if (query.Page < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Page, "Page is 1-based.");
        }
        if (query.PageSize is < 1 or > TicketQuery.MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.PageSize, $"PageSize must be between 1 and {TicketQuery.MaxPageSize}.");
        }
    }
}
