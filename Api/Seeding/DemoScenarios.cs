using AspireTickets.Domain.Tickets;

namespace AspireTickets.Api.Seeding;

/// <summary>
/// Support situations of a fictional SaaS product ("Northwind Cloud"), written for this project's demo data.
/// Each scenario has how customers phrase it and how the team solved it, so the demo queue, the similar-ticket
/// search and the extractive resolutions all have something real-looking to work with.
/// </summary>
internal sealed record DemoScenario(
    string Category,
    TicketPriority Priority,
    string[] Titles,
    string Description,
    string Resolution,
    string[] Labels);

internal static class DemoScenarios
{
    public static readonly string[] Areas = ["billing portal", "dashboard", "reports module", "mobile app", "REST API", "SSO login", "data export", "notifications", "user management", "search"];
    public static readonly string[] Browsers = ["Chrome 131", "Firefox 133", "Safari 18", "Edge 131"];
    public static readonly string[] Organizations = ["Contoso Ltd", "Fabrikam Inc", "Tailspin Toys", "Wide World Importers", "Adventure Works", "Litware", "Proseware", "Woodgrove Bank", "Alpine Ski House", "Coho Winery", "Lucerne Publishing", "Trey Research"];
    public static readonly string[] FirstNames = ["Anna", "Ben", "Chloé", "Diego", "Emma", "Farid", "Greta", "Hiro", "Ines", "Jonas", "Kemal", "Lena", "Marta", "Noah", "Olga", "Pierre", "Quinn", "Rosa", "Sven", "Tanja"];
    public static readonly string[] LastNames = ["Berg", "Costa", "Dubois", "Eriksen", "Fischer", "García", "Hansen", "Ivanova", "Jensen", "Kowalski", "Lopez", "Müller", "Novak", "Olsen", "Petrov", "Rossi", "Schmidt", "Tanaka", "Vargas", "Weber"];
    public static readonly string[] Agents = ["alice", "bob", "carmen", "dmitri", "erin"];

