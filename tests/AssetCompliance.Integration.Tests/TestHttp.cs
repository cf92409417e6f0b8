using System.Text;
using System.Text.Json;
using AssetCompliance.Api;
using AssetCompliance.Api.Security;
using AssetCompliance.Core.State;
using Microsoft.AspNetCore.Http;

namespace AssetCompliance.Integration.Tests;

/// <summary>Requests to the route handlers as the hosts make them, and the bytes they answer.</summary>
internal static class TestHttp
{
    private const string SentBody = "test.sentBody";

    /// <param name="principal">The X-MS-CLIENT-PRINCIPAL header (see <see cref="TestEvents.Principal"/>), or null for none.</param>
    public static HttpRequest Request(string? principal, string query = "", string method = "GET", byte[]? body = null, bool declareLength = true, string? accept = null)
    {
        var context = new DefaultHttpContext();
        if (principal is not null) context.Request.Headers[CompliancePrincipal.HeaderName] = principal;
        if (accept is not null) context.Request.Headers.Accept = accept;
        context.Request.Method = method;
        context.Request.QueryString = new QueryString(query);
        if (body is not null)
        {
            context.Items[SentBody] = body; // for the request's check against the document, whatever the handler does with the stream
            context.Request.Body = new MemoryStream(body);
            if (declareLength) context.Request.ContentLength = body.Length;
        }

        context.Response.Body = new MemoryStream();
        return context.Request;
    }

    /// <summary>A JSON body: a string as it is (to send malformed JSON), anything else serialised.</summary>
    public static byte[] Json(object body) => body is string text ? Encoding.UTF8.GetBytes(text) : JsonSerializer.SerializeToUtf8Bytes(body, ComplianceJson.Options);

    public static async Task<(int Status, string Body)> SendAsync(HttpRequest request, Func<HttpRequest, Task<ApiResult>> call)
    {
        await (await call(request)).ExecuteAsync(request.HttpContext);
        var response = request.HttpContext.Response;
        var bytes = ((MemoryStream)response.Body).ToArray();
        // Every answer of a route is one the OpenAPI document describes (a CSV stream, cut short or not, is checked for its media type only).
        if (ApiRoute.Of(request.HttpContext) is { } route)
        {
            OpenApiAnswers.Validate(route, response.StatusCode, response.ContentType, bytes);
            if (request.HttpContext.Items[SentBody] is byte[] sent)
            {
                OpenApiAnswers.ValidateRequest(route, response.StatusCode, request.ContentType, sent);
            }
        }

        return (response.StatusCode, Encoding.UTF8.GetString(bytes));
    }
}
