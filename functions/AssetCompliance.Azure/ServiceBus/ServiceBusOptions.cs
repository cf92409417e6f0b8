using System.ComponentModel.DataAnnotations;

namespace AssetCompliance.Azure.ServiceBus;

/// <summary>
/// The <c>ServiceBus</c> section the function app's trigger binds to (<c>Connection = "ServiceBus"</c>) and the HTTP
/// ingestion publishes with: identity-based access only, so a namespace and optionally a user-assigned identity, no key.
/// Validated at start-up, so a missing namespace stops the app before any function runs instead of failing every
/// HTTP call on first use.
/// </summary>
public sealed class ServiceBusOptions
{
    public const string SectionName = "ServiceBus";

    /// <summary>For example <c>mynamespace.servicebus.windows.net</c> (app setting <c>ServiceBus__fullyQualifiedNamespace</c>).</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "ServiceBus:fullyQualifiedNamespace (app setting ServiceBus__fullyQualifiedNamespace) is required: the queue trigger and HTTP ingestion use it.")]
    public string? FullyQualifiedNamespace { get; set; }

    /// <summary>Client id of the user-assigned managed identity, when the app uses one (<c>ServiceBus__clientId</c>, as the trigger reads it).</summary>
    public string? ClientId { get; set; }
}
