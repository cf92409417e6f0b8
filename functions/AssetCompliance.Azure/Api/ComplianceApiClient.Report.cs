using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Reports;
using AssetCompliance.Core.State;

namespace AssetCompliance.Azure.Api;

/// <summary>
/// The routes a printed report reads (<c>compliance report</c>, <see cref="ComplianceReportBuilder"/>): health,
/// summaries, progress, the open items of the asset list and each one's remediation plan, with the same sign-in as
/// <see cref="GetStoredDevicesAsync"/>. An answer other than 200, or one without a figure, throws
/// <see cref="DependencyUnavailableException"/> naming the route and the status: a report is never made of part of
/// its figures. A remediation route's own 404 (its <c>remediation-not-found</c> problem) is a device without a plan;
/// any other 404 (another problem, such as <c>asset-not-found</c> for a device removed after the list was read, or an
/// answer that is not a problem: a route the API does not have) fails like any other answer that is not the figure.
/// The methods are the interface's only (explicit), so that the client's own typed methods for the same routes, added
/// for other callers, keep their names.
/// </summary>
public sealed partial class ComplianceApiClient : IReportSource
{
    private const string ProblemJson = "application/problem+json";

    /// <summary>
    /// The one 404 that means "no plan": the remediation route's own problem. Another 404 problem (the device is gone,
    /// removed after the list was read) is a figure not read, never a device without a plan.
    /// </summary>
    private const string NoPlanProblem = "https://asset-compliance/problems/remediation-not-found";

    private static string? ProblemType(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
                ? type.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    string IReportSource.Name => baseAddress.GetLeftPart(UriPartial.Authority);

    /// <inheritdoc/>
    Task<ReportHealth> IReportSource.GetHealthAsync(CancellationToken cancellationToken) =>
        ReadRouteAsync<ReportHealth>("api/health", cancellationToken);

    /// <inheritdoc/>
    Task<ReportSummary> IReportSource.GetSummaryAsync(string department, CancellationToken cancellationToken) =>
        ReadRouteAsync<ReportSummary>($"api/departments/{Uri.EscapeDataString(department)}/summary", cancellationToken);

    /// <inheritdoc/>
    Task<ReportEstateSummary> IReportSource.GetEstateSummaryAsync(CancellationToken cancellationToken) =>
        ReadRouteAsync<ReportEstateSummary>("api/summary", cancellationToken);

    /// <inheritdoc/>
    Task<DepartmentProgress> IReportSource.GetProgressAsync(string department, CancellationToken cancellationToken) =>
        ReadRouteAsync<DepartmentProgress>($"api/departments/{Uri.EscapeDataString(department)}/progress", cancellationToken);

    /// <inheritdoc/>
    Task<EstateProgress> IReportSource.GetEstateProgressAsync(CancellationToken cancellationToken) =>
        ReadRouteAsync<EstateProgress>("api/progress", cancellationToken);

    /// <inheritdoc/>
    async Task<IReadOnlyList<ReportAsset>> IReportSource.GetAssetsAsync(string department, IReadOnlyList<ComplianceStatus> statuses, CancellationToken cancellationToken)
    {
        var filter = string.Concat(statuses.Select(s => $"&status={s}"));
        var assets = new List<ReportAsset>();
        string? continuation = null;
        do
        {
            var page = await ReadRouteAsync<ReportAssetPage>($"api/departments/{Uri.EscapeDataString(department)}/assets?top={PageSize}{filter}"
                + (continuation is null ? "" : $"&continuationToken={Uri.EscapeDataString(continuation)}"), cancellationToken).ConfigureAwait(false);
            assets.AddRange(page.Items);
            continuation = page.ContinuationToken;
        }
        while (continuation is not null);

        return assets;
    }

    /// <inheritdoc/>
    Task<RemediationPlanView?> IReportSource.GetRemediationAsync(string department, string assetId, CancellationToken cancellationToken) =>
        ReadRouteAsync<RemediationPlanView>($"api/departments/{Uri.EscapeDataString(department)}/assets/{Uri.EscapeDataString(assetId)}/remediation", cancellationToken, absentOn404: true);

    private async Task<T> ReadRouteAsync<T>(string path, CancellationToken cancellationToken) where T : class =>
        await ReadRouteAsync<T>(path, cancellationToken, absentOn404: false).ConfigureAwait(false) ?? throw new InvalidOperationException("unreachable: only a 404 is absent");

    private async Task<T?> ReadRouteAsync<T>(string path, CancellationToken cancellationToken, bool absentOn404) where T : class
    {
        using var request = await NewGetAsync(path, cancellationToken).ConfigureAwait(false);
        var route = request.RequestUri!.GetLeftPart(UriPartial.Path);
        try
        {
            using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var problem = response.Content.Headers.ContentType?.MediaType == ProblemJson;
            if (response.StatusCode == HttpStatusCode.NotFound && absentOn404 && problem && ProblemType(body) == NoPlanProblem)
            {
                return null;
            }

            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new DependencyUnavailableException(Dependency, $"GET {route} answered {(int)response.StatusCode} {response.ReasonPhrase}"
                    + (problem ? Detail(System.Text.Encoding.UTF8.GetString(body)) : "") + Hint(response.StatusCode, problem));
            }

            return ReportJson.Read<T>(body);
        }
        catch (JsonException e)
        {
            throw new DependencyUnavailableException(Dependency, $"GET {route} answered without a figure the report needs: {e.Message}", e);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new DependencyUnavailableException(Dependency, $"{baseAddress} could not be read: {e.Message}", e);
        }
    }

    /// <summary>A GET of <paramref name="path"/> (relative to the API's address) asking for JSON, with the caller's token and the function key when there are.</summary>
    private async Task<HttpRequestMessage> NewGetAsync(string path, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, path));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (credential is not null && Scope is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await GetTokenAsync(credential, Scope, cancellationToken).ConfigureAwait(false));
        }

        if (!string.IsNullOrEmpty(functionKey))
        {
            request.Headers.Add("x-functions-key", functionKey);
        }

        return request;
    }

    /// <summary>What a refusal usually means, for the person running the report.</summary>
    private static string Hint(HttpStatusCode status, bool problem) => status switch
    {
        HttpStatusCode.Unauthorized => " (not signed in: az login, and --api-client-id for a deployment)",
        HttpStatusCode.Forbidden => " (your sign-in has no role for this: a department role reads only its own department; the whole estate needs Compliance.ReadAll)",
        HttpStatusCode.NotFound when !problem => " (the API has no such route: it is older than this report)",
        _ => "",
    };
}
