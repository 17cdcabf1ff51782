using AspireTickets.Agents.Extensions;
using AspireTickets.Api.Extensions;
using AspireTickets.Ingestion.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddTicketsApi();
builder.AddTicketIngestion();
builder.AddTicketAgents();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapTicketsApi();
app.MapTicketIngestion();
app.MapTicketAgents();

app.Run();

// Visible to the tests' WebApplicationFactory.
public partial class Program;
