namespace AspireTickets.Tests.Ingestion;

/// <summary>Deliveries shaped like each vendor's documented webhook bodies.</summary>
public static class Payloads
{
    // Jira Cloud, REST v3 shape: description is an Atlassian Document Format document.
    public static string JiraIssueCreated(string key = "SHOP-42", string priority = "Highest", string summary = "Checkout fails with HTTP 503 for customers in Köln") => $$"""
    {
      "timestamp": 1772445302000,
      "webhookEvent": "jira:issue_created",
      "issue_event_type_name": "issue_created",
      "user": { "accountId": "5b10a2844c20165700ede21g", "displayName": "Jürgen Müller", "emailAddress": "juergen.mueller@example.de" },
      "issue": {
        "id": "10042",
        "self": "https://example.atlassian.net/rest/api/3/issue/10042",
        "key": "{{key}}",
        "fields": {
          "summary": "{{summary}}",
          "issuetype": { "id": "10004", "name": "Bug" },
          "project": { "id": "10000", "key": "SHOP", "name": "Webshop" },
          "priority": { "id": "1", "name": "{{priority}}" },
          "status": { "name": "To Do", "statusCategory": { "key": "new", "name": "To Do" } },
          "labels": ["checkout", "payments"],
          "components": [{ "id": "10100", "name": "Payment Gateway" }],
          "reporter": { "accountId": "5b10a2844c20165700ede21g", "displayName": "Jürgen Müller", "emailAddress": "juergen.mueller@example.de" },
          "created": "2026-03-02T09:15:02.000+0100",
          "updated": "2026-03-02T09:15:02.000+0100",
          "description": {
            "version": 1,
            "type": "doc",
            "content": [
              { "type": "paragraph", "content": [
                { "type": "text", "text": "Since the deploy of " },
                { "type": "text", "text": "v2.14.1", "marks": [{ "type": "code" }] },
                { "type": "text", "text": " the checkout at " },
                { "type": "text", "text": "https://shop.example.com/checkout", "marks": [{ "type": "link", "attrs": { "href": "https://shop.example.com/checkout" } }] },
                { "type": "text", "text": " returns an error. " },
                { "type": "mention", "attrs": { "id": "5b10ac8d82e05b22cc7d4ef5", "text": "@Ana Souza" } },
                { "type": "text", "text": " please have a look." }
              ]},
              { "type": "heading", "attrs": { "level": 3 }, "content": [{ "type": "text", "text": "Steps" }] },
              { "type": "orderedList", "content": [
                { "type": "listItem", "content": [{ "type": "paragraph", "content": [{ "type": "text", "text": "Add any item to the cart" }] }] },
                { "type": "listItem", "content": [{ "type": "paragraph", "content": [{ "type": "text", "text": "Pay with card" }] }] }
              ]},
              { "type": "codeBlock", "attrs": { "language": "text" }, "content": [{ "type": "text", "text": "System.TimeoutException: The operation has timed out.\n   at Shop.Payments.GatewayClient.ChargeAsync(Order order) in /src/Payments/GatewayClient.cs:line 88" }] },
              { "type": "paragraph", "content": [{ "type": "text", "text": "Gateway host: pay-gw.internal (10.20.30.40)" }, { "type": "hardBreak" }, { "type": "emoji", "attrs": { "shortName": ":fire:", "text": "🔥" } }] }
            ]
          }
        }
      }
    }
    """;

    public static string JiraIssueUpdated(string key = "SHOP-42", string priority = "High", string statusCategory = "indeterminate", string summary = "Checkout fails with HTTP 503 for customers in Köln") => $$"""
    {
      "timestamp": 1772449000000,
      "webhookEvent": "jira:issue_updated",
      "issue_event_type_name": "issue_generic",
      "issue": {
        "id": "10042",
        "key": "{{key}}",
        "fields": {
          "summary": "{{summary}}",
          "issuetype": { "name": "Bug" },
          "project": { "key": "SHOP", "name": "Webshop" },
          "priority": { "name": "{{priority}}" },
          "status": { "name": "In Progress", "statusCategory": { "key": "{{statusCategory}}", "name": "In Progress" } },
          "labels": ["checkout", "payments"],
          "components": [{ "name": "Payment Gateway" }],
          "created": "2026-03-02T09:15:02.000+0100",
          "description": "Since the deploy the checkout returns an error."
        }
      },
      "changelog": { "id": "10400", "items": [{ "field": "priority", "fromString": "Highest", "toString": "{{priority}}" }] }
    }
    """;

    public static string JiraCommentCreated(string key = "SHOP-42", string commentId = "10077") => $$"""
    {
      "timestamp": 1772449500000,
      "webhookEvent": "comment_created",
      "comment": {
        "id": "{{commentId}}",
        "author": { "displayName": "Ana Souza", "emailAddress": "ana.souza@example.com" },
        "body": { "type": "doc", "version": 1, "content": [{ "type": "paragraph", "content": [{ "type": "text", "text": "Rolled back the gateway client to 2.13.9, watching the error rate." }] }] },
        "created": "2026-03-02T10:05:00.000+0100",
        "jsdPublic": true
      },
      "issue": {
        "id": "10042",
        "key": "{{key}}",
        "fields": { "summary": "Checkout fails with HTTP 503 for customers in Köln", "priority": { "name": "High" }, "created": "2026-03-02T09:15:02.000+0100" }
      }
    }
    """;

