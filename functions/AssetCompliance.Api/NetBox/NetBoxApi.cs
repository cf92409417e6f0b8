using AssetCompliance.Core.NetBox;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace AssetCompliance.Api.NetBox;

/// <summary>
/// <c>POST /api/departments/{d}/netbox</c>: NetBox event-rule webhooks (<see cref="NetBoxReceiver"/>).
/// <para>
/// Authentication is the webhook's signature, not an App Service principal: NetBox cannot sign in to Entra ID, so
/// the route does not ask <see cref="Security.ComplianceAuthorizer"/> for a role. Instead the department in the path
/// chooses the secret, and only a body signed with that department's secret (<c>X-Hook-Signature</c>) is read; the
/// department of every event is the path's. In Azure the route is left out of App Service Authentication per
/// department (infra: <c>excludedPaths</c>) and keeps the function key as a second lock.
/// </para>
/// Answers: 202 with the event ids when events were enqueued (or a MAC was remembered for a device not seen yet);
/// 200 for a duplicate or older change and for a model or event not read (<c>outcome</c> says which), so NetBox does
/// not mark them failed; 401 unsigned or wrongly signed (nothing read or recorded); 400 for a body that is not a
/// NetBox webhook and 422 for a device the event contract cannot carry (both recorded as rejections of the
/// department); 413 over <see cref="NetBoxReceiver.MaxBodyBytes"/>; 503 when storage or the queue is down, or the
/// same objects kept changing under it.
/// </summary>
public sealed class NetBoxApi(NetBoxReceiver receiver, IOptions<NetBoxOptions> options, TimeProvider time)
{
    /// <summary>One webhook for <paramref name="department"/> (the path's code): the answer NetBox records in its job log, as listed on the class.</summary>
    /// <exception cref="Core.State.DependencyUnavailableException">Storage or the queue is down; <see cref="ApiHandler"/> answers 503.</exception>
    public async Task<ApiResult> ReceiveAsync(HttpRequest request, string department, CancellationToken cancellationToken)
    {
        // No role: the signature decides (RouteTable.NetBoxWebhook's access is NetBoxSignature).
        if (RouteTable.NetBoxWebhook.Admit(request, null, department) is { } problem)
        {
            return problem;
        }

        if (await RequestChecks.ReadBodyAsync(request, NetBoxReceiver.MaxBodyBytes, cancellationToken).ConfigureAwait(false) is not { } body)
        {
            return ApiResult.Problem(StatusCodes.Status413PayloadTooLarge, "body-too-large", $"The body must be at most {NetBoxReceiver.MaxBodyBytes} bytes.",
                "NetBox's default webhook body for a device is a few KB; a body template or large config context may make it larger.");
        }

        var outcome = await receiver.ReceiveAsync(department, body, request.Headers[NetBoxSignature.HeaderName].ToString(), options.Value.SecretFor(department), cancellationToken).ConfigureAwait(false);
        return outcome.Kind switch
        {
            NetBoxOutcomeKind.Accepted => Answer(outcome, department, StatusCodes.Status202Accepted),
            NetBoxOutcomeKind.Duplicate or NetBoxOutcomeKind.Ignored => Answer(outcome, department, StatusCodes.Status200OK),
            NetBoxOutcomeKind.Unauthenticated => ApiResult.Problem(StatusCodes.Status401Unauthorized, "invalid-signature", "The webhook's signature could not be verified.", outcome.Message),
            NetBoxOutcomeKind.Invalid => ApiResult.Problem(StatusCodes.Status400BadRequest, "invalid-netbox-webhook", "The body is not a NetBox webhook.", outcome.Message, [.. outcome.Errors]),
            NetBoxOutcomeKind.Unprocessable => ApiResult.Problem(StatusCodes.Status422UnprocessableEntity, "netbox-object-not-sendable", "The NetBox object cannot be sent as an asset event.", outcome.Message, [.. outcome.Errors]),
            _ => ApiResult.Problem(StatusCodes.Status503ServiceUnavailable, "netbox-contended", "The NetBox objects kept changing; nothing was changed.", outcome.Message, retryAfter: ApiHandler.RetryAfter),
        };
    }

    private ApiResult Answer(NetBoxOutcome outcome, string department, int status) =>
        ApiResult.Json(new NetBoxAnswer(outcome.Kind.ToString().ToLowerInvariant(), department, outcome.ObjectKey, outcome.EventIds, outcome.Message, time.GetUtcNow()), status);
}
