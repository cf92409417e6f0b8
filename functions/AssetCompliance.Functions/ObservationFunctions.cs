using AssetCompliance.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace AssetCompliance.Functions;

/// <summary>
/// The observations list (issue 18), one line into <see cref="ObservationListApi"/> as every route. Observations
/// themselves arrive as events: on Service Bus (<see cref="ServiceBusFunctions"/>) and through the ingestion route.
/// </summary>
public sealed class ObservationFunctions(ApiHandler handler, ObservationListApi observations)
{
    [Function(nameof(ListObservations))]
    public async Task<IActionResult> ListObservations(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Observations)] HttpRequest request, string department) =>
        await handler.RunAsync(request, t => observations.ListAsync(request, department, t));
}