    // Zendesk ticket events (zendesk_event_version 2022-11-06).
    public static string ZendeskTicketCreated(string id = "35436", string subject = "Rechnung doppelt abgebucht – bitte dringend prüfen", string priority = "URGENT") => $$"""
    {
      "account_id": 22129848,
      "detail": {
        "actor_id": "8447388090494",
        "assignee_id": null,
        "brand_id": "8447346621310",
        "created_at": "2026-03-02T09:40:11Z",
        "custom_status": "8447388086654",
        "description": "Hallo, meine Kreditkarte 4111 1111 1111 1111 wurde für die Bestellung 58213 zweimal belastet. Ich bin wirklich enttäuscht. Bitte erstatten Sie den Betrag auf mein Konto DE89 3704 0044 0532 0130 00. Telefon: +49 30 1234567",
        "external_id": null,
        "form_id": "8447388089854",
        "group_id": "8447388083710",
        "id": "{{id}}",
        "is_public": true,
        "organization_id": "8447388082174",
        "priority": "{{priority}}",
        "requester_id": "8447388090494",
        "status": "NEW",
        "subject": "{{subject}}",
        "submitter_id": "8447388090494",
        "tags": ["billing", "refund"],
        "type": "INCIDENT",
        "updated_at": "2026-03-02T09:40:11Z",
        "via": { "channel": "web_service" }
      },
      "event": {},
      "id": "cbe4028c-7239-495d-b020-f22348516046",
      "subject": "zen:ticket:{{id}}",
      "time": "2026-03-02T09:40:11.873Z",
      "type": "zen:event-type:ticket.created",
      "zendesk_event_version": "2022-11-06"
    }
    """;

    public static string ZendeskCommentAdded(string id = "35436", string commentId = "90001") => $$"""
    {
      "account_id": 22129848,
      "detail": { "id": "{{id}}", "subject": "Rechnung doppelt abgebucht – bitte dringend prüfen", "description": "Hallo, …", "priority": "URGENT", "status": "OPEN", "created_at": "2026-03-02T09:40:11Z", "tags": ["billing"] },
      "event": { "comment": { "id": "{{commentId}}", "body": "Wir haben die doppelte Buchung storniert. Vielen Dank für Ihre Geduld!", "is_public": true, "author": { "id": "900", "name": "Lena (Support)", "is_staff": true } } },
      "id": "1a2b3c4d-0000-4000-8000-000000000001",
      "subject": "zen:ticket:{{id}}",
      "time": "2026-03-02T09:55:00Z",
      "type": "zen:event-type:ticket.comment_added",
      "zendesk_event_version": "2022-11-06"
    }
    """;

    // Alertmanager webhook, version 4.
    public static string Alertmanager(string status = "firing", string fingerprint = "a3f2c9e01b7d4e55", string startsAt = "2026-03-02T09:58:00Z", string endsAt = "0001-01-01T00:00:00Z") => $$"""
    {
      "version": "4",
      "groupKey": "{}:{alertname=\"HighErrorRate\"}",
      "truncatedAlerts": 0,
      "status": "{{status}}",
      "receiver": "tickets",
      "groupLabels": { "alertname": "HighErrorRate" },
      "commonLabels": { "alertname": "HighErrorRate", "severity": "critical", "service": "checkout" },
      "commonAnnotations": { "summary": "Checkout 5xx rate above 5%" },
      "externalURL": "http://alertmanager.monitoring.svc:9093",
      "alerts": [
        {
          "status": "{{status}}",
          "labels": { "alertname": "HighErrorRate", "severity": "critical", "service": "checkout", "instance": "checkout-7d9f:8080" },
          "annotations": { "summary": "Checkout 5xx rate above 5%", "description": "5xx ratio is 12.5% on checkout-7d9f:8080 for 5 minutes.", "runbook_url": "https://runbooks.example.com/checkout/high-error-rate" },
          "startsAt": "{{startsAt}}",
          "endsAt": "{{endsAt}}",
          "generatorURL": "http://prometheus.monitoring.svc:9090/graph?g0.expr=rate",
          "fingerprint": "{{fingerprint}}"
        }
      ]
    }
    """;

