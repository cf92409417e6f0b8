using System.Text;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;
using AssetCompliance.Testing;
using CsCheck;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// Property test of the batch processor against Azurite: batches of generated and mutated bodies
/// (<see cref="EventFuzz"/>) never make it throw, and every message is accounted for: exactly one result per message
/// id, in order; a valid event is applied, superseded or a duplicate and its history entry can be read back; an
/// invalid one has a rejection row, under the department it names when that is readable, with the parser's errors
/// and the body as sent. Fixed seed and a small count in CI (a few seconds); see the README for a longer run.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ProcessorFuzzTests(AzuriteFixture azurite)
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Whatever_the_bodies_every_message_of_every_batch_ends_committed_or_rejected_with_its_errors()
    {
        var store = await azurite.CreateStoreAsync();
        var processor = TestEvents.Processor(store);
        var batchGen = EventFuzz.Body.Array[1, 30];
        var (applied, rejected, batchNumber) = (0, 0, 0);
        // Keyed as the store keys them (message id and body): every distinct message must keep its own rejection.
        var expectedRejections = new Dictionary<string, (string MessageId, string? Department, byte[] Body)>();
        foreach (var bodies in EventFuzz.Cases(batchGen, EventFuzz.Iterations(12)))
        {
            // Every third message reuses one of six ids, within the batch and across batches, as a sender that sets
            // its own message ids (with duplicate detection off) or two replayed files of the same name do.
            var batch = bodies.Select((body, i) => new InboundMessage(i % 3 == 0 ? $"shared-{i % 6}" : $"fuzz-{batchNumber}-{i}", body, 1, DateTimeOffset.UtcNow, "fuzz") { Vouch = SenderVouch.Operator }).ToArray();
            var what = $"batch {batchNumber} of seed {EventFuzz.Seed}";
            batchNumber++;

            IReadOnlyList<MessageResult> results;
            try
            {
                results = await processor.ProcessAsync(batch, None);
            }
            catch (Exception e)
            {
                Assert.Fail($"the processor threw {e.GetType().Name} ({e.Message}) on {what}: " +
                    string.Join(" | ", batch.Select(m => Convert.ToBase64String(m.Body.Span))));
                throw;
            }

            Assert.Equal(batch.Select(m => m.MessageId), results.Select(r => r.MessageId));
            for (var i = 0; i < batch.Length; i++)
            {
                var parsed = AssetEventParser.Parse(batch[i].Body);
                var result = results[i];
                var context = $"{what}, message {i}: {EventFuzz.Describe(i, batch[i].Body.ToArray())}";
                if (parsed.IsValid)
                {
                    Assert.True(result.Outcome is MessageOutcome.Applied or MessageOutcome.Superseded or MessageOutcome.Duplicate, context);
                    Assert.Equal((parsed.Event!.Id, parsed.Event.Department, parsed.Event.AssetId), (result.EventId, result.Department, result.AssetId));
                    Assert.NotNull(await store.GetRecordAsync(result.Department!, result.AssetId!, None));
                    var history = await store.GetHistoryAsync(result.Department!, result.AssetId!, None);
                    Assert.True(history.Any(h => h.EventId == result.EventId), $"no history entry for {result.EventId}: {context}");
                    applied++;
                }
                else
                {
                    Assert.True(result.Outcome == MessageOutcome.Rejected, context);
                    Assert.Equal(parsed.Errors.Count, result.ErrorCount);
                    Assert.Equal(parsed.Department, result.Department);
                    expectedRejections[Rejection.KeyFor(result.MessageId, batch[i].Body.Span)] = (result.MessageId, parsed.Department, batch[i].Body.ToArray());
                    rejected++;
                }
            }
        }

        // Every rejection can be read back where its department (or the central team) looks, whole and with its
        // errors, and nothing else is there: one row per distinct message, however many share its id.
        foreach (var group in expectedRejections.GroupBy(r => r.Value.Department))
        {
            var stored = (await store.GetRejectionsAsync(group.Key, None)).ToDictionary(r => r.Key);
            foreach (var (key, (messageId, _, body)) in group)
            {
                Assert.True(stored.TryGetValue(key, out var rejection), $"no rejection row for {messageId} ({EventFuzz.Describe(0, body)}) under {group.Key ?? "unattributed"}");
                Assert.Equal(messageId, rejection.MessageId);
                Assert.Equal(AssetEventParser.Parse(body).Errors, rejection.Errors);
                Assert.Equal(Decoded(body), rejection.Body);
            }

            Assert.Equal(group.Count(), stored.Count);
        }

        Assert.True(applied > 20 && rejected > 20, $"{applied} applied and {rejected} rejected: the generator must exercise both");
        var sharing = expectedRejections.Values.GroupBy(r => r.MessageId).Count(g => g.Count() > 1);
        Assert.True(sharing > 0, "no two different rejected bodies shared a message id: the generator must exercise that");
    }

    private static string Decoded(byte[] body)
    {
        try
        {
            return new UTF8Encoding(false, true).GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return "base64:" + Convert.ToBase64String(body);
        }
    }
}
