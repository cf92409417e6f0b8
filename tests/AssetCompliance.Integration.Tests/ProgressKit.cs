using System.Text.Json.Nodes;
using AssetCompliance.Api;
using AssetCompliance.Azure.Tables;
using AssetCompliance.Core.State;
using Microsoft.Extensions.Logging.Abstractions;

namespace AssetCompliance.Integration.Tests;

/// <summary>The progress routes and rebuild over a test store, and events with a chosen time.</summary>
internal static class ProgressKit
{
    public static TableProgressStore Store(StateStores store) => new(store.Tables);

    public static ProgressRebuild Rebuild(StateStores store) => new(store, Store(store), NullLogger<ProgressRebuild>.Instance);

    public static ProgressApi Api(StateStores store, TimeProvider? time = null, bool trustPrincipal = true) =>
        new(store, Store(store), Rebuild(store), TestEvents.Authorizer(trustPrincipal), time ?? TimeProvider.System, store.Audit);

    /// <summary>An event as <see cref="TestEvents"/> writes it, with its CloudEvent <c>time</c> set to <paramref name="time"/>.</summary>
    public static string At(string eventJson, DateTimeOffset time)
    {
        var node = JsonNode.Parse(eventJson)!.AsObject();
        node["time"] = time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        return node.ToJsonString();
    }
}
