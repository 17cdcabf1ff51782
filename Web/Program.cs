using AspireTickets.Agents.Extensions;
using AspireTickets.Api.Extensions;
using AspireTickets.Ingestion.Extensions;

// `--seed-demo` is a switch without a value; configuration wants key=value.
args = [.. args.Select(a => a == "--seed-demo" ? "--Tickets:SeedDemo=true" : a)];

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddTicketsApi();
builder.AddTicketIngestion();
builder.AddTicketAgents();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseTicketsApi();
app.MapTicketIngestion();
app.MapTicketAgents();

app.Run();

// Visible to the tests' WebApplicationFactory.
public partial class Program;
