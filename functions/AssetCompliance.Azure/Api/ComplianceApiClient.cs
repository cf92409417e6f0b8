using System.Net.Http.Headers;
using System.Text.Json;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Registers;
using AssetCompliance.Core.State;
using Azure.Core;

namespace AssetCompliance.Azure.Api;

/// <summary>
/// Reads a department's stored devices from the compliance API (<c>GET /api/departments/{d}/assets</c>, every page,
/// following <c>continuationToken</c>), for <c>compliance push --sync</c>, and the progress figures
/// (<c>GET /api/departments/{d}/progress</c>, <c>GET /api/progress</c>) for <c>compliance report</c>. Against a deployment it sends an Entra ID
/// token for <see cref="Scope"/> from the caller's own sign-in (no key) and, if given, the function key; against the
/// local run (a loopback address) neither is needed. Any failure (no answer, a status other than 200, a page without
/// the registered devices) throws <see cref="DependencyUnavailableException"/>: a sync never plans on a partial list.
/// </summary>
public sealed partial class ComplianceApiClient(HttpClient http, Uri baseAddress, TokenCredential? credential, string? scope, string? functionKey)
{
    /// <summary>The dependency named in errors.</summary>
    public const string Dependency = "the compliance API";

    /// <summary>The page size asked for: the route's maximum, 1,000 devices.</summary>
    private const int PageSize = 1000;

    /// <summary>The token scope of a deployment: <c>api://{AUTH_CLIENT_ID}/.default</c>, the audience App Service Authentication accepts.</summary>
    public string? Scope { get; } = scope;

    /// <summary>Every stored device of <paramref name="department"/>, removed ones included (marked so).</summary>
    /// <exception cref="DependencyUnavailableException">The API could not be read, or not wholly.</exception>
    public async Task<IReadOnlyList<StoredDevice>> GetStoredDevicesAsync(string department, CancellationToken cancellationToken)
    {
        var devices = new List<StoredDevice>();
        string? continuation = null;
        do
        {
            var path = $"api/departments/{Uri.EscapeDataString(department)}/assets?top={PageSize}" + (continuation is null ? "" : $"&continuationToken={Uri.EscapeDataString(continuation)}");
            var page = await GetJsonAsync(path, cancellationToken).ConfigureAwait(false);
            using (page)
            {
                try
                {
                    continuation = Read(page.RootElement, department, devices);
                }
                catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException)
                {
                    // A device the client cannot read (a value of the wrong type, an unknown device type) is a page
                    // not read: a sync on part of the stored devices could remove the ones it did not read.
                    throw new DependencyUnavailableException(Dependency, $"a page of devices from {baseAddress} could not be read: {e.Message}", e);
                }
            }
        }
        while (continuation is not null);

