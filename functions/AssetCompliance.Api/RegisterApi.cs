using System.Globalization;
using System.Text.Json;
using AssetCompliance.Api.Security;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.Registers;
using AssetCompliance.Core.State;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AssetCompliance.Api;

/// <summary>
/// <c>POST /api/departments/{d}/register</c>: a department's register file (CSV, JSON Lines or .xlsx, at most
/// <see cref="MaxBodyBytes"/>) for departments without a Service Bus client. It is read as <c>compliance check</c> and
/// <c>push</c> read files (<see cref="RegisterReader"/>, with its detection), planned against the department's stored
/// devices (<see cref="RegisterSync"/>) and sent through the same publisher as <c>asset-events</c>: only new and changed
/// devices; with <c>sync=true</c>, stored devices absent from the file as removals, within the guard.
/// Answers: 202 (200 for <c>dryRun=true</c>) with the counts, a line per device and every row warning, when every row
/// was sent (or would be); 422 when some rows were not read or not sent: the other rows were sent all the same (one bad
/// row never costs the good ones), no removal was, and the problem lists every row error; 409 when the plan is refused
/// whole (removals beyond the guard, another department's register): nothing was sent; 413 beyond the size limit;
/// 415 for another content type (none is taken as <c>application/octet-stream</c>). A dry run answers the same codes and sends nothing.
/// </summary>
public sealed partial class RegisterApi(IRecordStore store, IAssetEventPublisher publisher, ComplianceAuthorizer authorizer, TimeProvider? time = null, ILogger<RegisterApi>? logger = null)
{
    /// <summary>The largest register body accepted: 20 MiB, some 100,000 CSV rows; a larger file is split or pushed with the CLI.</summary>
    public const int MaxBodyBytes = 20 * 1024 * 1024;

