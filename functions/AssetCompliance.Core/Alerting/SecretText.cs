namespace AssetCompliance.Core.Alerting;

/// <summary>
/// How values that are secrets become text, for every type that holds one (<see cref="AlertTarget"/>, the alerting and
/// NetBox options, <see cref="NetBox.NetBoxSecret"/>): so that a log line, an exception message or an API answer that
/// formats such a value shows what it is, never the secret (docs/security.md, "secrets never become text").
/// </summary>
public static class SecretText
{
    /// <summary>What is printed in place of a secret.</summary>
    public const string Redacted = "[redacted]";

    /// <summary>
    /// A webhook URL as its scheme and host only (<c>https://prod-01.westeurope.logic.azure.com/[redacted]</c>): a
    /// Workflows URL carries its credential in the query (<c>sig</c>), an older Teams connector's in its path, so
    /// neither is kept. A relative or null URL is <see cref="Redacted"/> (or "none").
    /// </summary>
    public static string Webhook(Uri? url) => url switch
    {
        null => "none",
        { IsAbsoluteUri: true } => $"{url.Scheme}://{url.Authority}/{Redacted}",
        _ => Redacted,
    };
}
