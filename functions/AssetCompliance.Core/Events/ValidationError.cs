namespace AssetCompliance.Core.Events;

/// <summary>One problem with an input, located by JSON path (<c>$.data.site.id</c>) or, for files, by line.</summary>
public sealed record ValidationError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