    public static readonly DemoScenario[] All =
    [
        new("bug", TicketPriority.High,
            ["Export to CSV fails with error 500 in the {area}", "CSV export broken since this morning ({area})", "Cannot export data from {area}: server error"],
            "When I click Export > CSV in the {area} I get \"Internal Server Error (500)\" after about 30 seconds. It worked last week. Browser: {browser}. The export has roughly 80,000 rows. Other exports with fewer rows work.",
            "Large exports hit the 30-second request timeout. Steps: 1. Use Export > Schedule export instead of the direct download; the file is e-mailed when ready. 2. Or filter the view to fewer than 50,000 rows before exporting. We raised the timeout for exports in release 4.12.",
            ["export", "timeout"]),
        new("bug", TicketPriority.Medium,
            ["Dates shown one day off in the {area}", "Wrong date displayed for entries in {area}", "Timezone bug: due dates shifted by a day"],
            "All dates in the {area} are shown one day earlier than what we entered. Our users are in Sydney (UTC+11). Colleagues in Berlin see the correct date.",
            "The {area} used the browser offset at midnight UTC. Steps: 1. Open Settings > Organization > Time zone and set your organization's time zone explicitly. 2. Reload the page. The display fix shipped in 4.11.2; existing data is unaffected.",
            ["timezone", "display"]),
        new("bug", TicketPriority.Low,
            ["Typo on the {area} page", "Button label cut off in {area} on small screens", "Tooltip overlaps the menu in {area}"],
            "Minor UI issue in the {area}: the label of the primary button is cut off at 1280px width in {browser}. Screenshot attached.",
            "Confirmed as a layout issue in the {area}; fixed in the next UI release. Workaround: zoom the browser to 90%.",
            ["ui"]),
        new("bug", TicketPriority.High,
            ["Mobile app crashes on startup after update", "App closes immediately when opened (Android)", "iOS app crash after 5.2 update"],
            "Since updating the mobile app to 5.2 it crashes right after the splash screen. Reinstalling did not help. Device: Pixel 8 / iPhone 14. Several users in our team are affected.",
            "Version 5.2.0 crashed when an old offline cache was present. Steps: 1. Update to 5.2.1 from the store. 2. If it still crashes, go to the device settings > Apps > Northwind > Storage and clear the cache. 3. Sign in again.",
            ["mobile", "crash"]),
        new("incident", TicketPriority.Critical,
            ["Service down: {area} returns 503", "Outage - nobody can reach the {area}", "URGENT: production {area} unavailable"],
            "Our whole team gets \"503 Service Unavailable\" on the {area} since 08:40. This is blocking our month-end close. Please treat as urgent!",
            "A failed deployment left the {area} without healthy instances. Steps taken: 1. Rolled back to the previous release. 2. Verified health checks. 3. Monitored error rate for 30 minutes. Root cause analysis will be shared within 48 hours. Please retry; if you still see 503, clear your browser cache.",
            ["outage", "production"]),
        new("incident", TicketPriority.High,
            ["{area} extremely slow, pages take 20s", "Timeouts across the {area}", "Degraded performance in {area} for all users"],
            "Since about an hour every page of the {area} takes 15-20 seconds to load, and some requests time out. Status page shows all green.",
            "A database index was rebuilt during business hours, slowing queries. Steps: 1. The rebuild was stopped and rescheduled to the maintenance window. 2. Response times returned to normal within 10 minutes. 3. We added an alert on p95 latency so this is caught before customers notice.",
            ["latency", "production"]),
        new("account", TicketPriority.High,
            ["Cannot log in via SSO", "SSO login loop, cannot sign in", "Locked out after enabling single sign-on"],
            "After our admin enabled SSO (Azure AD / Entra ID), users end up in a redirect loop between the login page and Microsoft. Error in the URL: AADSTS50011 reply URL mismatch.",
            "The reply URL registered in your identity provider did not match. Steps: 1. In Entra ID, open the Northwind enterprise application > Single sign-on. 2. Set the Reply URL to https://login.northwind.example/sso/callback exactly (no trailing slash). 3. Save and ask users to sign in again in a private window.",
            ["sso", "login"]),
        new("account", TicketPriority.Medium,
            ["Password reset e-mail never arrives", "Reset link not received", "No password reset mail"],
            "I requested a password reset three times but no e-mail arrives, also not in spam. My address is in the user list.",
            "Reset mails were blocked by the company mail filter. Steps: 1. Ask your IT team to allow mail from no-reply@northwind.example. 2. Request a new reset link (links expire after 60 minutes). 3. Alternatively an admin can set a temporary password under User management.",
            ["password", "email"]),
        new("account", TicketPriority.Low,
            ["Please add a new user to our account", "Change the account owner", "Rename our organization"],
            "We need to transfer the account ownership from our former manager to me. How can I do that?",
            "Ownership can be transferred by the current owner or by support after verification. Steps: 1. The current owner opens Settings > Organization > Owner and selects the new owner. 2. If the owner has left, send us a signed request from an admin and we transfer it within one business day.",
            ["users"]),
        new("billing", TicketPriority.Medium,
            ["Charged twice this month", "Duplicate invoice for {month}", "Double charge on credit card"],
            "Our credit card was charged twice for the {month} subscription (same amount, same day). Please refund one charge.",
            "A payment retry created a second charge. Steps: 1. We refunded the duplicate charge; it appears on your statement within 5-10 business days. 2. The invoice list in the billing portal now shows one paid invoice. No action needed from you.",
            ["invoice", "refund"]),
        new("billing", TicketPriority.Low,
            ["Need VAT number on invoices", "Change billing address", "Invoice should show our PO number"],
            "Our accounting requires our VAT ID and purchase order number on every invoice. Where can I add them?",
            "Steps: 1. Open the billing portal > Billing details. 2. Enter the VAT ID and the PO number in the fields provided. 3. Future invoices include them; to reissue past invoices, reply with the invoice numbers.",
            ["invoice"]),
        new("feature", TicketPriority.Low,
            ["Feature request: dark mode for the {area}", "Please add keyboard shortcuts to {area}", "Request: bulk edit in the {area}"],
            "It would help our team a lot if the {area} supported bulk editing of entries. Today we have to change 200 rows one by one.",
            "Thanks for the suggestion; it is on the roadmap. Meanwhile: 1. Use the CSV import with the update mode to change many rows at once. 2. Filter the view, select all and use Actions > Assign for assignment changes.",
            ["roadmap"]),
        new("feature", TicketPriority.Medium,
            ["Webhook for new entries in {area}", "API endpoint to list archived items", "Integration with Slack notifications"],
            "We want to be notified in our own system whenever something changes in the {area}. Is there a webhook or an API we can poll?",
            "Webhooks are available. Steps: 1. Open Settings > Integrations > Webhooks. 2. Add your endpoint URL and choose the events. 3. Verify the X-Signature header with your secret. See the API reference for the payload format.",
            ["api", "integration"]),
        new("question", TicketPriority.Low,
            ["How do I schedule a report?", "Where can I change the language?", "Question about data retention"],
            "Is it possible to get the weekly report sent by e-mail automatically every Monday?",
            "Yes. Steps: 1. Open the report in the reports module. 2. Click Schedule, choose weekly on Monday and add the recipients. 3. Save; the first mail goes out next Monday at 07:00 in your organization's time zone.",
            ["how-to"]),
        new("question", TicketPriority.Low,
            ["How to connect the REST API with a token", "What are the API rate limits?", "Which IP addresses does the service use?"],
            "We are building an integration. How do we authenticate against the REST API, and what limits apply?",
            "Steps: 1. Create an API token under Settings > API tokens (admins only). 2. Send it in the Authorization header as a bearer token. 3. Limits are 600 requests per minute per token; responses include X-RateLimit-Remaining.",
            ["api", "how-to"]),
        new("security", TicketPriority.Critical,
            ["Suspicious logins from unknown country", "Possible account compromise", "Security: API token leaked in public repo"],
            "We noticed logins to an admin account from an IP in a country where we have no staff. We did not authorize this. Please help immediately.",
            "Steps taken: 1. We revoked all sessions and API tokens of the affected account. 2. Please reset the password and enforce two-factor authentication for all admins under Settings > Security. 3. Review the audit log export we sent for other unusual activity. Contact us if you find anything else.",
            ["security", "2fa"]),
        new("security", TicketPriority.Medium,
            ["Request for SOC 2 report", "Questions for our security questionnaire", "Do you support IP allow-listing?"],
            "Our security team needs your latest SOC 2 Type II report and answers to a short questionnaire before renewal.",
            "Steps: 1. Request the SOC 2 report from the trust portal (NDA required). 2. Most questionnaire answers are in the security whitepaper. 3. IP allow-listing is available on the Enterprise plan under Settings > Security.",
            ["compliance"]),
        new("performance", TicketPriority.Medium,
            ["Search in {area} is very slow", "Dashboard takes a minute to load", "Reports time out for large date ranges"],
            "Searching in the {area} takes 30+ seconds when we search over all years. With a smaller date range it is fast.",
            "Unbounded searches scan all history. Steps: 1. Limit the date range to the last 12 months (the default). 2. Use the saved filters, which are indexed. 3. For yearly analysis, use the data export instead of live search.",
            ["search", "latency"]),
    ];
}
