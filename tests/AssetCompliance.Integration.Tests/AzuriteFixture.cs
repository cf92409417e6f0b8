using AssetCompliance.Azure.Emulator;
using AssetCompliance.Azure.Tables;
using Azure.Data.Tables;

namespace AssetCompliance.Integration.Tests;

/// <summary>
/// One Azurite for the whole test run, started on a free loopback port and stopped afterwards. Set
/// AZURITE_TABLE_ENDPOINT (for example http://127.0.0.1:10002/devstoreaccount1) to use one that is already running.
/// Every test gets its own table prefix, so tests never see each other's rows.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? _process;

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var endpoint = Environment.GetEnvironmentVariable("AZURITE_TABLE_ENDPOINT");
        if (!string.IsNullOrWhiteSpace(endpoint))
        {
            ConnectionString = AzuriteProcess.ConnectionStringFor(new Uri(endpoint));
            return;
        }

        _process = await AzuriteProcess.StartAsync(RepositoryPaths.Root, progress: null, CancellationToken.None);
        ConnectionString = _process.ConnectionString;
    }

    /// <summary>A data client as the hosts build it (<see cref="TableStorageOptions.DataClientOptions"/>).</summary>
    public TableServiceClient CreateServiceClient() => new(ConnectionString, TableStorageOptions.DataClientOptions());

    public async Task<StateStores> CreateStoreAsync()
    {
        var store = StateStores.Open(CreateServiceClient(), UniquePrefix());
        await store.EnsureCreatedAsync(CancellationToken.None);
        return store;
    }

    /// <summary>Another store over the same tables: what a second function instance, with its own caches, would see.</summary>
    public StateStores OpenStore(StateStores existing) => StateStores.Open(CreateServiceClient(), existing.TablePrefix);

    public static string UniquePrefix() => "t" + Guid.NewGuid().ToString("N")[..12];

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}

internal static class RepositoryPaths
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Pipeline.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Pipeline.sln not found above the test output folder.");
    }
}
