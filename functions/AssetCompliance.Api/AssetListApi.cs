using System.Globalization;
using System.Text;
using System.Text.Json;
using AssetCompliance.Api.Security;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Policy;
using AssetCompliance.Core.Registers;
using AssetCompliance.Core.State;
using Microsoft.AspNetCore.Http;

namespace AssetCompliance.Api;

/// <summary>
/// <c>GET /api/departments/{d}/assets</c>: a department's devices, filtered, in pages with an opaque continuation
/// token, or the whole filtered list as CSV (<c>Accept: text/csv</c> or <c>format=csv</c>) for spreadsheets.
/// </summary>
public sealed class AssetListApi(IRecordStore store, ComplianceAuthorizer authorizer)
{
    public const int DefaultTop = 100;
    public const int MaxTop = 1000;

    /// <summary>The query parameters the route accepts; the OpenAPI document lists the same.</summary>
    internal static readonly QueryParameter[] Parameters =
    [
        QueryParameter.List("status", "Devices with this compliance status.", Enum.GetNames<ComplianceStatus>()),
        QueryParameter.List("severity", "NonCompliant devices of this severity.", Enum.GetNames<Severity>()),
        QueryParameter.List("siteId", "Devices at this site (the register's site id)."),
        QueryParameter.List("vendor", "Devices whose real maker is this catalogue vendor key, e.g. hikvision."),
        QueryParameter.List("deviceType", "Devices of this type.", DeviceTypes.AllNames),
        QueryParameter.Instant("changedSince", "Only devices evaluated at or after this instant."),
        QueryParameter.One("top", $"Page size, 1 to {MaxTop} (default {DefaultTop}); ignored by the CSV export, which holds every match.", "integer"),
        QueryParameter.One("continuationToken", "The continuationToken of the previous page, unchanged."),
        QueryParameter.One("format", "csv streams the whole filtered list as CSV, as Accept: text/csv does.", values: ["csv", "json"]),
    ];

    public async Task<ApiResult> ListAsync(HttpRequest request, string department, CancellationToken cancellationToken)
    {
        if (RouteTable.ListAssets.Admit(request, authorizer, department) is { } refused)
        {
            return refused;
        }

        var errors = new List<ValidationError>();
        var reader = new QueryReader(request.Query, errors);
        var query = ParseQuery(reader, errors);
        var top = DefaultTop;
        if (reader.One("top") is { } topText && (!int.TryParse(topText, NumberStyles.None, CultureInfo.InvariantCulture, out top) || top is < 1 or > MaxTop))
        {
            errors.Add(new ValidationError("top", $"must be a whole number from 1 to {MaxTop}"));
        }

        string? continuation = null;
        if (reader.One("continuationToken") is { } token && !ContinuationToken.TryRead(token, department, out continuation))
        {
            errors.Add(new ValidationError("continuationToken", "is not a token this route issued for this department"));
        }

        var format = reader.One("format") ?? "";
        if (format.Length > 0 && format is not ("csv" or "json"))
        {
            errors.Add(new ValidationError("format", "must be csv or json"));
        }

        if (errors.Count > 0)
        {
            return RequestChecks.InvalidQuery(errors);
        }

        if (format == "csv" || (format.Length == 0 && request.Headers.Accept.ToString().Contains("text/csv", StringComparison.OrdinalIgnoreCase)))
        {
            // The first page is read before anything is sent: a failure there (storage down) is a problem answer, not a
            // 200 cut off after its header line.
            var first = await store.QueryRecordsAsync(department, query, MaxTop, null, cancellationToken).ConfigureAwait(false);
            return ApiResult.Streamed("text/csv; charset=utf-8", (body, token) => WriteCsvAsync(body, department, query, first, token));
        }

        var page = await store.QueryRecordsAsync(department, query, top, continuation, cancellationToken).ConfigureAwait(false);
        return ApiResult.Json(new AssetPage(department, page.Records.Count, page.Records.Select(Item),
            page.Continuation is null ? null : ContinuationToken.Write(department, page.Continuation)));
    }

