using System.Security.Cryptography;
using System.Text;
using AssetCompliance.Core.Events;

namespace AssetCompliance.Core.Tests;

/// <summary>The one line reader of line-based files: one line-break rule, bounded lines, numbers that count every break.</summary>
public sealed class ByteLineReaderTests
{
    private static List<ByteLine> Lines(byte[] content, int max = 1024, bool digest = false)
    {
        var reader = new ByteLineReader(new MemoryStream(content), max, digest);
        var lines = new List<ByteLine>();
        while (reader.TryReadLine(out var line))
        {
            lines.Add(line);
        }

        return lines;
    }

    private static string[] Texts(IEnumerable<ByteLine> lines) => [.. lines.Select(l => Encoding.UTF8.GetString(l.Bytes.Span))];

    [Theory]
    [InlineData("a\nb\nc", new[] { "a", "b", "c" })]
    [InlineData("a\r\nb\r\nc\r\n", new[] { "a", "b", "c" })]
    [InlineData("a\rb\rc\r", new[] { "a", "b", "c" })]
    [InlineData("a\r\rb\n\nc", new[] { "a", "", "b", "", "c" })]
    [InlineData("a\n\r\nb", new[] { "a", "", "b" })]
    [InlineData("\n", new[] { "" })]
    [InlineData("", new string[0])]
    public void LF_CR_LF_and_a_lone_CR_each_end_one_line(string content, string[] expected)
    {
        var lines = Lines(Encoding.UTF8.GetBytes(content));

        Assert.Equal(expected, Texts(lines));
        Assert.Equal(Enumerable.Range(1, expected.Length), lines.Select(l => l.Number));
    }

    [Fact]
    public void A_CR_LF_split_across_two_reads_is_one_break()
    {
        // The 64 KiB buffer ends on the CR; the LF is the first byte of the next read.
        var content = new byte[(64 * 1024) + 10];
        content.AsSpan().Fill((byte)'x');
        content[(64 * 1024) - 1] = (byte)'\r';
        content[64 * 1024] = (byte)'\n';

        var lines = Lines(content, max: 128 * 1024);

        Assert.Equal([(64 * 1024) - 1, 9], lines.Select(l => l.Bytes.Length));
        Assert.Equal([1, 2], lines.Select(l => l.Number));
    }

    [Fact]
    public void A_line_over_the_limit_keeps_its_start_its_length_and_with_digests_its_sha256_and_the_next_line_is_read()
    {
        var longLine = Encoding.UTF8.GetBytes(new string('a', 200_000) + "tail");
        byte[] content = [.. "first\n"u8, .. longLine, .. "\r\nnext"u8];

        var lines = Lines(content, max: 1000, digest: true);

        Assert.Equal(["first", new string('a', 1000), "next"], Texts(lines));
        Assert.Equal([false, true, false], lines.Select(l => l.TooLong));
        Assert.Equal(longLine.Length, lines[1].Length);
        Assert.Equal(SHA256.HashData(longLine), lines[1].Digest!.Value.ToArray());
        Assert.Null(lines[0].Digest);
        Assert.Null(Lines(content, max: 1000)[1].Digest); // only when asked
        Assert.Equal([1, 2, 3], lines.Select(l => l.Number));
    }

    [Fact]
    public void Two_long_lines_with_the_same_start_have_different_digests()
    {
        var start = new string('s', 2000);
        var lines = Lines(Encoding.UTF8.GetBytes($"{start}one\n{start}two\n"), max: 1000, digest: true);

        Assert.Equal(lines[0].Bytes.ToArray(), lines[1].Bytes.ToArray());
        Assert.NotEqual(lines[0].Digest!.Value.ToArray(), lines[1].Digest!.Value.ToArray());
    }

    [Fact]
    public void A_line_exactly_at_the_limit_is_whole()
    {
        var lines = Lines(Encoding.UTF8.GetBytes(new string('x', 1000) + "\n" + new string('y', 1001)), max: 1000);

        Assert.Equal([false, true], lines.Select(l => l.TooLong));
        Assert.Equal([1000, 1000], lines.Select(l => l.Bytes.Length));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData(" \t ", true)]
    [InlineData("\uFEFF", true)]
    [InlineData("\uFEFF  ", true)]
    [InlineData("{}", false)]
    [InlineData("\u00a0", false)]
    public void A_blank_line_is_spaces_and_tabs_after_an_optional_byte_order_mark(string content, bool blank) =>
        Assert.Equal(blank, Assert.Single(Lines(Encoding.UTF8.GetBytes(content + "\n"))).IsBlank);

    [Fact]
    public void A_blank_line_too_long_to_keep_is_not_blank() =>
        Assert.False(Assert.Single(Lines(Encoding.UTF8.GetBytes(new string(' ', 2000)), max: 1000)).IsBlank);
}
