using AssetCompliance.Core.State;

namespace AssetCompliance.Integration.Tests;

/// <summary>Fault injection at the store port: the Nth commit fails as a storage outage would.</summary>
internal sealed class FaultyStore(StateStores inner, int failOnCommit) : StateStores(inner)
{
    private int _commits;

    public override Task<CommitReport> CommitAsync(string department, IReadOnlyList<AssetChange> changes, CancellationToken cancellationToken) =>
        Interlocked.Increment(ref _commits) == failOnCommit
            ? throw new IOException("injected storage failure")
            : base.CommitAsync(department, changes, cancellationToken);
}
