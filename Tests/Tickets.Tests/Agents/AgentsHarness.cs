using AspireTickets.Agents.Extensions;
using AspireTickets.Agents.KnowledgeBase;
using AspireTickets.Agents.Similarity;
using AspireTickets.Agents.Workflow;
using AspireTickets.Domain.Events;
using AspireTickets.Domain.Storage;
using AspireTickets.Domain.Tickets;
using AspireTickets.Infrastructure.Events;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;

namespace AspireTickets.Tests.Agents;

/// <summary>
/// The Agents module alone on a fresh SQLite data folder, started as a host but without event consumption and without
/// the outbox dispatcher, so a test drives the workflow itself and finds the events it stored still in the outbox.
/// </summary>
public sealed class AgentsHarness : IAsyncDisposable
{
    private readonly IHost _host;

    private AgentsHarness(IHost host, string dataDirectory, FakeTimeProvider time)
    {
        _host = host;
        DataDirectory = dataDirectory;
        Time = time;
    }

    public string DataDirectory { get; }

    public FakeTimeProvider Time { get; }

    public static async Task<AgentsHarness> StartAsync(Dictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Testing", DisableDefaults = true });
        var dataDirectory = Path.Combine(Path.GetTempPath(), "aspiretickets-tests", Guid.NewGuid().ToString("n"));
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Tickets:DataDirectory"] = dataDirectory,
            ["Agents:Workflow:ConsumeEvents"] = "false",
            ["Agents:Workflow:RetryDelay"] = "00:00:00",
            // The sentence encoder has tests of its own (TriageEncoderTests); here it would only slow retrains down.
            ["Agents:Triage:Encoder"] = "None",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }
        builder.AddTicketAgents();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        builder.Services.AddSingleton<TimeProvider>(time);
        foreach (var dispatcher in builder.Services.Where(d => d.ImplementationType == typeof(OutboxDispatcher)).ToList())
        {
            builder.Services.Remove(dispatcher);
        }
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        var harness = new AgentsHarness(host, dataDirectory, time);
        await host.StartAsync(TestContext.Current.CancellationToken);
        await harness.Get<AgentsReadiness>().WaitAsync(TestContext.Current.CancellationToken);
        return harness;
    }

    public T Get<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    public ITicketStore Store => Get<ITicketStore>();
    public TicketWorkflow Workflow => Get<TicketWorkflow>();
    public TicketSimilarityIndex Index => Get<TicketSimilarityIndex>();
    public KnowledgeBase KnowledgeBase => Get<KnowledgeBase>();

    /// <summary>Stores a new ticket (and, unless <paramref name="index"/> is false, indexes it as the event handler would).</summary>
    public async Task<Ticket> CreateAsync(string title, string description, Action<Ticket>? shape = null, bool index = true)
    {
        var now = Time.GetUtcNow();
        var ticket = new Ticket { Title = title, Description = description, CreatedAt = now, UpdatedAt = now, SourceKey = $"test:{Guid.NewGuid():n}", Reporter = new Person("Casey", "casey@example.com") };
        shape?.Invoke(ticket);
        var audit = new AuditEntry { TicketId = ticket.Id, At = now, Actor = "api:tests", Field = "created", NewValue = ticket.SourceKey };
        var result = await Store.CreateAsync(ticket, new TicketChanges([audit], [TicketEvent.Create(TicketEventTypes.Created, ticket.Id, now)]), TestContext.Current.CancellationToken);
        if (index)
        {
            Index.Upsert(result.Ticket);
        }
        Time.Advance(TimeSpan.FromMinutes(1));
        return result.Ticket;
    }

    /// <summary>A ticket resolved by an agent's public answer (the passages resolutions are built from).</summary>
    public Task<Ticket> CreateResolvedAsync(string title, string description, string answer, string category = "account", TicketPriority priority = TicketPriority.High, TimeSpan? took = null) =>
        CreateAsync(title, description, t =>
        {
            t.Status = TicketStatus.Resolved;
            t.Category = category;
            t.Priority = priority;
            t.CreatedAt = Time.GetUtcNow() - (took ?? TimeSpan.FromHours(4));
            t.ResolvedAt = Time.GetUtcNow();
            t.Comments.Add(new TicketComment { Author = "agent.smith", IsPublic = true, Text = answer, CreatedAt = Time.GetUtcNow() });
        });

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
