using AspireTickets.Domain.Privacy;
using AspireTickets.Ingestion.Enrichment;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.DependencyInjection;

namespace AspireTickets.Tests.Ingestion;

public class EnrichmentTests
{
    internal static PiiMasker Masker()
    {
        var services = new ServiceCollection();
        services.AddRedaction(r => r.AddTicketPiiRedactors());
        return new PiiMasker(services.BuildServiceProvider().GetRequiredService<IRedactorProvider>());
    }

    [Theory]
    [InlineData("en", "The invoice page is not loading since this morning and we cannot pay our customers.")]
    [InlineData("de", "Die Rechnungsseite lädt seit heute morgen nicht und wir können unsere Kunden nicht bezahlen.")]
    [InlineData("fr", "La page des factures ne se charge pas depuis ce matin et nous ne pouvons pas payer nos clients.")]
    [InlineData("es", "La página de facturas no carga desde esta mañana y no podemos pagar a nuestros clientes.")]
    [InlineData("pt", "A página de faturas não carrega desde esta manhã e não conseguimos pagar os nossos clientes.")]
    [InlineData("it", "La pagina delle fatture non si carica da stamattina e non possiamo pagare i nostri clienti.")]
    [InlineData("nl", "De factuurpagina laadt sinds vanochtend niet en we kunnen onze klanten niet betalen.")]
    public void Detects_the_seven_languages(string expected, string text) =>
        Assert.Equal(expected, new LanguageDetector().Detect(text));

    [Fact]
    public void Says_undetermined_when_there_is_no_evidence() =>
        Assert.Equal(LanguageDetector.Undetermined, new LanguageDetector().Detect("HTTP 503 0x80070005 v2.1"));

    [Theory]
    [InlineData("Thanks a lot, the fix works great!", "positive")]
    [InlineData("The app is completely broken and I am really frustrated!!!", "negative")]
    [InlineData("The export is not working.", "negative")]
    [InlineData("The report is generated every Monday.", "neutral")]
    [InlineData("Vielen Dank, funktioniert super!", "positive")]
    [InlineData("C'est inacceptable, tout est en panne.", "negative")]
    public void Scores_sentiment_within_bounds(string text, string label)
    {
        var (score, actual) = new SentimentAnalyzer().Analyze(text);
        Assert.Equal(label, actual);
        Assert.InRange(score, -1, 1);
    }

    [Fact]
    public void Negation_turns_praise_down() =>
        Assert.True(new SentimentAnalyzer().Analyze("This is not good").Score < 0);

