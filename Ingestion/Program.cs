using AspireTickets.Ingestion.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddTicketIngestion();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapTicketIngestion();

app.Run();

// Internal so that the embedded host (Web) and the tests see only the Web's Program.
internal partial class Program;
