using AspireTickets.Api.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddTicketsApi();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseTicketsApi();

app.Run();

// Internal so that the embedded host (Web) and the tests see only the Web's Program.
internal partial class Program;
