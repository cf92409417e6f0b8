using System.Text.Json;
using AssetCompliance.Api.Security;
using AssetCompliance.Core.Alerting;
using AssetCompliance.Core.Events;
using AssetCompliance.Core.Processing;
using AssetCompliance.Core.State;
using Microsoft.AspNetCore.Http;

namespace AssetCompliance.Api;

/// <summary>Routes over maintained state: summaries, exemptions, and the administrators' sweeps.</summary>
/// <param name="reevaluateBudget">How long one re-evaluation request sweeps; <see cref="ReevaluateBudget"/> unless a test sets it.</param>
public sealed class StateApi(IRecordStore store, IAlertOutbox outbox, Exemptions exemptions, StateSweeps sweeps, RecordRecovery recovery, ComplianceAuthorizer authorizer, TimeSpan? reevaluateBudget = null)
{
    private const int MaxBodyBytes = 64 * 1024;

    private static readonly string[] OutboxStates = [.. Enum.GetNames<OutboxState>().Select(n => n.ToLowerInvariant())];

    /// <summary>The query parameters of <c>GET /api/alerts</c>; the OpenAPI document lists the same.</summary>
    internal static readonly QueryParameter[] AlertParameters =
    [
        QueryParameter.List("status", "Alerts in this delivery state.", OutboxStates),
        QueryParameter.One("department", "Only this department's alerts (its own role is enough); without it, every department's (Compliance.ReadAll)."),
        QueryParameter.Instant("since", "Only transitions at or after this instant, for tools that poll."),
    ];

    /// <summary>The query parameters of <c>POST /api/admin/alerts/retry</c>.</summary>
    internal static readonly QueryParameter[] RetryParameters =
    [
        QueryParameter.One("department", "Only this department's failed alerts; without it, every department's."),
    ];

    /// <summary>One department's counts and oldest open NonCompliant device, read from the maintained summary row.</summary>
    public async Task<ApiResult> GetDepartmentSummaryAsync(HttpRequest request, string department, CancellationToken cancellationToken)
    {
        if (authorizer.Check(request, Access.ReadDepartment, department) is { } denied)
        {
            return denied;
        }

        if (RequestChecks.Identifiers(request, department, null) is { } problem)
        {
            return problem;
        }

        return ApiResult.Json(SummaryView(await store.GetSummaryAsync(department, cancellationToken).ConfigureAwait(false)));
    }

    /// <summary>Every department's summary and their total, from the department list and one row each (no scan).</summary>
    public async Task<ApiResult> GetEstateSummaryAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (authorizer.Check(request, Access.ReadAll) is { } denied)
        {
            return denied;
        }

        if (RequestChecks.Parameters(request) is { } problem)
        {
            return problem;
        }

