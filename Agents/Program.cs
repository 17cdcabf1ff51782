using AspireTickets.Agents.Evaluation;
using AspireTickets.Agents.Extensions;

// Evaluation verbs run the local models against exported history and exit; they need no web host.
if (args.Length > 0 && args[0] == "eval")
{
    return EvaluationCommand.Run(args[1..], Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddTicketAgents();

var app = builder.Build();

app.MapDefaultEndpoints();
app.UseTicketAgents();

app.Run();
return 0;

// Internal so that the embedded host (Web) and the tests see only the Web's Program.
internal partial class Program;
