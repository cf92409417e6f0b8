using AssetCompliance.Core.Events;
using AssetCompliance.Testing;

namespace AssetCompliance.Core.Tests;

/// <summary>
/// Property test over generated and mutated bodies (<see cref="EventFuzz"/>): the parser never throws, answers either
/// an event or at least one error (never both, never the parser's failure message, never more than the cap), says
/// the same thing twice, and never accepts what the schema refuses. Fixed seed and count in CI; see the README for
/// a longer run.
/// </summary>
public sealed class ParserFuzzTests
{
    [Fact]
    public void Whatever_the_bytes_the_parser_answers_an_event_or_its_errors_and_never_accepts_what_the_schema_refuses()
    {
        var (valid, invalid, validUnread, badUnread) = (0, 0, 0, 0);
        var index = 0;
        foreach (var body in EventFuzz.Cases(EventFuzz.Body, EventFuzz.Iterations(3000)))
        {
            var what = EventFuzz.Describe(index++, body);
            AssetEventParseResult result;
            try
            {
                result = AssetEventParser.Parse(body);
            }
            catch (Exception e)
            {
                Assert.Fail($"the parser threw {e.GetType().Name} on {what}");
                throw;
            }

            Assert.True(result.IsValid == (result.Errors.Count == 0), what);
            Assert.DoesNotContain(result.Errors, e => e.Message.Contains(AssetEventParser.ParserFailure, StringComparison.Ordinal));
            Assert.InRange(result.Errors.Count, 0, 51);
            Assert.All(result.Errors, e => Assert.StartsWith("$", e.Path, StringComparison.Ordinal));
            Assert.Equal(result.Errors, AssetEventParser.Parse(body).Errors);
            if (result.IsValid)
            {
                valid++;
                Assert.True(SchemaTests.ValidUnderEventSchema(body) == true, $"the parser accepts what the schema refuses: {what}");
                Assert.Equal(result.Event!.Department, result.Department);
                validUnread += result.Event.Device.UnreadFields.Count > 0 ? 1 : 0;
            }
            else
            {
                invalid++;
                badUnread += result.Errors.Any(e => e.Path.StartsWith("$.data.unreadFields", StringComparison.Ordinal)) ? 1 : 0;
            }
        }

        // The generator must exercise both sides, or the property says nothing.
        Assert.True(valid > 100 && invalid > 1000, $"{valid} valid and {invalid} invalid bodies");
        Assert.True(validUnread > 20 && badUnread > 20, $"{validUnread} valid bodies with unread fields, {badUnread} with a bad list");
    }
}
