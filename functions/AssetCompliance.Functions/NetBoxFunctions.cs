using AssetCompliance.Api;
using AssetCompliance.Api.NetBox;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace AssetCompliance.Functions;

/// <summary>
/// NetBox event-rule webhooks, one line into <see cref="NetBoxApi"/> as every route. Authenticated by the webhook's
/// HMAC signature with the department's secret (NetBox cannot sign in to Entra ID, so infra leaves this path out of
/// App Service Authentication); the function key stays on as a second lock, sent by NetBox as an additional header.
/// </summary>
public sealed class NetBoxFunctions(ApiHandler handler, NetBoxApi netBox)
{
    [Function(nameof(NetBoxWebhook))]
    public async Task<IActionResult> NetBoxWebhook(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = ApiRoutes.NetBoxWebhook)] HttpRequest request, string department) =>
        await handler.RunAsync(request, t => netBox.ReceiveAsync(request, department, t));
}
