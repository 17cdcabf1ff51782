using AspireTickets.Agents.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddTicketAgents();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapTicketAgents();

app.Run();
