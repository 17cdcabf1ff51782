namespace AspireTickets.Tests.AppHost;

public sealed class ConfigurationScannerTests
{
    private static readonly ConfigurationScanner Scanner = new(new Dictionary<string, string>
    {
        ["Tickets"] = "tickets",
        ["QdrantHttp"] = "qdrant_http",
    });

    private static IReadOnlyList<string> Keys(string source) =>
        Scanner.Scan([("Sample.cs", source)]).Select(r => r.IsPrefix ? r.EnvironmentKey + "…" : r.EnvironmentKey).ToList();

    [Fact]
    public void Finds_connection_names_through_the_constants() =>
        Assert.Equal(
            ["ConnectionStrings__tickets", "ConnectionStrings__qdrant_http"],
            Keys("""
                class C
                {
                    void M(IConfiguration c)
                    {
                        var store = c.GetConnectionString(ConnectionNames.Tickets);
                        var index = c[$"ConnectionStrings:{AspireTickets.Domain.ConnectionNames.QdrantHttp}"];
                    }
                }
                """));

    [Fact]
    public void Finds_literal_keys_and_service_discovery_addresses() =>
        Assert.Equal(
            ["ConnectionStrings__kafka", "ConnectionStrings__cache", "AWS__Resources__rawtickets__BucketName", "AWS__Resources__escalations__…", "services__api__…", "services__agents__…"],
            Keys("""
                class C
                {
                    void M(IConfiguration c, HttpClient h)
                    {
                        _ = c.GetConnectionString("kafka");
                        _ = c["ConnectionStrings:cache"];
                        _ = c["AWS:Resources:rawtickets:BucketName"];
                        _ = c.GetSection("AWS:Resources:escalations");
                        h.BaseAddress = new("https+http://api");
                        _ = c["services:agents:http:0"];
                    }
                }
                """));

    [Fact]
    public void Ignores_comments_other_strings_and_the_declaration_of_the_names()
    {
        Assert.Empty(Keys("""
            /// <summary>Reads <c>ConnectionStrings:tickets</c> and <c>AWS:Resources:rawtickets:BucketName</c>.</summary>
            class C
            {
                // "ConnectionStrings:kafka"
                const string Url = "https://example.com";
                const string Text = "tickets";
            }
            """));
        Assert.Empty(Keys("""
            public static class ConnectionNames
            {
                public const string Tickets = "tickets";
            }
            """));
    }

    [Fact]
    public void Reports_a_connection_name_that_is_not_defined() =>
        Assert.Equal(["ConnectionStrings__?Vectors"], Keys("class C { string s = ConnectionNames.Vectors; }"));

    [Fact]
    public void Reads_the_constants_of_ConnectionNames() =>
        Assert.Equal(
            new Dictionary<string, string> { ["Tickets"] = "tickets", ["Kafka"] = "kafka" },
            ConfigurationScanner.ReadConnectionNames([("N.cs", """
                namespace X;
                public static class ConnectionNames
                {
                    public const string Tickets = "tickets";
                    public const string Kafka = "kafka";
                    public static readonly string NotAConstant = "x";
                }
                """)]));
}
