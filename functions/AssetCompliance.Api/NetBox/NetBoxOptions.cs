using AssetCompliance.Core.NetBox;
using Microsoft.Extensions.Options;

namespace AssetCompliance.Api.NetBox;

/// <summary>
/// Section <c>NetBox</c>: each department's webhook secret, <c>NetBox:Secrets:HO</c> (<c>NetBox__Secrets__HO</c> as an
/// app setting). In Azure each value is a Key Vault reference (<c>@Microsoft.KeyVault(SecretUri=…/secrets/netbox-ho/)</c>),
/// resolved by the platform with the app's identity before the app starts, so the app reads a plain setting and holds
/// no Key Vault client; the local run reads them from its settings or environment.
/// <para>
/// A department with no entry, an empty value, or a reference the platform could not resolve (App Service then
/// leaves the <c>@Microsoft.KeyVault(…)</c> text in place) has no secret: every webhook for it is refused with 401,
/// never accepted unsigned. Start-up fails for a key that is not a department code and for a secret shorter than
/// <see cref="MinSecretLength"/> characters (guessable).
/// </para>
/// </summary>
public sealed class NetBoxOptions
{
    /// <summary>The configuration section: <c>NetBox</c>.</summary>
    public const string SectionName = "NetBox";

    /// <summary>The shortest secret accepted: 16 characters (NetBox's field holds up to 255).</summary>
    public const int MinSecretLength = 16;

    private const string UnresolvedReference = "@Microsoft.KeyVault(";

    /// <summary>Department code to the secret typed into that department's NetBox webhook.</summary>
    public Dictionary<string, string> Secrets { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The departments with a secret, never the secrets.</summary>
    public override string ToString() =>
        $"NetBoxOptions {{ Secrets = [{string.Join(", ", Secrets.Keys.Order(StringComparer.Ordinal).Select(d => $"{d} = {Core.Alerting.SecretText.Redacted}"))}] }}";

    /// <summary>The department's secret, or null when it has none usable (see the class summary).</summary>
    public NetBoxSecret? SecretFor(string department) =>
        Secrets.TryGetValue(department, out var secret) && secret.Length > 0 && !IsUnresolved(secret) ? new NetBoxSecret(secret) : null;

    /// <summary>Whether a value is a Key Vault reference the platform left unresolved (wrong secret name, missing role).</summary>
    public static bool IsUnresolved(string value) => value.TrimStart().StartsWith(UnresolvedReference, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Start-up checks of <see cref="NetBoxOptions"/>; a failure names the setting.</summary>
public sealed class NetBoxOptionsValidation : IValidateOptions<NetBoxOptions>
{
    /// <summary>Every problem of the section at once, each naming its setting; never the secret itself.</summary>
    public ValidateOptionsResult Validate(string? name, NetBoxOptions options)
    {
        var failures = new List<string>();
        foreach (var (department, secret) in options.Secrets)
        {
            if (Core.Events.Identifiers.DepartmentError(department) is { } error)
            {
                failures.Add($"{NetBoxOptions.SectionName}:Secrets:{department}: the key must be a department code ({error}).");
            }
            else if (secret.Length is > 0 and < NetBoxOptions.MinSecretLength && !NetBoxOptions.IsUnresolved(secret))
            {
                failures.Add($"{NetBoxOptions.SectionName}:Secrets:{department}: a secret must be at least {NetBoxOptions.MinSecretLength} characters.");
            }
        }

        // The secret is all that says which department a webhook speaks for: two departments sharing one could each
        // post as the other.
        foreach (var shared in options.Secrets.Where(s => s.Value.Length > 0 && !NetBoxOptions.IsUnresolved(s.Value))
                     .GroupBy(s => s.Value, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            failures.Add($"{string.Join(", ", shared.Select(s => $"{NetBoxOptions.SectionName}:Secrets:{s.Key}").Order(StringComparer.Ordinal))}: the departments have the same secret, so a webhook signed for one would be accepted for the other; give each its own.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