    [Fact]
    public void Extracts_technical_entities()
    {
        const string text = """
            After upgrading to 10.0.15 the service at https://api.example.com/v1/orders?id=7 fails for ops@example.com.
            Host db-01.prod.internal (192.168.10.5, fe80::1ff:fe23:4567:890a) answers ORA-00942 and HTTP 502; HRESULT 0x80070005.
            Unhandled exception. System.InvalidOperationException: Sequence contains no elements
               at Shop.Orders.OrderService.Load(Guid id) in /src/Orders/OrderService.cs:line 42
            Traceback (most recent call last):
              File "/app/worker.py", line 17, in run
            java.lang.NullPointerException
                at com.acme.billing.Invoice.total(Invoice.java:88)
            """;

        var entities = new EntityExtractor().Extract(text);
        string[] Of(string kind) => entities.Where(e => e.Kind == kind).Select(e => e.Value).ToArray();

        Assert.Contains("ops@example.com", Of("email"));
        Assert.Contains("https://api.example.com/v1/orders?id=7", Of("url"));
        Assert.Contains("api.example.com", Of("hostname"));
        Assert.Contains("db-01.prod.internal", Of("hostname"));
        Assert.DoesNotContain("example.com", Of("hostname")); // only the mail domain
        Assert.Contains("192.168.10.5", Of("ip"));
        Assert.Contains("fe80::1ff:fe23:4567:890a", Of("ip"));
        Assert.Contains("10.0.15", Of("version"));
        Assert.DoesNotContain("192.168.10.5", Of("version"));
        Assert.Contains("ORA-00942", Of("error_code"));
        Assert.Contains("HTTP 502", Of("error_code"));
        Assert.Contains("0x80070005", Of("error_code"));
        Assert.Contains("System.InvalidOperationException", Of("exception"));
        Assert.Contains("java.lang.NullPointerException", Of("exception"));
        Assert.Contains("at Shop.Orders.OrderService.Load(Guid id) in /src/Orders/OrderService.cs:line 42", Of("stack_frame"));
        Assert.Contains("File \"/app/worker.py\", line 17, in run", Of("stack_frame"));
        Assert.Contains("at com.acme.billing.Invoice.total(Invoice.java:88)", Of("stack_frame"));
        Assert.DoesNotContain(Of("hostname"), h => h.Contains("system", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void Keywords_favour_the_title_and_skip_function_words()
    {
        var keywords = new KeywordExtractor().Extract("Printer offline", "The printer on floor three is offline again and the printer queue is stuck.");
        Assert.Equal("printer", keywords[0]);
        Assert.Contains("offline", keywords);
        Assert.DoesNotContain("the", keywords);
    }

    [Theory]
    [InlineData("Card 4111 1111 1111 1111 was charged twice", "Card [CARD] was charged twice")]
    [InlineData("Card 4111-1111-1111-1111 was charged", "Card [CARD] was charged")]
    [InlineData("Amex 378282246310005 ok", "Amex [CARD] ok")]
    public void Masks_Luhn_valid_card_numbers(string text, string expected) =>
        Assert.Equal(expected, Masker().Mask(text));

    [Theory]
    [InlineData("Order 4111 1111 1111 1112 is late")]
    [InlineData("Tracking 1234567890123456 is late")]
    public void Leaves_Luhn_invalid_numbers_alone(string text) =>
        Assert.DoesNotContain("[CARD]", Masker().Mask(text));

    [Theory]
    [InlineData("Pay to DE89 3704 0044 0532 0130 00 please", "Pay to [IBAN] please")]
    [InlineData("IBAN GB82WEST12345698765432.", "IBAN [IBAN].")]
    [InlineData("Conta PT50000201231234567890154", "Conta [IBAN]")]
    public void Masks_IBANs_with_a_valid_checksum(string text, string expected) =>
        Assert.Equal(expected, Masker().Mask(text));

    [Fact]
    public void Leaves_IBANs_with_a_wrong_checksum_alone() =>
        Assert.DoesNotContain("[IBAN]", Masker().Mask("Pay to DE89 3704 0044 0532 0130 01 please"));

    [Fact]
    public void Masks_contacts_addresses_and_secrets_but_not_versions_or_dates()
    {
        const string text = "Mail jane.doe@example.org or call +1 (415) 555-0132 / 030 1234567. Server 10.1.2.3 and 2001:db8::ff00:42:8329. " +
                            "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.abcdefghijk and api_key=sk_live_51Habcdefghijklmnop, AKIAIOSFODNN7EXAMPLE. " +
                            "Version 10.0.15 released 2026-03-02, ticket #58213.";

        var masked = Masker().Mask(text);

        Assert.Equal(
            "Mail [EMAIL] or call [PHONE] / [PHONE]. Server [IP] and [IP]. " +
            "Authorization: Bearer [SECRET] and api_key=[SECRET], [SECRET]. " +
            "Version 10.0.15 released 2026-03-02, ticket #58213.",
            masked);
    }

    [Theory]
    [InlineData("4111111111111111", true)]
    [InlineData("4111111111111112", false)]
    [InlineData("79927398713", false)] // Luhn-valid but too short for a card
    public void Luhn_check(string number, bool valid) => Assert.Equal(valid, PiiDetector.IsLuhnValid(number));
}