        var departments = await store.GetDepartmentsAsync(cancellationToken).ConfigureAwait(false);
        var summaries = await Task.WhenAll(departments.Select(d => store.GetSummaryAsync(d, cancellationToken))).ConfigureAwait(false);
        var total = summaries.Aggregate(SummaryCounts.Empty, (sum, s) => sum.Add(s.Counts));
        var oldest = summaries.Select(s => s.OldestOpenNonCompliant).Where(o => o is not null).MinBy(o => o!.Since);
        return ApiResult.Json(new
        {
            total = CountsView(total),
            oldestOpenNonCompliant = oldest,
            departments = summaries.OrderBy(s => s.Department, StringComparer.Ordinal).Select(SummaryView),
        });
    }

    public async Task<ApiResult> GetExemptionsAsync(HttpRequest request, string department, string assetId, CancellationToken cancellationToken)
    {
        if (authorizer.Check(request, Access.ReadDepartment, department) is { } denied)
        {
            return denied;
        }

        if (RequestChecks.Identifiers(request, department, assetId) is { } problem)
        {
            return problem;
        }

        if (await store.GetRecordAsync(department, assetId, cancellationToken).ConfigureAwait(false) is not { } stored)
        {
            return RequestChecks.AssetNotFound(department, assetId);
        }

        var history = await store.GetHistoryAsync(department, assetId, cancellationToken).ConfigureAwait(false);
        return ApiResult.Json(new
        {
            department,
            assetId,
            current = stored.Record.Exemption,
            stored.Record.Status,
            changes = history.Where(h => h.Outcome == HistoryOutcome.ExemptionChanged),
        });
    }

    public async Task<ApiResult> GrantExemptionAsync(HttpRequest request, string department, string assetId, CancellationToken cancellationToken)
    {
        if (authorizer.Check(request, Access.WriteDepartment, department, out var principal) is { } denied)
        {
            return denied;
        }

        if (RequestChecks.Identifiers(request, department, assetId) is { } problem)
        {
            return problem;
        }

        var (invalid, body) = await ReadRequestAsync<ExemptionRequest>(request, "exemption request", "invalid-exemption", exemptions.Validate, cancellationToken).ConfigureAwait(false);
        if (invalid is not null)
        {
            return invalid;
        }

        var result = await exemptions.GrantAsync(department, assetId, body!, requestedBy: principal?.Name, cancellationToken).ConfigureAwait(false);
        return await Respond(result, department, assetId, StatusCodes.Status201Created, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ApiResult> RevokeExemptionAsync(HttpRequest request, string department, string assetId, CancellationToken cancellationToken)
    {
        if (authorizer.Check(request, Access.Admin, department, out var principal) is { } denied)
        {
            return denied;
        }

        if (RequestChecks.Identifiers(request, department, assetId) is { } problem)
        {
            return problem;
        }

        var result = await exemptions.RevokeAsync(department, assetId, revokedBy: principal?.Name, cancellationToken).ConfigureAwait(false);
        return await Respond(result, department, assetId, StatusCodes.Status200OK, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Resets a device's revision so that its next event applies whatever its revision: the way out for a record stuck
    /// on a revision no register will exceed. Admin only (and the host's master key in Azure); the record and history
    /// stay, and the reset is a history entry naming who did it and why. Answers the record with its pending reset.
    /// </summary>
    public async Task<ApiResult> ResetRevisionAsync(HttpRequest request, string department, string assetId, CancellationToken cancellationToken)
    {
        if (authorizer.Check(request, Access.Admin, department, out var principal) is { } denied)
        {
            return denied;
        }

        if (RequestChecks.Identifiers(request, department, assetId) is { } problem)
        {
            return problem;
        }

        var (invalid, body) = await ReadRequestAsync<RevisionResetRequest>(request, "revision reset request", "invalid-revision-reset", RecordRecovery.Validate, cancellationToken).ConfigureAwait(false);
        if (invalid is not null)
        {
            return invalid;
        }

        var result = await recovery.ResetRevisionAsync(department, assetId, body!, resetBy: principal?.Name, cancellationToken).ConfigureAwait(false);
        return await Respond(result, department, assetId, StatusCodes.Status200OK, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// How request bodies are read: the stored model's names and converters, but nothing left to guess. A name given
    /// twice is refused (which one would count?), and nesting is bounded; unknown names are refused by
    /// <see cref="ReadRequestAsync"/> with their path (a misspelt <c>requestId</c> must not silently lose idempotency).
    /// </summary>
    private static readonly JsonDocumentOptions RequestDocument = new() { AllowDuplicateProperties = false, MaxDepth = 16 };

    private static readonly JsonSerializerOptions RequestJson = new(ComplianceJson.Options) { AllowDuplicateProperties = false, MaxDepth = 16 };

    /// <summary>
    /// A small JSON request body, validated: the body, or a problem. 413 past the limit; 400 <c>invalid-body</c> when
    /// it is not JSON (or repeats a name); 400 <paramref name="invalidKind"/> when a field is unknown, of the wrong
    /// type, not valid Unicode (a lone surrogate escape, invalid UTF-8) or breaks a rule (an <c>expiresAt</c> without
    /// an offset), with every error and its JSON path. A leading byte-order mark is skipped. Never a 500.
    /// </summary>
    private static async Task<(ApiResult? Problem, T? Body)> ReadRequestAsync<T>(
        HttpRequest request, string what, string invalidKind, Func<T, IReadOnlyList<Core.Events.ValidationError>> validate, CancellationToken cancellationToken)
        where T : class
    {
        if (await RequestChecks.ReadBodyAsync(request, MaxBodyBytes, cancellationToken).ConfigureAwait(false) is not { } bytes)
        {
            return (ApiResult.Problem(StatusCodes.Status413PayloadTooLarge, "body-too-large", $"The body must be at most {MaxBodyBytes} bytes."), null);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(Core.Events.AssetEventParser.WithoutByteOrderMark(bytes), RequestDocument);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // Not JSON, a name given twice, or (when names are compared for repeats) a name that is not valid Unicode.
            var message = e is InvalidOperationException ? "A field name is not valid Unicode text (a lone surrogate or invalid UTF-8)." : e.Message;
            return (ApiResult.Problem(StatusCodes.Status400BadRequest, "invalid-body", $"The body is not a valid {what}.", message,
                [new Core.Events.ValidationError("$", message)]), null);
        }

        using (document)
        {
            var errors = new List<Core.Events.ValidationError>();
            T? body = null;
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors.Add(new Core.Events.ValidationError("$", "a JSON object is required"));
            }
            else
            {
                var fields = RequestJson.GetTypeInfo(typeof(T)).Properties.Select(p => p.Name).ToArray();
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (UnicodeName(property) is not { } name)
                    {
                        errors.Add(new Core.Events.ValidationError("$", "has a field name that is not valid Unicode text"));
                    }
                    else if (!fields.Contains(name, StringComparer.OrdinalIgnoreCase))
                    {
                        errors.Add(new Core.Events.ValidationError($"$.{name}", $"is not a field of the {what} ({string.Join(", ", fields)})"));
                    }
                }

                try
                {
                    body = document.Deserialize<T>(RequestJson);
                }
                catch (JsonException e)
                {
                    errors.Add(new Core.Events.ValidationError(e.Path is { Length: > 0 } path ? path : "$", e.InnerException is InvalidOperationException
                        ? "is not valid Unicode text (a lone surrogate or invalid UTF-8)"
                        : e.Message.Contains(" Path: ", StringComparison.Ordinal) ? "has the wrong JSON type for this field" : e.Message));
                }
            }

            if (body is not null)
            {
                errors.AddRange(validate(body));
            }

            // Every problem at once, each with the JSON path of its field.
            return errors.Count > 0
                ? (ApiResult.Problem(StatusCodes.Status400BadRequest, invalidKind, $"The {what} is not valid.", errors: errors.Cast<object>().ToArray()), null)
                : (null, body);
        }
    }

    private static string? UnicodeName(JsonProperty property)
    {
        try
        {
            return property.Name;
        }
        catch (InvalidOperationException)
        {
            return null; // a lone surrogate escape or invalid UTF-8 in the name
        }
    }

    /// <summary>How long one request sweeps before it answers; far inside App Service's 230 s request timeout.</summary>
    public static readonly TimeSpan ReevaluateBudget = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Re-evaluates devices not evaluated with the deployed catalogue and policy, for up to <see cref="ReevaluateBudget"/>:
    /// 200 with <c>complete: true</c> when none is left, 202 with <c>complete: false</c> when the caller should ask again
    /// (or leave it to the hourly timer). Safe to repeat or interrupt: each call continues where the last stopped.
    /// </summary>
    public async Task<ApiResult> ReevaluateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (authorizer.Check(request, Access.Admin) is { } denied)
        {
            return denied;
        }

        if (RequestChecks.Parameters(request) is { } problem)
        {
            return problem;
        }

        var report = await sweeps.ReevaluateAsync(reevaluateBudget ?? ReevaluateBudget, cancellationToken).ConfigureAwait(false);
        return ApiResult.Json(report, report.Complete ? StatusCodes.Status200OK : StatusCodes.Status202Accepted);
    }

    /// <summary>
    /// Puts failed alerts back in the outbox (for <c>?department=</c> or every department), typically after a webhook
    /// was fixed; the next dispatch posts them to the targets that refused them. Answers how many went back.
    /// </summary>
    public async Task<ApiResult> RetryFailedAlertsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (authorizer.Check(request, Access.Admin) is { } denied)
        {
            return denied;
        }

        if (RequestChecks.Parameters(request, RetryParameters) is { } problem)
        {
            return problem;
        }

        var department = new QueryReader(request.Query, []).One("department") ?? "";
        if (RequestChecks.OptionalDepartment(department) is { } departmentProblem)
        {
            return departmentProblem;
        }

        var retried = 0;
        foreach (var d in department.Length > 0 ? [department] : await store.GetDepartmentsAsync(cancellationToken).ConfigureAwait(false))
        {
            retried += await FailedAlerts.RetryAsync(outbox, d, cancellationToken).ConfigureAwait(false);
        }

        return ApiResult.Json(new { retried });
    }

    /// <summary>
    /// Outbox rows by delivery state (<c>?status=failed</c> lists what Teams refused, with the redacted response), for
    /// one department or all, and with <c>?since=</c> only transitions at or after that time (for tools that poll).
    /// Webhook URLs are never part of the answer.
    /// </summary>
    public async Task<ApiResult> GetAlertsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // Which role the caller needs depends on department, so the query's shape is checked first: a repeated
        // department is refused, never read as one of its values or as their comma-joined text.
        if (RequestChecks.Parameters(request, AlertParameters) is { } problem)
        {
            return problem;
        }

        var errors = new List<ValidationError>();
        var reader = new QueryReader(request.Query, errors);
        var department = reader.One("department") ?? "";
        // A department's own role sees its alerts; the whole estate needs ReadAll.
        if (authorizer.Check(request, department.Length > 0 ? Access.ReadDepartment : Access.ReadAll, department.Length > 0 ? department : null) is { } denied)
        {
            return denied;
        }

        var since = reader.Instant("since");

        // Repeated values are alternatives: status=failed&status=pending lists both; no status lists every state.
        var states = reader.List("status", QueryReader.EnumValue<OutboxState>, $"is not one of {string.Join(", ", OutboxStates)}");
        if (errors.Count > 0)
        {
            return RequestChecks.InvalidQuery(errors);
        }

        if (RequestChecks.OptionalDepartment(department) is { } departmentProblem)
        {
            return departmentProblem;
        }

        var departments = department.Length > 0 ? [department] : await store.GetDepartmentsAsync(cancellationToken).ConfigureAwait(false);
        var alerts = new List<object>();
        foreach (var d in departments)
        {
            foreach (var entry in await outbox.GetOutboxEntriesAsync(d, states.Count > 0 ? states : Enum.GetValues<OutboxState>(), since, cancellationToken).ConfigureAwait(false))
            {
                alerts.Add(new
                {
                    entry.Alert.Id,
                    entry.Alert.Department,
                    entry.Alert.AssetId,
                    entry.Alert.Kind,
                    entry.Alert.StatusBefore,
                    entry.Alert.StatusAfter,
                    entry.Alert.SeverityAfter,
                    entry.Alert.OccurredAt,
                    State = entry.State,
                    entry.Attempts,
                    entry.NotBefore,
                    DeliveredTo = entry.DeliveredTo.Order(StringComparer.Ordinal),
                    entry.LastError,
                });
            }
        }

        return ApiResult.Json(new { count = alerts.Count, alerts });
    }

    private async Task<ApiResult> Respond(CommandResult result, string department, string assetId, int successStatus, CancellationToken cancellationToken)
    {
        switch (result.Outcome)
        {
            case CommandOutcome.NotFound:
                return RequestChecks.AssetNotFound(department, assetId);
            case CommandOutcome.Refused:
                return ApiResult.Problem(StatusCodes.Status409Conflict, "exemption-not-applicable", "The exemption cannot be changed.", result.Reason);
            default:
                var stored = await store.GetRecordAsync(department, assetId, cancellationToken).ConfigureAwait(false);
                return ApiResult.Json(stored!.Record, result.Outcome == CommandOutcome.Applied ? successStatus : StatusCodes.Status200OK);
        }
    }

    private static object SummaryView(DepartmentSummary summary) => new
    {
        department = summary.Department,
        counts = CountsView(summary.Counts),
        oldestOpenNonCompliant = summary.OldestOpenNonCompliant,
    };

    private static object CountsView(SummaryCounts counts) => new
    {
        total = counts.Total,
        byStatus = counts.ByStatus,
        nonCompliantBySeverity = counts.NonCompliantBySeverity,
    };
}
