using System.Text;
using AssetCompliance.Api.NetBox;
using AssetCompliance.Azure.Tables;
using AssetCompliance.Azure.Teams;
using AssetCompliance.Core.Alerting;
using AssetCompliance.Core.NetBox;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// Secrets never become text (docs/security.md): the pipeline runs with capturing loggers through delivery failures
/// and exceptions (a loopback Teams webhook answering errors that echo its URL, a webhook whose HTTP call throws with
/// its URL in the message, a sender that throws naming its target), and no webhook <c>sig</c>, path token or other
/// secret appears in any log line, exception or API answer; every type that holds one prints it redacted.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SecretLeakTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;

    // The loopback's URLs carry sig=SECRET-SIGNATURE; the others are set below.
    private static readonly string[] Secrets = ["SECRET-SIGNATURE", "HO-SIGNATURE", "PATH-SECRET", "PATH-TOKEN", "netbox-secret-0123456789", "AccountKey=c2VjcmV0"];

    private static readonly Uri HoWebhook = new("https://throws.example/workflows/ho/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers&sv=1.0&sig=HO-SIGNATURE");
    private static readonly Uri MojWebhook = new("https://outlook.office.com/webhook/PATH-SECRET@tenant/IncomingWebhook/PATH-TOKEN/owner");

    private LoopbackWebhook _webhook = null!;

    public async Task InitializeAsync() => _webhook = await LoopbackWebhook.StartAsync();

    public async Task DisposeAsync() => await _webhook.DisposeAsync();

    /// <summary>Fails the HTTP call to <see cref="HoWebhook"/>'s host as a resolver or proxy would, with the whole URL in the message.</summary>
    private sealed class ThrowingHost() : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            request.RequestUri!.Host == HoWebhook.Host
                ? throw new HttpRequestException($"Name or service not known ({request.RequestUri})")
                : base.SendAsync(request, cancellationToken);
    }

    /// <summary>A sender that throws for MOJ's own channel naming its target, as a careless library or a future change might.</summary>
    private sealed class ThrowingSender(IAlertSender inner) : IAlertSender
    {
        public Task<DeliveryResult> SendAsync(AlertTarget target, TeamsMessage message, SendEffort effort, CancellationToken cancellationToken) =>
            target.Name == "department:MOJ"
                ? throw new InvalidOperationException($"could not post to {target}")
                : inner.SendAsync(target, message, effort, cancellationToken);
    }

    [Fact]
    public async Task Through_delivery_failures_and_exceptions_no_secret_reaches_a_log_line_an_exception_or_an_API_answer()
    {
        var store = await azurite.CreateStoreAsync();
        var routing = new AlertingOptions
        {
            ApiBaseUrl = new Uri("https://compliance.example/api/"),
            CentralWebhook = _webhook.Url("central"),
            DepartmentWebhooks = { ["HO"] = HoWebhook, ["MOJ"] = MojWebhook },
        };
        var central = routing.CentralWebhook!.ToString();
        _webhook.Answer(500, body: $"upstream {central} failed");
        _webhook.Answer(503, body: "sig=SECRET-SIGNATURE refused");
        _webhook.Answer(400, body: $"flow disabled for {central}");
        _webhook.Answer(400, body: $"flow disabled for {central}");

        var dispatcherLog = new ListLogger<AlertDispatcher>();
        var processorLog = new ListLogger<AssetEventProcessor>();
        var sender = new ThrowingSender(new TeamsWebhookSender(new HttpClient(new ThrowingHost()), new TeamsSenderSettings { MinInterval = TimeSpan.Zero, RetryBase = TimeSpan.FromMilliseconds(10) }, TimeProvider.System));
        var dispatcher = new AlertDispatcher(store, store, sender, routing, new AlertCardBuilder(routing.ApiBaseUrl!),
            routing.ToDispatchSettings() with { GroupWindow = TimeSpan.Zero, RetryBase = TimeSpan.Zero }, TimeProvider.System, dispatcherLog);
        var intake = new AssetEventIntake(new AssetEventProcessor(TestEvents.Commands(store), store, processorLog), dispatcher);

        await intake.ProcessAsync([
            TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 1)),
            TestEvents.Message(TestEvents.Upsert("MOJ", "CAM-2", 1)),
            TestEvents.Message(TestEvents.Upsert("MOJ", "CAM-3", 1, deviceType: "Camera")), // a rejection too
        ], None);

        var thrown = new List<Exception>();
        for (var sweep = 0; sweep < 3; sweep++)
        {
            try
            {
                await dispatcher.DispatchAsync(None);
            }
            catch (Exception e)
            {
                thrown.Add(e);
            }
        }

        var api = TestEvents.StateApi(store);
        var answers = new List<string>();
        foreach (var query in new[] { "?status=failed&status=pending", "?status=failed", "?status=sent" })
        {
            answers.Add((await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal(), query), r => api.GetAlertsAsync(r, None))).Body);
        }

        answers.Add((await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal(), method: "POST"), r => api.RetryFailedAlertsAsync(r, None))).Body);
        answers.Add((await TestHttp.SendAsync(TestHttp.Request(TestEvents.Principal(), "?includeBody=true"), r => TestEvents.ComplianceApi(store).GetUnattributedRejectionsAsync(r, None))).Body);

        // The run really went through the failures: the secret URL was posted to, errors were logged, an exception was seen.
        Assert.NotEmpty(_webhook.Posts);
        var logged = dispatcherLog.Entries.Select(e => (e.Message, e.Exception)).Concat(processorLog.Entries.Select(e => (e.Message, e.Exception))).ToArray();
        Assert.Contains(logged, e => e.Exception is InvalidOperationException);
        Assert.Contains(logged, e => e.Message.Contains("department:MOJ", StringComparison.Ordinal) || (e.Exception?.Message.Contains("department:MOJ", StringComparison.Ordinal) ?? false));
        var outbox = (await store.GetOutboxEntriesAsync("HO", [OutboxState.Pending, OutboxState.Failed, OutboxState.Sending], None))
            .Concat(await store.GetOutboxEntriesAsync("MOJ", [OutboxState.Pending, OutboxState.Failed, OutboxState.Sending], None)).ToArray();
        Assert.NotEmpty(outbox);

        var texts = logged.Select(e => e.Message)
            .Concat(logged.Where(e => e.Exception is not null).Select(e => e.Exception!.ToString()))
            .Concat(thrown.Select(e => e.ToString()))
            .Concat(answers)
            .Concat(outbox.Select(e => $"{e.LastError} {string.Join(",", e.DeliveredTo)}"))
            .ToArray();
        Assert.Contains(texts, t => t.Contains("[url]", StringComparison.Ordinal) || t.Contains("[redacted]", StringComparison.Ordinal)); // the echoes were there, redacted
        foreach (var secret in Secrets)
        {
            Assert.DoesNotContain(texts, t => t.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public void Every_type_that_holds_a_secret_prints_it_redacted()
    {
        var target = new AlertTarget("department:HO", HoWebhook);
        var options = new AlertingOptions { CentralWebhook = MojWebhook, DepartmentWebhooks = { ["HO"] = HoWebhook } };
        var netBox = new NetBoxOptions { Secrets = { ["HO"] = "netbox-secret-0123456789" } };
        var storage = new TableStorageOptions { ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=c2VjcmV0;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1" };
        var texts = new[]
        {
            target.ToString(),
            new { Target = target }.ToString()!, // a value that holds one, formatted
            $"{new[] { target }.Select(t => t.ToString()).Single()}",
            (target with { Name = "central" }).ToString(),
            options.ToString(),
            netBox.ToString(),
            new NetBoxSecret("netbox-secret-0123456789").ToString(),
            storage.ToString(),
        };

        Assert.Equal("AlertTarget { Name = department:HO, Webhook = https://throws.example/[redacted] }", texts[0]);
        Assert.Contains("outlook.office.com/[redacted]", texts[4], StringComparison.Ordinal);
        Assert.Contains("HO = [redacted]", texts[5], StringComparison.Ordinal);
        foreach (var secret in Secrets)
        {
            Assert.DoesNotContain(texts, t => t.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }

        Assert.Equal(HoWebhook, target.Webhook); // the value itself is intact for the sender
        Assert.Equal(target, new AlertTarget("department:HO", HoWebhook)); // and equality still compares it
    }
    /// <summary>The local run's settings hold the Teams webhook and may hold a storage connection string with a key: a log of them shows neither.</summary>
    [Fact]
    public void The_local_run_s_settings_print_their_webhook_and_storage_redacted()
    {
        var settings = new AssetCompliance.Cli.RunCommand.Settings(["events.jsonl"], 7071,
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=c2VjcmV0;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1", false,
            TeamsWebhook: HoWebhook);

        var text = settings.ToString();

        Assert.Contains("throws.example/[redacted]", text, StringComparison.Ordinal);
        Assert.Contains("Port = 7071", text, StringComparison.Ordinal);
        foreach (var secret in Secrets)
        {
            Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal(HoWebhook, settings.TeamsWebhook);
    }
}
