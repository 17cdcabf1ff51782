using AspireTickets.Agents.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddTicketAgents();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapTicketAgents();

app.Run();

// Internal so that the embedded host (Web) and the tests see only the Web's Program.
internal partial class Program;