        return devices;
    }

    /// <summary>
    /// <c>GET /api/departments/{department}/progress</c>: the department's progress figures, trend and open items by age
    /// (for <c>compliance report</c>).
    /// </summary>
    /// <exception cref="DependencyUnavailableException">The API could not be read, answered other than 200, or with a body that is not progress figures.</exception>
    public async Task<DepartmentProgressBody> GetDepartmentProgressAsync(string department, CancellationToken cancellationToken)
    {
        var body = await GetBodyAsync<DepartmentProgressBody>($"api/departments/{Uri.EscapeDataString(department)}/progress", cancellationToken).ConfigureAwait(false);
        return Complete(body) && body.Department == department ? body : throw new DependencyUnavailableException(Dependency, $"the progress of {department} is not a department's progress figures");
    }

    /// <summary><c>GET /api/progress</c>: the estate's progress figures and every department's (Compliance.ReadAll).</summary>
    /// <exception cref="DependencyUnavailableException">The API could not be read, answered other than 200, or with a body that is not progress figures.</exception>
    public async Task<EstateProgressBody> GetEstateProgressAsync(CancellationToken cancellationToken)
    {
        var body = await GetBodyAsync<EstateProgressBody>("api/progress", cancellationToken).ConfigureAwait(false);
        return body.Estate is { Current: not null, Trend: not null, OpenItemsByAge: not null, Plans: not null } && body.Departments is not null && body.Departments.All(Complete)
            ? body
            : throw new DependencyUnavailableException(Dependency, "the estate's progress is not progress figures");
    }

    /// <summary>Whether a department's figures have every part (a member missing from the answer reads as null).</summary>
    private static bool Complete(DepartmentProgressBody? body) =>
        body is { Department: not null, Current: not null, Trend: not null, OpenItemsByAge: not null, Plans: not null };

    /// <summary>One GET's JSON body read as <typeparamref name="T"/>.</summary>
    private async Task<T> GetBodyAsync<T>(string path, CancellationToken cancellationToken)
    {
        using var document = await GetJsonAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            return document.Deserialize<T>(ComplianceJson.Options) ?? throw new JsonException("null");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new DependencyUnavailableException(Dependency, $"GET {path} answered a body that could not be read: {e.Message}", e);
        }
    }

    /// <summary>
    /// One GET of <paramref name="path"/> (relative to the base address) with the caller's token and the function key
    /// when given; its JSON body. Any failure is a <see cref="DependencyUnavailableException"/>.
    /// </summary>
    private async Task<JsonDocument> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        using var request = await NewGetAsync(path, cancellationToken).ConfigureAwait(false);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var problem = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                throw new DependencyUnavailableException(Dependency, $"GET {request.RequestUri!.GetLeftPart(UriPartial.Path)} answered {(int)response.StatusCode} {response.ReasonPhrase}{Detail(problem)}");
            }

            return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new DependencyUnavailableException(Dependency, $"{baseAddress} could not be read: {e.Message}", e);
        }
    }

    private static async Task<string> GetTokenAsync(TokenCredential credential, string scope, CancellationToken cancellationToken)
    {
        try
        {
            return (await credential.GetTokenAsync(new TokenRequestContext([scope]), cancellationToken).ConfigureAwait(false)).Token;
        }
        catch (global::Azure.Identity.AuthenticationFailedException e)
        {
            throw new DependencyUnavailableException(Dependency, $"no token for {scope} (sign in with az login): {e.Message}", e);
        }
    }

    /// <summary>The devices of one page, and the next page's token (null on the last).</summary>
    private static string? Read(JsonElement page, string department, List<StoredDevice> devices)
    {
        if (page.ValueKind != JsonValueKind.Object || !page.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            throw new DependencyUnavailableException(Dependency, "a page of devices has no items list");
        }

        foreach (var item in items.EnumerateArray())
        {
            // An API older than register sync lists devices without what was registered: comparing would be guessing.
            if (!item.TryGetProperty("registered", out var registered) || registered.Deserialize<RegisteredDevice>(ComplianceJson.Options) is not { } device || device.Department != department)
            {
                throw new DependencyUnavailableException(Dependency, "a listed device has no registered fields of this department (is the API older than register sync?)");
            }

            // Without a status, whether the device is still in service is unknown, and it decides both what a
            // sync may remove and the share the removal guard allows.
            if (!item.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.String || !Enum.TryParse<Core.Policy.ComplianceStatus>(status.GetString(), out var compliance) || !Enum.IsDefined(compliance))
            {
                throw new DependencyUnavailableException(Dependency, $"listed device '{device.AssetId}' has no known status");
            }

            devices.Add(new StoredDevice(device, compliance == Core.Policy.ComplianceStatus.Removed));
        }

        return page.TryGetProperty("continuationToken", out var token) && token.ValueKind == JsonValueKind.String ? token.GetString() : null;
    }

    /// <summary>The problem's title and detail, when the answer is one, for the error line (never the whole body).</summary>
    private static string Detail(string body)
    {
        try
        {
            using var problem = JsonDocument.Parse(body);
            var title = problem.RootElement.TryGetProperty("title", out var t) ? t.GetString() : null;
            var detail = problem.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
            return title is null ? "" : $": {title}{(detail is null ? "" : " " + detail)}";
        }
        catch (JsonException)
        {
            return "";
        }
    }
}
