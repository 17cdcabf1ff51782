using AspireTickets.Api.Extensions;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddTicketsApi();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapTicketsApi();

app.Run();
