using AssetCompliance.Core.State;
using Azure.Data.Tables;

namespace AssetCompliance.Azure.Tables;

/// <summary>
/// The tables compliance state lives in, and their clients: <c>{prefix}Assets</c> (one partition per department:
/// records, history, the open-item index, the alert outbox and the summary, so that everything one change writes is
/// one entity-group transaction) and <c>{prefix}Rejections</c>. One instance is shared by the adapters over them
/// (<see cref="TableRecordStore"/>, <see cref="TableAlertOutbox"/>, <see cref="TableRejectionStore"/>). Layout and
/// reasons: docs/state-design.md.
/// </summary>
public sealed class ComplianceTables
{
    /// <summary>Table Storage's limit on the entities of one entity-group transaction.</summary>
    internal const int MaxEntitiesPerTransaction = 100;

    private readonly TableServiceClient _probe;

    /// <param name="service">The client for every read and write, built with <see cref="TableStorageOptions.DataClientOptions"/>
    /// (bounded retries, and outages thrown as <see cref="DependencyUnavailableException"/>; a client without them
    /// throws the SDK's exceptions, which the HTTP routes answer with a bare 500).</param>
    /// <param name="probe">The client of the health probe, for the same account; by default <paramref name="service"/>.
    /// The hosts pass one without retries (<see cref="TableStorageOptions.ProbeClientOptions"/>).</param>
    /// <param name="probeTimeout">The bound on one probe, retries included; 2 s by default.</param>
    public ComplianceTables(TableServiceClient service, string tablePrefix, TableServiceClient? probe = null, TimeSpan? probeTimeout = null)
    {
        _probe = probe ?? service;
        ProbeTimeout = probeTimeout ?? TimeSpan.FromSeconds(2);
        TablePrefix = tablePrefix;
        Assets = service.GetTableClient(tablePrefix + "Assets");
        Rejections = service.GetTableClient(tablePrefix + "Rejections");
    }

    /// <summary>
    /// The tables as the hosts configure them: the Azurite connection string or the account URI with the managed
    /// identity (one credential for both clients), the data client's <see cref="TableStorageOptions.DataClientOptions"/>, and a probe that makes one attempt bounded by
    /// <see cref="TableStorageOptions.HealthProbeTimeout"/>.
    /// </summary>
    public static ComplianceTables Create(TableStorageOptions options)
    {
        if (options.ConnectionString is { Length: > 0 } connectionString)
        {
            return new ComplianceTables(new TableServiceClient(connectionString, TableStorageOptions.DataClientOptions()), options.TablePrefix,
                new TableServiceClient(connectionString, options.ProbeClientOptions()), options.HealthProbeTimeout);
        }

        var uri = options.TableServiceUri ?? throw new InvalidOperationException($"{TableStorageOptions.SectionName}:TableServiceUri or ConnectionString is required.");
        var credential = ComplianceCredential.Create(options.ManagedIdentityClientId);
        return new ComplianceTables(new TableServiceClient(uri, credential, TableStorageOptions.DataClientOptions()), options.TablePrefix,
            new TableServiceClient(uri, credential, options.ProbeClientOptions()), options.HealthProbeTimeout);
    }

    public string TablePrefix { get; }

    /// <summary>How long <see cref="ProbeAsync"/> waits at most before it answers "unreachable".</summary>
    public TimeSpan ProbeTimeout { get; }

    /// <summary>The department partitions of records, history, open index, outbox, summary and dispatch mark.</summary>
    internal TableClient Assets { get; }

    internal TableClient Rejections { get; }

    /// <summary>Creates the tables if they do not exist. Called once at start-up by the hosts.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        await Assets.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        await Rejections.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether the account answers, within <see cref="ProbeTimeout"/>; never throws for an outage (see <see cref="IRecordStore.ProbeAsync"/>).</summary>
    public async Task<StorageProbe> ProbeAsync(CancellationToken cancellationToken)
    {
        // The probe's own bound, whatever its client does: credential acquisition or DNS can take longer than one
        // HTTP attempt's network timeout.
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(ProbeTimeout);
        try
        {
            await _probe.GetPropertiesAsync(bounded.Token).ConfigureAwait(false);
            return StorageProbe.Reachable;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return StorageProbe.Unreachable($"no answer within {ProbeTimeout.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)} s");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Any failure means storage cannot be used: refused connections, DNS, TLS, 403s, credentials.
            return StorageProbe.Unreachable(StorageOutagePolicy.Describe(e));
        }
    }
}