    // Sentry issue alert (Sentry-Hook-Resource: event_alert).
    public static string SentryEventAlert(string issueId = "1170820242", string eventId = "e4874d664c3540c1a32eab185f12c5ab", string datetime = "2026-03-02T09:50:12.345Z") => $$"""
    {
      "action": "triggered",
      "installation": { "uuid": "a8e5d37a-696c-4c54-adb5-b3f28d64c7de" },
      "data": {
        "event": {
          "event_id": "{{eventId}}",
          "issue_id": "{{issueId}}",
          "project": 1,
          "platform": "python",
          "title": "ZeroDivisionError: division by zero",
          "culprit": "billing.invoices in compute_tax",
          "level": "error",
          "datetime": "{{datetime}}",
          "environment": "production",
          "release": "billing@3.4.0",
          "message": "",
          "tags": [["environment", "production"], ["level", "error"], ["release", "billing@3.4.0"]],
          "user": { "id": "42", "email": "maria.rossi@example.it" },
          "exception": {
            "values": [
              {
                "type": "ZeroDivisionError",
                "value": "division by zero",
                "module": "builtins",
                "stacktrace": {
                  "frames": [
                    { "filename": "billing/api.py", "abs_path": "/app/billing/api.py", "function": "create_invoice", "module": "billing.api", "lineno": 57, "in_app": true },
                    { "filename": "billing/invoices.py", "abs_path": "/app/billing/invoices.py", "function": "compute_tax", "module": "billing.invoices", "lineno": 112, "in_app": true }
                  ]
                }
              }
            ]
          },
          "web_url": "https://sentry.io/organizations/acme/issues/{{issueId}}/events/{{eventId}}/",
          "issue_url": "https://sentry.io/api/0/issues/{{issueId}}/"
        },
        "triggered_rule": "Billing errors"
      },
      "actor": { "type": "application", "id": "sentry", "name": "Sentry" }
    }
    """;

    public static string SentryIssue(string action = "resolved", string issueId = "1170820242") => $$"""
    {
      "action": "{{action}}",
      "installation": { "uuid": "a8e5d37a-696c-4c54-adb5-b3f28d64c7de" },
      "data": {
        "issue": {
          "id": "{{issueId}}",
          "shortId": "BILLING-1Z",
          "title": "ZeroDivisionError: division by zero",
          "culprit": "billing.invoices in compute_tax",
          "level": "error",
          "status": "{{(action == "resolved" ? "resolved" : "unresolved")}}",
          "platform": "python",
          "firstSeen": "2026-03-02T09:50:12.345Z",
          "project": { "id": "1", "name": "Billing", "slug": "billing" },
          "metadata": { "type": "ZeroDivisionError", "value": "division by zero", "filename": "billing/invoices.py", "function": "compute_tax" },
          "web_url": "https://sentry.io/organizations/acme/issues/{{issueId}}/"
        }
      },
      "actor": { "type": "user", "id": "1", "name": "Maria Rossi" }
    }
    """;

    public static string HtmlEmail(string messageId = "CAF=1234.abcd@mail.example.fr") => $$"""
    From: =?UTF-8?Q?Ren=C3=A9e_Lef=C3=A8vre?= <renee.lefevre@example.fr>
    To: support@acme.example
    Subject: =?UTF-8?Q?Impossible_de_t=C3=A9l=C3=A9charger_la_facture?=
    Date: Mon, 02 Mar 2026 10:12:00 +0100
    Message-ID: <{{messageId}}>
    MIME-Version: 1.0
    Content-Type: multipart/mixed; boundary="outer"

    --outer
    Content-Type: text/html; charset="utf-8"
    Content-Transfer-Encoding: quoted-printable

    <html><head><style>p { color: red; }</style></head><body>
    <p>Bonjour,</p>
    <p>Depuis ce matin, je ne peux pas t=C3=A9l=C3=A9charger ma facture. Le lien <a href=3D"https://portal.example.fr/invoices/2026-02">facture de f=C3=A9vrier</a> renvoie une erreur 500.</p>
    <ul><li>Navigateur&nbsp;: Firefox 123.0</li><li>Compte&nbsp;: 88123</li></ul>
    <p>Merci d&#39;avance,<br>Ren=C3=A9e</p>
    <script>alert('x')</script>
    </body></html>
    --outer
    Content-Type: image/png; name="capture.png"
    Content-Disposition: attachment; filename="capture.png"
    Content-Transfer-Encoding: base64

    iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==
    --outer--
    """.Replace("\n", "\r\n");

    public static string EmailReply(string messageId, string inReplyTo, string references, string from = "renee.lefevre@example.fr") => $"""
    From: Renée Lefèvre <{from}>
    To: support@acme.example
    Subject: Re: Impossible de télécharger la facture
    Date: Mon, 02 Mar 2026 11:30:00 +0100
    Message-ID: <{messageId}>
    In-Reply-To: <{inReplyTo}>
    References: {references}
    MIME-Version: 1.0
    Content-Type: text/plain; charset="utf-8"
    Content-Transfer-Encoding: 8bit

    Cela fonctionne maintenant, merci beaucoup !

    Le lun. 2 mars 2026 à 10:45, Support <support@acme.example> a écrit :
    > Bonjour Renée, nous avons corrigé le lien.
    > Cordialement
    """.Replace("\n", "\r\n");
}