    private static AssetQuery ParseQuery(QueryReader q, List<ValidationError> errors)
    {
        var query = new AssetQuery
        {
            Statuses = q.List("status", QueryReader.EnumValue<ComplianceStatus>, $"is not one of {string.Join(", ", Enum.GetNames<ComplianceStatus>())}"),
            Severities = q.List("severity", QueryReader.EnumValue<Severity>, $"is not one of {string.Join(", ", Enum.GetNames<Severity>())}"),
            SiteIds = q.Keys("siteId", Identifiers.AssetIdError),
            VendorKeys = q.Keys("vendor", v => v.Length <= 64 && v.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') ? null : "is not a catalogue vendor key (lower-case letters, digits, hyphens)"),
            DeviceTypes = q.List<DeviceType>("deviceType", t => DeviceTypes.TryParse(t, out var type) ? type : null, $"is not one of {string.Join(", ", DeviceTypes.AllNames)}"),
            ChangedSince = q.Instant("changedSince"),
        };
        if (query.FilterValueCount > AssetQuery.MaxFilterValues)
        {
            errors.Add(new ValidationError("query", $"status, severity, siteId, vendor and deviceType take at most {AssetQuery.MaxFilterValues} values together (this query has {query.FilterValueCount})"));
        }

        return query;
    }

    private static AssetListItem Item(ComplianceRecord r) => new(
        r.AssetId,
        r.Status,
        r.Severity,
        r.Rule,
        r.Vendor is { } v ? new AssetListVendor(v.Key, v.Name, v.Jurisdiction, v.SubjectToNationalIntelligenceLaw) : null,
        r.Device.DeviceType?.ToWire(),
        r.Device.Site?.Id,
        r.Device.Site?.Sensitive,
        r.Device.UnreadFields.Count > 0 ? r.Device.UnreadFields : null, // a null siteSensitive may be unread, not unknown
        r.RelabelSuspected,
        r.StatusSince,
        r.EvaluatedAt,
        r.Revision,
        r.Device); // registered: the fields of the last event applied, as sent: what a register sync compares and the CSV export's last columns show

    /// <summary>
    /// The CSV export's header: the verdict, then what the register said (<see cref="ReportCsv.RegisteredColumns"/>:
    /// site name, manufacturer, model, MAC as the event carried it), named as check's CSV names the same columns.
    /// </summary>
    public static readonly IReadOnlyList<string> CsvColumns =
    [
        ReportCsv.Department, ReportCsv.AssetId, ReportCsv.Status, ReportCsv.Severity, ReportCsv.Rule, ReportCsv.Vendor, ReportCsv.Jurisdiction,
        ReportCsv.SubjectToNil, "device_type", ReportCsv.SiteId, "site_sensitive", "unread_fields", ReportCsv.RelabelSuspected, "status_since", "evaluated_at",
        .. ReportCsv.RegisteredColumns,
    ];

    private async Task WriteCsvAsync(Stream body, string department, AssetQuery query, RecordPage first, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(body, new UTF8Encoding(false), 1 << 16, leaveOpen: true);
        await writer.WriteLineAsync(string.Join(',', CsvColumns));
        var page = first;
        while (true)
        {
            foreach (var r in page.Records)
            {
                string[] fields =
                [
                    department, r.AssetId, r.Status.ToString(), r.Severity?.ToString() ?? "", r.Rule, r.Vendor?.Name ?? "", r.Vendor?.Jurisdiction ?? "",
                    r.Vendor?.SubjectToNationalIntelligenceLaw switch { true => "true", false => "false", null => "" },
                    r.Device.DeviceType?.ToWire() ?? "", r.Device.Site?.Id ?? "", r.Device.Site?.Sensitive switch { true => "true", false => "false", null => "" },
                    // An empty site_sensitive may be unread rather than unknown: the export says which, as the JSON does.
                    string.Join(';', r.Device.UnreadFields),
                    r.RelabelSuspected ? "true" : "false", r.StatusSince.ToString("O", CultureInfo.InvariantCulture), r.EvaluatedAt.ToString("O", CultureInfo.InvariantCulture),
                    // What the register said, as the event carried it (the stored device): the same columns as check's CSV.
                    .. ReportCsv.RegisteredValues(RegisteredText.From(r.Device)),
                ];
                await writer.WriteLineAsync(string.Join(',', fields.Select(CsvField.Escape)));
            }

            if (page.Continuation is not { } continuation)
            {
                break;
            }

            // Whatever was written so far goes out first: if a later page fails, the response has started and is
            // aborted rather than ended, so a client cannot take the rows before the failure for the whole export.
            await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            page = await store.QueryRecordsAsync(department, query, MaxTop, continuation, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>
/// The paging token clients see: the storage continuation wrapped with the department it belongs to, base64url.
/// A token for another department, or a forged one, is refused; and the query's partition always comes from the path.
/// </summary>
internal static class ContinuationToken
{
    private sealed record Body(string D, string C);

    public static string Write(string department, string continuation) =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new Body(department, continuation))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryRead(string token, string department, out string? continuation)
    {
        continuation = null;
        if (token.Length > 4096)
        {
            return false;
        }

        try
        {
            var base64 = token.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var body = JsonSerializer.Deserialize<Body>(Convert.FromBase64String(base64));
            if (body is null || body.D != department || string.IsNullOrEmpty(body.C) || body.C.Length > 2048)
            {
                return false;
            }

            continuation = body.C;
            return true;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return false;
        }
    }
}