    /// <summary>The content types accepted, each with the file name whose extension the reader is given (the content still decides).</summary>
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["text/csv"] = "register.csv",
        ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"] = "register.xlsx",
        ["application/octet-stream"] = "register",
    };

    /// <summary>The media types a register may be sent as (the content still decides how it is read).</summary>
    internal static IReadOnlyList<string> MediaTypes { get; } = [.. ContentTypes.Keys];

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ILogger _logger = (ILogger?)logger ?? NullLogger.Instance;

    /// <summary>The query parameters the route accepts; the OpenAPI document lists the same.</summary>
    internal static readonly QueryParameter[] Parameters =
    [
        QueryParameter.One("dryRun", "true: plan and answer what would be sent, sending nothing.", "boolean"),
        QueryParameter.One("sync", "true: the file is the department's whole register, and stored devices absent from it are removed (at most 10% of those in service unless allowRemovals permits more; never when a row was not read or not sent).", "boolean"),
        QueryParameter.One("allowRemovals", "With sync=true: permit up to this many removals whatever their share.", "integer"),
        QueryParameter.One("sheet", "The workbook sheet to read (any case). Default: the first sheet with a register header; a later sheet with a register too is a row not read."),
        QueryParameter.One("profile", "The export the header is read as, as check --profile. Default: detected from the header (a header two profiles fit equally answers 422).", values: RegisterProfiles.Names),
        QueryParameter.List("map", "A column read as a field whatever the profile says, 'Column Name=field' (field one of the register's fields, or ignore), as check --map."),
    ];

    /// <summary>Handles one register file for <paramref name="department"/>; the answers are in the class summary.</summary>
    /// <exception cref="DependencyUnavailableException">The stored devices could not be read, or the queue could not be used: 503, and nothing was sent by this call that the next one will not send again.</exception>
    public async Task<ApiResult> PostAsync(HttpRequest request, string department, CancellationToken cancellationToken)
    {
        if (RouteTable.PostRegister.Admit(request, authorizer, department) is { } refused)
        {
            return refused;
        }

        var errors = new List<ValidationError>();
        var reader = new QueryReader(request.Query, errors);
        var dryRun = reader.Flag("dryRun");
        var sync = reader.Flag("sync");
        int? allowRemovals = null;
        if (reader.One("allowRemovals") is { } allowText)
        {
            if (!int.TryParse(allowText, NumberStyles.None, CultureInfo.InvariantCulture, out var allowed))
            {
                errors.Add(new ValidationError("allowRemovals", "must be a whole number, 0 or more"));
            }
            else if (!sync)
            {
                errors.Add(new ValidationError("allowRemovals", "applies only with sync=true"));
            }
            else
            {
                allowRemovals = allowed;
            }
        }

        if (reader.One("profile") is { } profile && RegisterProfiles.Find(profile) is null)
        {
            errors.Add(new ValidationError("profile", $"'{profile}' is not a profile (one of {string.Join(", ", RegisterProfiles.Names)})"));
        }

        var columns = new List<(string Column, string Field)>();
        foreach (var map in request.Query["map"])
        {
            if (RegisterMapping.ParsePair(map ?? "", out var mapError) is { } pair)
            {
                columns.Add(pair);
            }
            else
            {
                errors.Add(new ValidationError("map", mapError!));
            }
        }

        if (errors.Count > 0)
        {
            return RequestChecks.InvalidQuery(errors);
        }

        // No Content-Type is bytes of unstated type, as application/octet-stream: the content decides either way.
        var mediaType = request.ContentType?.Split(';')[0].Trim() is { Length: > 0 } stated ? stated : "application/octet-stream";
        if (!ContentTypes.TryGetValue(mediaType, out var fileName))
        {
            return ApiResult.Problem(StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "The body must be a register file.",
                $"Content-Type '{mediaType}' is not one of {string.Join(", ", ContentTypes.Keys)}.");
        }

        if (await RequestChecks.ReadBodyAsync(request, MaxBodyBytes, cancellationToken).ConfigureAwait(false) is not { } body)
        {
            return ApiResult.Problem(StatusCodes.Status413PayloadTooLarge, "body-too-large", $"The register must be at most {MaxBodyBytes} bytes ({MaxBodyBytes / (1024 * 1024)} MiB).",
                "Split the register, or send it with compliance push.");
        }

        // Every stored device of the department, read before anything is sent: an outage here is a 503 that sent nothing.
        var stored = new List<StoredDevice>();
        await foreach (var record in store.FindRecordsAsync(department, new RecordFilter.All(), cancellationToken).ConfigureAwait(false))
        {
            stored.Add(StoredDevice.From(record.Record));
        }

        var now = _time.GetUtcNow();
        var source = RegisterReader.Open(new MemoryStream(body, writable: false), fileName, new RegisterReadOptions
        {
            Sheet = reader.One("sheet"),
            Profile = reader.One("profile"),
            ProfileSource = "the profile parameter",
            Columns = columns.Count > 0 ? columns : null,
            ColumnsSource = "the map parameter",

            // The route names the department, as push's --department does: it fills a blank one (exports from
            // NetBox, ServiceNow or Defender carry none), and a row naming another is refused, never sent.
            Department = department,
        });
        var plan = RegisterSync.Plan(source.Rows, department, stored, RegisterEvents.RevisionAt(now), now, new RegisterSyncOptions { Removals = sync, AllowRemovals = allowRemovals });

        var sent = 0;
        if (!dryRun && plan.Refusal is null && plan.Events.Count > 0)
        {
            try
            {
                await publisher.PublishAsync(plan.Events, cancellationToken).ConfigureAwait(false);
            }
            catch (EventTooLargeException e)
            {
                return ApiResult.Problem(StatusCodes.Status413PayloadTooLarge, "event-too-large", "Nothing was sent: a device's event is larger than a queue message may be.",
                    $"Event {e.EventId} is {e.BodyBytes} bytes.");
            }

            sent = plan.Events.Count;
        }

        RegisterReceived(_logger, department, dryRun, sync, sent, plan.New, plan.Changed, plan.Unchanged, plan.Removed, plan.Errors.Count, plan.Refusal is not null);
        var answer = Answer(department, dryRun, sync, source, plan, sent);
        if (plan.Refusal is { } refusal)
        {
            return ApiResult.Problem(StatusCodes.Status409Conflict, "register-refused", "Nothing was sent: the register sync is refused.", refusal, extensions: Members(answer));
        }

        if (plan.Errors.Count > 0)
        {
            var what = dryRun ? "would not be sent" : "were not sent";
            return ApiResult.Problem(StatusCodes.Status422UnprocessableEntity, "register-rows-not-sent",
                !plan.Devices.Any(d => d.Line > 0) && plan.Errors.Any(e => e.Line <= 1)
                    ? $"The register could not be read; nothing {(dryRun ? "would be" : "was")} sent."
                    // Every row refused (a Defender export has no site): saying "the other rows were sent" would claim a send.
                    : !plan.Devices.Any(d => d.Line > 0)
                    ? $"None of the register's {plan.Errors.Count} row(s) can be sent; nothing {(dryRun ? "would be" : "was")} sent{(sync ? " or removed" : "")}."
                    : $"{plan.Errors.Count} row(s) of the register {what}; the other rows {(dryRun ? "would be" : "were")} sent{(sync ? ", and no device was removed" : "")}.",
                string.Join(" ", plan.Errors.Take(20).Select(e => $"Line {e.Line}: {e.Reason}.")), [.. plan.Errors.Select(e => new RegisterRowLine(e.Line, e.Reason))], Members(answer));
        }

        return ApiResult.Json(answer, dryRun ? StatusCodes.Status200OK : StatusCodes.Status202Accepted);
    }

    private static RegisterAnswer Answer(string department, bool dryRun, bool sync, RegisterSource source, SyncPlan plan, int sent) => new(
        department, dryRun, sync, source.ReadAs, source.Notes, sent,
        plan.Planned, // toSend: what the plan holds; a refused plan sends none of it
        plan.New, plan.Changed, plan.Unchanged, plan.Removed, plan.Errors.Count, plan.RemovalsWithheld, plan.Refusal,
        plan.Devices.Select(d => new RegisterDeviceLine(d.AssetId, d.Action.ToString(), d.Line, d.EventId)),
        plan.Errors.Select(e => new RegisterRowLine(e.Line, e.Reason)),
        plan.Warnings.Select(e => new RegisterRowLine(e.Line, e.Reason)));

    /// <summary>The answer's members, as a problem's extension members: the same names and values as the 200/202 body.</summary>
    private static Dictionary<string, object?> Members(RegisterAnswer answer) =>
        JsonSerializer.SerializeToElement(answer, ComplianceJson.Options).EnumerateObject().ToDictionary(p => p.Name, p => (object?)p.Value.Clone());

    [LoggerMessage(Level = LogLevel.Information, Message = "Register received for {Department}: dry run {DryRun}, sync {Sync}; {Sent} event(s) sent; {New} new, {Changed} changed, {Unchanged} unchanged, {Removed} removed, {NotSent} row(s) not sent, refused {Refused}")]
    private static partial void RegisterReceived(ILogger logger, string department, bool dryRun, bool sync, int sent, int @new, int changed, int unchanged, int removed, int notSent, bool refused);
}
