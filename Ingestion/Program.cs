using AspireTickets.Ingestion.Cli;
using AspireTickets.Ingestion.Extensions;

if (args is ["import", .. var importArgs])
{
    return await ImportCommand.RunAsync(importArgs, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddTicketIngestion();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapTicketIngestion();

app.Run();
return 0;

// Internal so that the embedded host (Web) and the tests see only the Web's Program.
internal partial class Program;
