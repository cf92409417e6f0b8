using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.Json;
using AssetCompliance.Api;
using AssetCompliance.Azure.Emulator;
using AssetCompliance.Azure.ServiceBus;
using AssetCompliance.Azure.Tables;
using AssetCompliance.Cli;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;
using AssetCompliance.Functions;
using Azure;
using Azure.Data.Tables;
using Azure.Messaging.ServiceBus;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// With storage down, every route answers 503 with an RFC 9457 problem and Retry-After, in both hosts, through the one
/// handler (<see cref="ApiHandler"/>), with one warning line per request and no stack trace; only health answers with
/// its own body. Storage that is really not there: a closed loopback port, an Azurite that was stopped, a loopback
/// server that answers an outage status. Service Bus cannot run here, so its boundary (the sender) throws instead.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageOutageTests(AzuriteFixture azurite)
{
    private const string StorageUnavailable = "https://asset-compliance/problems/storage-unavailable";
    private const string QueueUnavailable = "https://asset-compliance/problems/queue-unavailable";

    private static string Exemption() => $"{{\"reason\":\"Replacement ordered\",\"approver\":\"SIRO\",\"expiresAt\":\"{DateTimeOffset.UtcNow.AddDays(30):yyyy-MM-dd'T'HH:mm:ss'Z'}\"}}";

    private static string Plan() => $"{{\"action\":\"replace\",\"dueDate\":\"{DateTimeOffset.UtcNow.AddDays(30):yyyy-MM-dd}\",\"owner\":\"Estates\",\"state\":\"planned\",\"notes\":null}}";

    private static HttpFunctions Functions(StateStores store, ApiHandler handler, IAssetEventPublisher? publisher = null) =>
        new(handler, TestEvents.ComplianceApi(store), TestEvents.StateApi(store), new AssetListApi(store, TestEvents.Authorizer()),
            new IngestionApi(publisher ?? new LocalProcessingPublisher(() => TestEvents.Intake(store), TimeProvider.System), TestEvents.Authorizer()),
            TestEvents.RegisterApi(store), ProgressKit.Api(store), TestEvents.RemediationApi(store));

    private sealed record Answer(int Status, string ContentType, string? RetryAfter, JsonElement Body);

    /// <summary>Calls a function method as the worker would: the request, and its route values by parameter name.</summary>
    private static async Task<Answer> InvokeAsync(HttpFunctions functions, MethodInfo function, string query = "", string? body = null, string? accept = null)
    {
        var trigger = function.GetParameters()[0].GetCustomAttribute<HttpTriggerAttribute>()!;
        var request = TestHttp.Request(TestEvents.Principal(), query, trigger.Methods![0].ToUpperInvariant(), body is null ? null : Encoding.UTF8.GetBytes(body), accept: accept);
        request.Path = "/api/" + trigger.Route!.Replace("{department}", "HO", StringComparison.Ordinal).Replace("{assetId}", "CAM-1", StringComparison.Ordinal);
        var arguments = function.GetParameters().Select(p => p.Name switch
        {
            "request" => (object)request,
            "department" => "HO",
            "assetId" => "CAM-1",
            _ => throw new InvalidOperationException($"{function.Name} has a parameter {p.Name} this test does not know"),
        }).ToArray();
        var result = function.Invoke(functions, arguments) switch
        {
            Task<IActionResult> task => await task,
            IActionResult done => done,
            var other => throw new InvalidOperationException($"{function.Name} returned {other}"),
        };
        var context = request.HttpContext;
        await result.ExecuteResultAsync(new ActionContext(context, new RouteData(), new Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor()));
        var text = Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());
        return new Answer(context.Response.StatusCode, context.Response.ContentType ?? "", context.Response.Headers.RetryAfter.ToString() is { Length: > 0 } r ? r : null,
            text.Length > 0 && text[0] == '{' ? JsonDocument.Parse(text).RootElement.Clone() : default);
    }

    private static IEnumerable<MethodInfo> HttpFunctionMethods() =>
        typeof(HttpFunctions).GetMethods().Where(m => m.GetParameters().FirstOrDefault()?.GetCustomAttribute<HttpTriggerAttribute>() is not null);

    private static void AssertUnavailable(Answer answer, string type, string what)
    {
        Assert.True(answer.Status == 503, $"{what}: {answer.Status} {answer.Body}");
        Assert.StartsWith("application/problem+json", answer.ContentType);
        Assert.Equal(type, answer.Body.GetProperty("type").GetString());
        Assert.Equal(503, answer.Body.GetProperty("status").GetInt32());
        Assert.Equal("10", answer.RetryAfter);
    }

    /// <summary>
    /// Every HTTP trigger of the function app, found by reflection so that a new route cannot be left out, against a
    /// store on a closed loopback port: 503 storage-unavailable with Retry-After for each route that reaches storage
    /// (reads, the list, the CSV export, writes, ingestion processed locally), health's own 503, and the two routes
    /// that need no storage still answer. One warning per failed request, one line each, without an exception.
    /// </summary>
    [Fact]
    public async Task Every_function_route_that_needs_storage_answers_503_with_a_problem_when_storage_is_down()
    {
        var store = TestEvents.UnreachableStore(HealthTests.ClosedLoopbackPort());
        var logger = new ListLogger<ApiHandler>();
        var functions = Functions(store, new ApiHandler(logger));
        var unavailable = 0;
        foreach (var function in HttpFunctionMethods())
        {
            var route = function.GetParameters()[0].GetCustomAttribute<HttpTriggerAttribute>()!.Route;
            var verb = function.GetParameters()[0].GetCustomAttribute<HttpTriggerAttribute>()!.Methods![0];
            var body = (route, verb) switch
            {
                (ApiRoutes.AssetEvents, _) => TestEvents.Upsert("HO", "CAM-1", 1),
                (ApiRoutes.Exemptions, "post") => Exemption(),
                (ApiRoutes.ExemptionApproval, _) => "{}",
                (ApiRoutes.ExemptionRefusal, _) => "{\"reason\":\"not justified\"}",
                (ApiRoutes.ResetRevision, _) => "{\"reason\":\"Revision sent by mistake\"}",
                (ApiRoutes.Remediation, "put") => Plan(),
                _ => null,
            };
            var answer = await InvokeAsync(functions, function, route == ApiRoutes.VendorLookup ? "?manufacturer=Hikvision" : "", body);
            switch (function.Name)
            {
                case nameof(HttpFunctions.OpenApiDocument) or nameof(HttpFunctions.LookupVendor):
                    Assert.Equal(200, answer.Status);
                    break;
                case nameof(HttpFunctions.Health):
                    AssertUnavailable(answer, StorageUnavailable, function.Name);
                    Assert.Equal("unhealthy", answer.Body.GetProperty("health").GetString());
                    break;
                default:
                    AssertUnavailable(answer, StorageUnavailable, function.Name);
                    Assert.Contains(HttpMethods.IsGet(verb) ? "Nothing was changed" : "may or may not have been carried out", answer.Body.GetProperty("detail").GetString());
                    Assert.DoesNotContain("127.0.0.1", answer.Body.ToString()); // the reason is for the log
                    unavailable++;
                    break;
            }
        }

        var export = await InvokeAsync(functions, typeof(HttpFunctions).GetMethod(nameof(HttpFunctions.ListAssets))!, accept: "text/csv");
        AssertUnavailable(export, StorageUnavailable, "CSV export");
        unavailable++;

        Assert.True(unavailable >= 16, $"{unavailable}");
        Assert.Equal(unavailable, logger.Entries.Count);
        Assert.All(logger.Entries, e =>
        {
            Assert.Equal((LogLevel.Warning, 53, null), (e.Level, e.EventId, e.Exception));
            Assert.DoesNotContain('\n', e.Message);
            Assert.Contains("Table Storage is unavailable", e.Message);
            Assert.Contains("refused", e.Message, StringComparison.OrdinalIgnoreCase);
        });
        Assert.Contains(logger.Entries, e => e.Message.StartsWith("POST /api/departments/HO/assets/CAM-1/exemptions: Table Storage is unavailable (", StringComparison.Ordinal));
        Assert.Contains(logger.Entries, e => e.Message.StartsWith("GET /api/departments/HO/assets: ", StringComparison.Ordinal));
    }

    /// <summary>
    /// The local run's own routes over Kestrel, with the production retries, after the Azurite it was using is stopped:
    /// a read, the list, the CSV export, a summary, writes and ingestion all answer 503 problems with Retry-After;
    /// health answers its 503 body; and an unknown parameter on health is still a 400, checked before storage.
    /// </summary>
    [Fact]
    public async Task When_its_Azurite_stops_the_local_run_answers_503_problems_on_reads_lists_exports_and_writes()
    {
        var emulator = await AzuriteProcess.StartAsync(RepositoryPaths.Root, progress: null, CancellationToken.None);
        var stopped = false;
        var file = Path.Combine(Directory.CreateTempSubdirectory("outage-").FullName, "events.jsonl");
        await File.WriteAllLinesAsync(file, [TestEvents.Upsert("HO", "CAM-1", 1), TestEvents.Upsert("HO", "CAM-2", 1, manufacturer: "Axis")]);
        var port = LocalRunTests.FreePort();
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var output = new StringWriter();
        var settings = new RunCommand.Settings([file], port, emulator.ConnectionString, Verbose: false, AlertsDir: Directory.CreateTempSubdirectory("alerts-").FullName);
        var run = Task.Run(() => new RunCommand(TextWriter.Synchronized(output)).ExecuteAsync(settings, cancel.Token));
        try
        {
            using var http = new HttpClient(new ValidatingHandler()) { BaseAddress = new Uri($"http://127.0.0.1:{port}/api/"), Timeout = TimeSpan.FromMinutes(2) };
            await LocalRunTests.WaitUntilServingAsync(http, run, output);
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("departments/HO/assets/CAM-1")).StatusCode);

            await emulator.DisposeAsync();
            stopped = true;

            var requests = new (HttpMethod Method, string Path, string? Body, string? Accept)[]
            {
                (HttpMethod.Get, "departments/HO/assets/CAM-1", null, null),
                (HttpMethod.Get, "departments/HO/assets?status=NonCompliant", null, null),
                (HttpMethod.Get, "departments/HO/assets", null, "text/csv"),
                (HttpMethod.Get, "departments/HO/assets?format=csv", null, null),
                (HttpMethod.Get, "departments/HO/summary", null, null),
                (HttpMethod.Get, "alerts?status=failed&status=pending", null, null),
                (HttpMethod.Post, "departments/HO/assets/CAM-1/exemptions", Exemption(), null),
                (HttpMethod.Post, "departments/HO/asset-events", TestEvents.Upsert("HO", "CAM-3", 1), null),
                (HttpMethod.Post, "admin/departments/HO/assets/CAM-1/reset-revision", "{\"reason\":\"mistake\",\"requestId\":\"r-1\"}", null),
                (HttpMethod.Put, "departments/HO/assets/CAM-1/remediation", Plan(), null),
            };
            // In parallel: each one waits out the data client's retries (a few seconds) on its own. (A revoke is not
            // among them: the processing path's record cache knows CAM-1 has no exemption, and answers 409 without storage.)
            var answers = await Task.WhenAll(requests.Select(async r =>
            {
                using var message = new HttpRequestMessage(r.Method, r.Path);
                if (r.Body is not null) message.Content = new StringContent(r.Body, Encoding.UTF8, "application/json");
                if (r.Accept is not null) message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(r.Accept));
                using var response = await http.SendAsync(message);
                var text = await response.Content.ReadAsStringAsync();
                return (Request: $"{r.Method} {r.Path}", response.StatusCode, ContentType: response.Content.Headers.ContentType?.MediaType, response.Headers.RetryAfter?.Delta, Text: text);
            }));

            foreach (var answer in answers)
            {
                Assert.True(answer.StatusCode == HttpStatusCode.ServiceUnavailable, $"{answer.Request}: {(int)answer.StatusCode} {answer.Text}");
                Assert.Equal("application/problem+json", answer.ContentType);
                Assert.Equal(TimeSpan.FromSeconds(10), answer.Delta);
                Assert.Equal(StorageUnavailable, JsonDocument.Parse(answer.Text).RootElement.GetProperty("type").GetString());
            }

            var health = await http.GetAsync("health");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
            Assert.Equal("application/problem+json", health.Content.Headers.ContentType?.MediaType);
            Assert.Equal("unhealthy", JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement.GetProperty("health").GetString());
            Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("health?verbose=1")).StatusCode);
        }
        finally
        {
            await cancel.CancelAsync();
            Assert.Equal(0, await run);
            if (!stopped) await emulator.DisposeAsync();
        }
    }

    /// <summary>A store that fails from one page of a query on, as storage going away in the middle of an export would.</summary>
    private sealed class PagesFailFrom(StateStores inner, int failingPage) : StateStores(inner)
    {
        private int _pages;

        public override Task<RecordPage> QueryRecordsAsync(string department, AssetQuery query, int top, string? continuation, CancellationToken cancellationToken) =>
            Interlocked.Increment(ref _pages) >= failingPage
                ? throw new DependencyUnavailableException(DependencyUnavailableException.TableStorage, "injected outage")
                : base.QueryRecordsAsync(department, query, 1, continuation, cancellationToken); // one record a page, so that there is a next
    }

    /// <summary>
    /// The CSV export over Kestrel: storage failing on the first page answers a 503 problem (nothing was sent); failing
    /// on a later page, after rows went out under a 200, aborts the response, so the client sees a broken transfer
    /// and never takes the rows it got for the whole export. Each is one warning line.
    /// </summary>
    [Fact]
    public async Task A_CSV_export_that_loses_storage_answers_503_before_the_first_row_and_is_aborted_after_it()
    {
        var store = await azurite.CreateStoreAsync();
        await TestEvents.Processor(store).ProcessAsync([TestEvents.Message(TestEvents.Upsert("HO", "CAM-1", 1)), TestEvents.Message(TestEvents.Upsert("HO", "CAM-2", 1)), TestEvents.Message(TestEvents.Upsert("HO", "CAM-3", 1))], default);
        var logger = new ListLogger<ApiHandler>();
        var handler = new ApiHandler(logger);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.MapGet("/fail-from/{page:int}", (HttpRequest r, int page) => handler.RunAsync(r, t => new AssetListApi(new PagesFailFrom(store, page), TestEvents.Authorizer()).ListAsync(r, "HO", t)));
        await app.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        http.DefaultRequestHeaders.Add(AssetCompliance.Api.Security.CompliancePrincipal.HeaderName, TestEvents.Principal());

        var whole = await http.GetAsync("/fail-from/99?format=csv");
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(4, (await whole.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // the header and three rows

        var first = await http.GetAsync("/fail-from/1?format=csv");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.StatusCode);
        Assert.Equal(StorageUnavailable, JsonDocument.Parse(await first.Content.ReadAsStringAsync()).RootElement.GetProperty("type").GetString());

        // The rows before the failure went out under a 200; the abort resets the connection. A reset that arrives before
        // the client has read the headers discards them too (TCP drops unread data on RST), so the client sees the reset
        // at the request instead: either way it never gets an ended body, which is the promise.
        HttpStatusCode? laterStatus = null;
        var read = await Record.ExceptionAsync(async () =>
        {
            using var later = await http.GetAsync("/fail-from/3?format=csv", HttpCompletionOption.ResponseHeadersRead);
            laterStatus = later.StatusCode;
            await later.Content.ReadAsStringAsync();
        });
        Assert.True(read is HttpRequestException or IOException, $"{read}");
        Assert.True(laterStatus is null or HttpStatusCode.OK, $"{laterStatus}"); // sent before the failure

        // The server logs the abort after it has reset the connection, so the client can see the reset first.
        await logger.WaitForAsync(2);

        Assert.Equal([53, 54], logger.Entries.Select(e => e.EventId));
        Assert.All(logger.Entries, e => Assert.Equal((LogLevel.Warning, null), (e.Level, e.Exception)));
        Assert.Contains("aborted", logger.Entries[1].Message);
    }

    /// <summary>
    /// What the store's policy makes of each answer, from a loopback server that gives it: an outage status surfaces as
    /// <see cref="DependencyUnavailableException"/> naming it; a 404 is no record; a 400 or 409 stays the SDK's error.
    /// </summary>
    [Theory]
    [InlineData(503, "outage")]
    [InlineData(500, "outage")]
    [InlineData(502, "outage")]
    [InlineData(504, "outage")]
    [InlineData(408, "outage")]
    [InlineData(429, "outage")]
    [InlineData(403, "outage")]
    [InlineData(401, "outage")]
    [InlineData(404, "none")]
    [InlineData(400, "error")]
    [InlineData(409, "error")]
    public async Task Storage_answers_that_mean_an_outage_are_DependencyUnavailable_and_the_others_are_not(int status, string expected)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        app.Run(async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            context.Response.Headers["x-ms-error-code"] = "TestCode";
            await context.Response.WriteAsync("{\"odata.error\":{\"code\":\"TestCode\",\"message\":{\"lang\":\"en-US\",\"value\":\"test\"}}}");
        });
        await app.StartAsync();
        var options = TableStorageOptions.DataClientOptions();
        options.Retry.MaxRetries = 0; // the retries are the SDK's; this is about what remains after them
        var store = StateStores.Open(new TableServiceClient(AzuriteProcess.ConnectionStringFor(new Uri(app.Urls.First() + "/devstoreaccount1")), options), "status");

        StoredRecord? found = null;
        var thrown = await Record.ExceptionAsync(async () => found = await store.GetRecordAsync("HO", "CAM-1", default));

        switch (expected)
        {
            case "outage":
                var unavailable = Assert.IsType<DependencyUnavailableException>(thrown);
                Assert.Equal((DependencyUnavailableException.TableStorage, $"storage answered {status} TestCode"), (unavailable.Dependency, unavailable.Reason));
                break;
            case "error":
                Assert.IsAssignableFrom<RequestFailedException>(thrown);
                break;
            default:
                Assert.Null(thrown);
                Assert.Null(found);
                break;
        }
    }

    /// <summary>The bounds: the data client keeps the SDK's retries, bounded; the ingestion client's tries are shorter than the SDK's 60 s.</summary>
    [Fact]
    public async Task Data_clients_retry_a_bounded_number_of_times_and_a_refused_connection_is_an_outage_after_them()
    {
        var data = TableStorageOptions.DataClientOptions();
        Assert.Equal((3, TimeSpan.FromSeconds(0.8), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(30)), (data.Retry.MaxRetries, data.Retry.Delay, data.Retry.MaxDelay, data.Retry.NetworkTimeout));
        var bus = ServiceBusEventPublisher.ClientOptions().RetryOptions;
        Assert.Equal((3, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15)), (bus.MaxRetries, bus.MaxDelay, bus.TryTimeout));

        var store = StateStores.Create(new TableStorageOptions
        {
            ConnectionString = AzuriteProcess.ConnectionStringFor(new Uri($"http://127.0.0.1:{HealthTests.ClosedLoopbackPort()}/devstoreaccount1")),
            TablePrefix = AzuriteFixture.UniquePrefix(),
        });
        var thrown = await Assert.ThrowsAsync<DependencyUnavailableException>(() => store.GetSummaryAsync("HO", default));
        Assert.Contains("refused", thrown.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.IsType<AggregateException>(thrown.InnerException); // after the SDK's retries, not instead of them
        Assert.Equal(4, ((AggregateException)thrown.InnerException!).InnerExceptions.Count);

        // The caller's own cancellation stays a cancellation.
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.GetSummaryAsync("HO", cancelled.Token));
    }

    /// <summary>
    /// A Service Bus sender that fails where it is told to (Service Bus cannot run here: this boundary is the one
    /// replaced). Batches hold at most <paramref name="perBatch"/> messages; <paramref name="tooLarge"/> fits none.
    /// </summary>
    private sealed class FakeSender(int perBatch, Func<int, Exception?> sendFails, Exception? createFails = null, string? tooLarge = null) : ServiceBusSender
    {
        private readonly Dictionary<ServiceBusMessageBatch, List<ServiceBusMessage>> _batches = [];
        private int _sends;

        public List<string> Sent { get; } = [];

        public override ValueTask<ServiceBusMessageBatch> CreateMessageBatchAsync(CancellationToken cancellationToken = default)
        {
            if (createFails is not null) throw createFails;
            var messages = new List<ServiceBusMessage>();
            var batch = ServiceBusModelFactory.ServiceBusMessageBatch(256 * 1024, messages, tryAddCallback: m => messages.Count < perBatch && EventIdOf(m) != tooLarge);
            lock (_batches) _batches[batch] = messages;
            return ValueTask.FromResult(batch);
        }

        public override Task SendMessagesAsync(ServiceBusMessageBatch messageBatch, CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (sendFails(++_sends) is { } failure) throw failure;
            lock (_batches) Sent.AddRange(_batches[messageBatch].Select(EventIdOf));
            return Task.CompletedTask;
        }

        // The publisher's message id is "{department}/{event id}" (ServiceBusEventPublisher.MessageIdOf).
        private static string EventIdOf(ServiceBusMessage message) => message.MessageId[(message.MessageId.IndexOf('/', StringComparison.Ordinal) + 1)..];
    }

    private static string Events(int count) => "[" + string.Join(",", Enumerable.Range(1, count).Select(i => TestEvents.Upsert("HO", $"CAM-{i}", 1))) + "]";

    private static string[] Ids(JsonElement problem, string name) => [.. problem.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];

    /// <summary>
    /// HTTP ingestion with Service Bus down before anything is sent (no link, no token): 503 queue-unavailable saying
    /// that none of the events was enqueued, each listed as not sent; nothing reached the queue.
    /// </summary>
    [Theory]
    [InlineData("servicebus")]
    [InlineData("socket")]
    [InlineData("identity")]
    [InlineData("unauthorized")]
    [InlineData("timeout")]
    public async Task Ingestion_with_Service_Bus_down_answers_503_saying_nothing_was_enqueued(string failure)
    {
        Exception error = failure switch
        {
            "servicebus" => new ServiceBusException("broker busy", ServiceBusFailureReason.ServiceBusy),
            "socket" => new SocketException((int)SocketError.ConnectionRefused),
            "identity" => new global::Azure.Identity.CredentialUnavailableException("no managed identity"),
            "unauthorized" => new UnauthorizedAccessException("Unauthorized access. 'Send' claim(s) are required"),
            _ => new TimeoutException("The operation did not complete within the allocated time"),
        };
        var sender = new FakeSender(perBatch: 100, _ => null, createFails: error);
        var logger = new ListLogger<ApiHandler>();
        var functions = Functions(TestEvents.UnreachableStore(), new ApiHandler(logger), new ServiceBusEventPublisher(sender));

        var answer = await InvokeAsync(functions, typeof(HttpFunctions).GetMethod(nameof(HttpFunctions.IngestAssetEventsHttp))!, body: Events(3));

        AssertUnavailable(answer, QueueUnavailable, failure);
        Assert.Equal("None of the 3 events was enqueued. Send the whole request again after the Retry-After delay: events are applied once by their id, so those already enqueued are not applied twice.",
            answer.Body.GetProperty("detail").GetString());
        Assert.Equal((0, 0, 3), (Ids(answer.Body, "enqueuedEventIds").Length, Ids(answer.Body, "unconfirmedEventIds").Length, Ids(answer.Body, "notSentEventIds").Length));
        Assert.Empty(sender.Sent);
        var warning = Assert.Single(logger.Entries);
        Assert.Equal((LogLevel.Warning, 53, null), (warning.Level, warning.EventId, warning.Exception));
        Assert.Contains("Service Bus is unavailable", warning.Message);
    }

    /// <summary>
    /// Service Bus failing after the first of three sends: the answer says exactly which events were enqueued, which
    /// were in the failed send and which were never sent; and sending the whole request again sends every event
    /// under its own id as message id, which is what makes the retry safe.
    /// </summary>
    [Fact]
    public async Task Ingestion_failing_between_batches_answers_which_events_were_enqueued_and_a_retry_sends_all_under_their_ids()
    {
        var failing = new FakeSender(perBatch: 2, send => send == 2 ? new ServiceBusException(true, "link detached", "asset-events", ServiceBusFailureReason.ServiceCommunicationProblem) : null);
        var functions = Functions(TestEvents.UnreachableStore(), new ApiHandler(), new ServiceBusEventPublisher(failing));
        var ingest = typeof(HttpFunctions).GetMethod(nameof(HttpFunctions.IngestAssetEventsHttp))!;

        var answer = await InvokeAsync(functions, ingest, body: Events(5));

        AssertUnavailable(answer, QueueUnavailable, "second send");
        Assert.Equal(["HO-CAM-1-1", "HO-CAM-2-1"], Ids(answer.Body, "enqueuedEventIds"));
        Assert.Equal(["HO-CAM-3-1", "HO-CAM-4-1"], Ids(answer.Body, "unconfirmedEventIds"));
        Assert.Equal(["HO-CAM-5-1"], Ids(answer.Body, "notSentEventIds"));
        Assert.StartsWith("Of 5 events, 2 were enqueued before Service Bus failed, 2 may or may not have been, and 1 were not sent.", answer.Body.GetProperty("detail").GetString());
        Assert.Equal(["HO-CAM-1-1", "HO-CAM-2-1"], failing.Sent);

        var healthy = new FakeSender(perBatch: 2, _ => null);
        var retry = await InvokeAsync(Functions(TestEvents.UnreachableStore(), new ApiHandler(), new ServiceBusEventPublisher(healthy)), ingest, body: Events(5));
        Assert.Equal(202, retry.Status);
        Assert.Equal(["HO-CAM-1-1", "HO-CAM-2-1", "HO-CAM-3-1", "HO-CAM-4-1", "HO-CAM-5-1"], healthy.Sent);
    }

    /// <summary>An event no Service Bus message can hold refuses the request before anything is sent: nothing half-accepted.</summary>
    [Fact]
    public async Task An_event_too_large_for_a_message_sends_nothing()
    {
        var sender = new FakeSender(perBatch: 2, _ => null, tooLarge: "HO-CAM-4-1");
        var events = Enumerable.Range(1, 5).Select(i => new OutgoingEvent($"HO-CAM-{i}-1", "HO", Encoding.UTF8.GetBytes("{}"))).ToArray();

        var refused = await Assert.ThrowsAsync<EventTooLargeException>(() => new ServiceBusEventPublisher(sender).PublishAsync(events, default));

        Assert.Equal(("HO-CAM-4-1", 3), (refused.EventId, refused.Index));
        Assert.Empty(sender.Sent);
    }

    /// <summary>Over HTTP the same refusal is a 413 problem naming the event's path, with nothing enqueued: never a 500.</summary>
    [Fact]
    public async Task Http_ingestion_of_an_event_too_large_for_a_message_answers_413_naming_it()
    {
        var body = Events(3);
        var third = JsonDocument.Parse(body).RootElement[2].GetProperty("id").GetString()!;
        var sender = new FakeSender(perBatch: 100, _ => null, tooLarge: third);
        var functions = Functions(TestEvents.UnreachableStore(), new ApiHandler(), new ServiceBusEventPublisher(sender));

        var answer = await InvokeAsync(functions, typeof(HttpFunctions).GetMethod(nameof(HttpFunctions.IngestAssetEventsHttp))!, body: body);

        Assert.Equal(413, answer.Status);
        Assert.Equal("https://asset-compliance/problems/event-too-large", answer.Body.GetProperty("type").GetString());
        Assert.Equal("$[2]", answer.Body.GetProperty("errors")[0].GetProperty("path").GetString());
        Assert.Contains(third, answer.Body.GetProperty("detail").GetString());
        Assert.Empty(sender.Sent);
    }

    /// <summary>The caller's cancellation is not an outage: it ends the request as a cancellation, with no 503 and no warning.</summary>
    [Fact]
    public async Task A_cancelled_publish_is_a_cancellation_not_an_outage()
    {
        var sender = new FakeSender(perBatch: 2, _ => null);
        var events = Enumerable.Range(1, 3).Select(i => new OutgoingEvent($"HO-CAM-{i}-1", "HO", Encoding.UTF8.GetBytes("{}"))).ToArray();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new ServiceBusEventPublisher(sender).PublishAsync(events, cancelled.Token));
        Assert.Empty(sender.Sent);
    }
}
