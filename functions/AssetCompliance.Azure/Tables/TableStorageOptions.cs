using System.ComponentModel.DataAnnotations;
using Azure.Data.Tables;

namespace AssetCompliance.Azure.Tables;

/// <summary>
/// Where compliance state lives. In Azure: <see cref="TableServiceUri"/> with the managed identity (no keys). Locally:
/// a connection string to the Azurite emulator only — a connection string with a real account key is refused, so a
/// secret can never end up in settings by accident.
/// </summary>
public sealed class TableStorageOptions : IValidatableObject
{
    public const string SectionName = "ComplianceStorage";

    /// <summary>The well-known, public development-storage account name of Azurite.</summary>
    public const string EmulatorAccountName = "devstoreaccount1";

    /// <summary>For example https://myaccount.table.core.windows.net (identity-based).</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>Azurite only, for example "UseDevelopmentStorage=true" or its full connection string.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Never the connection string (it may hold an account key): whether one is set, and the service URI without its
    /// query (a SAS token there is a credential; <see cref="Validate"/> refuses one).
    /// </summary>
    public override string ToString() =>
        $"TableStorageOptions {{ TableServiceUri = {TableServiceUri switch { null => "none", { IsAbsoluteUri: true, Query.Length: > 0 } u => u.GetLeftPart(UriPartial.Path) + "?" + Core.Alerting.SecretText.Redacted, { IsAbsoluteUri: true } u => u.AbsoluteUri, _ => Core.Alerting.SecretText.Redacted }}, ConnectionString = {(string.IsNullOrEmpty(ConnectionString) ? "none" : Core.Alerting.SecretText.Redacted)}, TablePrefix = {TablePrefix} }}";

    /// <summary>Client id of the user-assigned managed identity, when the app uses one.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>Prefix for table names, so that several environments or test runs can share an account.</summary>
    [RegularExpression("^[A-Za-z][A-Za-z0-9]{0,20}$", ErrorMessage = "ComplianceStorage:TablePrefix must be letters and digits, starting with a letter, at most 21 characters.")]
    public string TablePrefix { get; set; } = "compliance";

    /// <summary>
    /// How long the health probe waits for storage, in seconds (default 2): one attempt, no retries, so that
    /// <c>/api/health</c> answers 503 within about this time when storage is down instead of after the SDK's retries.
    /// </summary>
    [Range(0.1, 30, ErrorMessage = "ComplianceStorage:HealthProbeTimeoutSeconds must be from 0.1 to 30.")]
    public double HealthProbeTimeoutSeconds { get; set; } = 2;

    /// <summary>The bound on one health probe (<see cref="HealthProbeTimeoutSeconds"/>).</summary>
    public TimeSpan HealthProbeTimeout => TimeSpan.FromSeconds(HealthProbeTimeoutSeconds);

    /// <summary>
    /// Client options of the health probe: no retries and a network timeout of <see cref="HealthProbeTimeout"/>. The
    /// data client keeps the SDK's retries, which are right for processing and wrong for a probe that must answer.
    /// </summary>
    public TableClientOptions ProbeClientOptions() => new() { Retry = { MaxRetries = 0, NetworkTimeout = HealthProbeTimeout } };

    /// <summary>The data client's network timeout per attempt: far above any one request's time, far below App Service's 230 s.</summary>
    public static readonly TimeSpan DataNetworkTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Client options of every read and write: the SDK's retries, bounded (3 retries, exponential from 0.8 s and at most
    /// 8 s apart, each attempt at most <see cref="DataNetworkTimeout"/>; a refused connection fails after about 5.6 s),
    /// and <see cref="StorageOutagePolicy"/> outside them, so that an outage surfaces as
    /// <see cref="Core.State.DependencyUnavailableException"/>: a 503 on the HTTP routes, a failed batch on the trigger.
    /// </summary>
    public static TableClientOptions DataClientOptions()
    {
        var options = new TableClientOptions
        {
            Retry =
            {
                Mode = global::Azure.Core.RetryMode.Exponential,
                MaxRetries = 3,
                Delay = TimeSpan.FromSeconds(0.8),
                MaxDelay = TimeSpan.FromSeconds(8),
                NetworkTimeout = DataNetworkTimeout,
            },
        };
        options.AddPolicy(new StorageOutagePolicy(), global::Azure.Core.HttpPipelinePosition.PerCall);
        return options;
    }

    /// <summary>
    /// The data client these options describe: the Azurite connection string, or the account URI with the managed
    /// identity, with <see cref="DataClientOptions"/>.
    /// </summary>
    public TableServiceClient CreateDataClient() => ConnectionString is { Length: > 0 } connectionString
        ? new TableServiceClient(connectionString, DataClientOptions())
        : new TableServiceClient(TableServiceUri ?? throw new InvalidOperationException($"{SectionName}:TableServiceUri or ConnectionString is required."),
            ComplianceCredential.Create(ManagedIdentityClientId), DataClientOptions());

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var hasUri = TableServiceUri is not null;
        var hasConnectionString = !string.IsNullOrWhiteSpace(ConnectionString);
        if (hasUri == hasConnectionString)
        {
            yield return new ValidationResult(
                $"Set exactly one of {SectionName}:TableServiceUri (Azure, managed identity) or {SectionName}:ConnectionString (local emulator only).",
                [nameof(TableServiceUri), nameof(ConnectionString)]);
        }

        if (hasConnectionString && !IsEmulatorConnectionString(ConnectionString!))
        {
            yield return new ValidationResult(
                $"{SectionName}:ConnectionString may only point at the local storage emulator (Azurite). Use {SectionName}:TableServiceUri with a managed identity for a real account.",
                [nameof(ConnectionString)]);
        }

        if (TableServiceUri is { } uri && uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback)
        {
            yield return new ValidationResult($"{SectionName}:TableServiceUri must use https.", [nameof(TableServiceUri)]);
        }

        // A query on the account URI is a SAS token, a credential the app must not hold (it signs in with its
        // identity); named, never echoed.
        if (TableServiceUri is { IsAbsoluteUri: true, Query.Length: > 0 })
        {
            yield return new ValidationResult($"{SectionName}:TableServiceUri must be the account's table endpoint without a query: a SAS token is a secret, and the app signs in with its managed identity.", [nameof(TableServiceUri)]);
        }
    }

    public static bool IsEmulatorConnectionString(string connectionString)
    {
        if (connectionString.Trim().Equals("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var parts = connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        return parts.TryGetValue("AccountName", out var account) && account == EmulatorAccountName &&
            parts.TryGetValue("TableEndpoint", out var endpoint) && Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.IsLoopback;
    }
}
