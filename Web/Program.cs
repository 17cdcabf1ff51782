using AspireTickets.Agents.Extensions;
using AspireTickets.Api.Extensions;
using AspireTickets.Ingestion.Extensions;
using AspireTickets.Web.Extensions;
using AspireTickets.Web.Services;

// `--seed-demo` is a switch without a value; configuration wants key=value.
args = [.. args.Select(a => a == "--seed-demo" ? "--Tickets:SeedDemo=true" : a)];

var builder = WebApplication.CreateBuilder(args);

// Without a link to a separate Api service (services:api:*), this process hosts every module itself.
var embedded = ApiEndpoint.IsEmbedded(builder.Configuration);

builder.AddServiceDefaults();
if (embedded)
{
    builder.AddTicketsApi();
    builder.AddTicketIngestion();
    builder.AddTicketAgents();
}
builder.AddTicketsWeb(embedded);

var app = builder.Build();

app.UseTicketsWebSecurity();
app.MapDefaultEndpoints();
if (embedded)
{
    app.UseTicketsApi();
    app.MapTicketIngestion();
    app.MapTicketAgents();
}
else
{
    app.UseExceptionHandler("/error", createScopeForErrors: true);
    app.UseAuthentication();
    app.UseAuthorization();
}
app.UseTicketsWeb();

app.Run();

// Visible to the tests' WebApplicationFactory.
public partial class Program;
