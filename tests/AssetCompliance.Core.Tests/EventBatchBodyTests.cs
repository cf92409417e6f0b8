using System.Text;
using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Tests;

/// <summary>How an HTTP ingestion body is split into its events before each is parsed.</summary>
public sealed class EventBatchBodyTests
{
    private static EventBatchBody Read(string body) => EventBatchBody.Read(Encoding.UTF8.GetBytes(body));

    private static string[] Texts(EventBatchBody split) => [.. split.Events.Select(e => Encoding.UTF8.GetString(e.Span))];

    [Fact]
    public void Each_element_keeps_its_own_bytes_as_sent()
    {
        var split = Read(" [ {\"a\": \"\\u00e9\"} ,\n{\"b\":[1,{}]}, 42, \"x\", null ] ");

        Assert.Null(split.Problem);
        Assert.True(split.IsBatch);
        Assert.Equal(["{\"a\": \"\\u00e9\"}", "{\"b\":[1,{}]}", "42", "\"x\"", "null"], Texts(split));
    }

    [Fact]
    public void A_single_event_is_the_object_without_the_white_space_or_byte_order_mark_around_it()
    {
        var split = EventBatchBody.Read((byte[])[0xEF, 0xBB, 0xBF, .. " {\"a\":1}\n"u8]);

        Assert.False(split.IsBatch);
        Assert.Equal(["{\"a\":1}"], Texts(split));
    }

    [Theory]
    [InlineData("", "The body is not JSON.")]
    [InlineData("{\"a\":", "The body is not JSON.")]
    [InlineData("{} {}", "The body is not JSON.")]
    [InlineData("\"text\"", "The body must be a CloudEvent or an array of them.")]
    [InlineData("17", "The body must be a CloudEvent or an array of them.")]
    public void A_body_that_is_not_an_event_or_an_array_has_a_problem(string body, string title)
    {
        var split = Read(body);

        Assert.Equal(title, split.Problem);
        Assert.Empty(split.Events);
    }

    [Theory]
    [InlineData(false, 16, true)]
    [InlineData(false, 17, false)]
    [InlineData(true, 16, true)]
    [InlineData(true, 17, false)]
    [InlineData(true, 100_000, false)]
    public void Depth_is_counted_per_event_not_counting_the_batch_s_array(bool batch, int levels, bool accepted)
    {
        var e = "{\"x\":" + new string('[', levels - 1) + new string(']', levels - 1) + "}";
        var split = Read(batch ? $"[{{}},{e}]" : e);

        Assert.Equal(accepted, split.Problem is null);
        if (!accepted)
        {
            Assert.Equal("An event nests too deeply.", split.Problem);
            Assert.StartsWith(batch ? "$[1]: nests deeper than 16 levels" : "$: nests deeper than 16 levels", split.Detail, StringComparison.Ordinal);
        }
    }
}
