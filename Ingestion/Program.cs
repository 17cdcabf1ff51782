using AspireTickets.Ingestion.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddTicketIngestion();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapTicketIngestion();

app.Run();
