using AssetCompliance.Cli;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Processing;

namespace AssetCompliance.Integration.Tests;

/// <summary><c>compliance push</c>: register rows become valid events with stable ids, which the pipeline processes.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class PushCommandTests(AzuriteFixture azurite)
{
    private static readonly string Register = Path.Combine(RepositoryPaths.Root, "samples", "register-dfe.csv");

    private sealed class CollectingPublisher : IAssetEventPublisher
    {
        public List<OutgoingEvent> Sent { get; } = [];

        public Task PublishAsync(IReadOnlyList<OutgoingEvent> events, CancellationToken cancellationToken)
        {
            Sent.AddRange(events);
            return Task.CompletedTask;
        }
    }

    private static async Task<(int Exit, CollectingPublisher Publisher, string Report)> PushAsync(string path, string department, long revision = 42)
    {
        var publisher = new CollectingPublisher();
        var report = new StringWriter();
        var exit = await PushCommand.RunAsync(path, department, revision, publisher, report, CancellationToken.None);
        return (exit, publisher, report.ToString());
    }

    [Fact]
    public async Task A_register_becomes_valid_events_that_the_pipeline_evaluates_and_bad_rows_are_reported_not_sent()
    {
        var (exit, publisher, report) = await PushAsync(Register, "DFE");

        Assert.Equal(2, exit); // one row could not be sent
        Assert.Contains("register-dfe.csv:8: not sent:", report);
        Assert.Equal(6, publisher.Sent.Count);
        Assert.All(publisher.Sent, e => Assert.Empty(AssetEventParser.Parse(e.Body).Errors));

        var store = await azurite.CreateStoreAsync();
        var results = await TestEvents.Processor(store).ProcessAsync(publisher.Sent.Select(e => TestEvents.Message(System.Text.Encoding.UTF8.GetString(e.Body.Span), e.EventId)).ToArray(), CancellationToken.None);
        Assert.All(results, r => Assert.Equal(MessageOutcome.Applied, r.Outcome));
        Assert.Equal(ComplianceStatus.NonCompliant, (await store.GetRecordAsync("DFE", "DFE-0003", CancellationToken.None))!.Record.Status);
        Assert.Equal(ComplianceStatus.Removed, (await store.GetRecordAsync("DFE", "DFE-0006", CancellationToken.None))!.Record.Status);
    }

    [Fact]
    public async Task Pushing_the_same_file_again_gives_the_same_ids_and_a_changed_row_a_new_one()
    {
        var copy = Path.GetTempFileName() + ".csv";
        try
        {
            var first = (await PushAsync(Register, "DFE")).Publisher.Sent.Select(e => e.EventId).ToArray();
            var again = (await PushAsync(Register, "DFE")).Publisher.Sent.Select(e => e.EventId).ToArray();
            File.WriteAllText(copy, File.ReadAllText(Register).Replace("P3245-LVE", "P3265-LVE", StringComparison.Ordinal));
            var changed = (await PushAsync(copy, "DFE")).Publisher.Sent.Select(e => e.EventId).ToArray();

            Assert.Equal(first, again);
            Assert.Single(first.Except(changed));
        }
        finally
        {
            File.Delete(copy);
        }
    }

    [Fact]
    public async Task Rows_of_another_department_are_refused()
    {
        var (exit, publisher, report) = await PushAsync(Register, "HO");

        Assert.Equal(2, exit);
        Assert.Empty(publisher.Sent);
        Assert.Contains("department is 'DFE', not 'HO'", report);
    }
}
