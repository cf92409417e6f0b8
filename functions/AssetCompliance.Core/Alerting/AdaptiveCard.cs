using System.Text.Json.Serialization;

namespace AssetCompliance.Core.Alerting;

// A typed subset of Adaptive Cards 1.4: only what the alert cards use and Teams renders on desktop, web and mobile.
// Built as data, serialised by System.Text.Json, so a card is deterministic for the same input and cannot be malformed
// by a value that contains quotes or markup. There is deliberately no TextBlock or FactSet: both are Markdown, and a
// card carries text from registers (see RichTextBlock).

/// <summary>The Workflows webhook envelope: one attachment per post ("When a Teams webhook request is received").</summary>
public sealed record TeamsMessage(IReadOnlyList<TeamsAttachment> Attachments)
{
    [JsonPropertyOrder(-1)]
    public string Type => "message";
}

public sealed record TeamsAttachment(AdaptiveCard Content)
{
    [JsonPropertyOrder(-1)]
    public string ContentType => "application/vnd.microsoft.card.adaptive";

    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? ContentUrl => null;
}

public sealed record AdaptiveCard(IReadOnlyList<CardElement> Body, IReadOnlyList<CardAction> Actions)
{
    [JsonPropertyName("$schema")]
    [JsonPropertyOrder(-3)]
    public string Schema => "http://adaptivecards.io/schemas/adaptive-card.json";

    [JsonPropertyOrder(-2)]
    public string Type => "AdaptiveCard";

    [JsonPropertyOrder(-1)]
    public string Version => "1.4";

    [JsonPropertyName("msteams")]
    public TeamsCardOptions MsTeams { get; } = new();
}

public sealed record TeamsCardOptions
{
    public string Width => "Full";
}

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(RichTextBlock), "RichTextBlock")]
[JsonDerivedType(typeof(Container), "Container")]
public abstract record CardElement
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Separator { get; init; }

    /// <summary><c>None</c>, <c>Small</c>, <c>Default</c>, <c>Medium</c>, <c>Large</c> or <c>ExtraLarge</c>; null for the host's default.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Spacing { get; init; }
}

/// <summary>
/// A paragraph of <see cref="TextRun"/>s (Adaptive Cards 1.2, rendered by every Teams client). The cards use it for
/// all their text, never <c>TextBlock</c> or <c>FactSet</c>: those are Markdown-processed (bold, italics, links,
/// lists), so register text such as a site named <c>[details](http://example.test)</c> would render as a link in the
/// security channel. A RichTextBlock's runs are not Markdown by specification, so what a register says is shown as it
/// is written.
/// </summary>
public sealed record RichTextBlock(IReadOnlyList<TextRun> Inlines) : CardElement
{
    public RichTextBlock(params TextRun[] inlines)
        : this((IReadOnlyList<TextRun>)inlines)
    {
    }

    /// <summary>The block's text as a channel shows it (runs joined), for one-line summaries.</summary>
    [JsonIgnore]
    public string PlainText => string.Concat(Inlines.Select(i => i.Text));
}

/// <summary>
/// One run of literal text. Its text always passes through <see cref="CardText.Literal"/>, so no value can carry a date
/// function, a control character or a bidirectional override into a card; the type has no other way in.
/// </summary>
public sealed record TextRun
{
    public TextRun(string text) => Text = CardText.Literal(text);

    [JsonPropertyOrder(-1)]
    public string Type => "TextRun";

    public string Text { get; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Size { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Weight { get; init; }

    /// <summary>Adaptive Card colours: <c>Attention</c> (red), <c>Warning</c> (amber), <c>Good</c> (green), <c>Accent</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Color { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool IsSubtle { get; init; }

    /// <summary>Makes the run a link (our own URLs only: the API's).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CardAction? SelectAction { get; init; }
}

public sealed record Container(IReadOnlyList<CardElement> Items) : CardElement
{
    /// <summary><c>attention</c>, <c>warning</c>, <c>good</c>, <c>emphasis</c> or <c>default</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Style { get; init; }
}

[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(OpenUrlAction), "Action.OpenUrl")]
public abstract record CardAction(string Title);

/// <summary>A button or link that opens one of our URLs; its title is shown as plain text, made literal like a run's.</summary>
public sealed record OpenUrlAction : CardAction
{
    public OpenUrlAction(string title, string url)
        : base(CardText.Literal(title)) => Url = url;

    public string Url { get; }
}
