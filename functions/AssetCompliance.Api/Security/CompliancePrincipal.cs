using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace AssetCompliance.Api.Security;

/// <summary>App roles of the compliance API (defined on the Entra ID app registration).</summary>
public static class ComplianceRoles
{
    /// <summary>The central security team: read everything.</summary>
    public const string ReadAll = "Compliance.ReadAll";

    /// <summary>Exemptions and admin actions in any department (and read everything).</summary>
    public const string Admin = "Compliance.Admin";

    /// <summary>Read, ingest and request exemptions in one department: <c>Department.HO</c>.</summary>
    public const string DepartmentPrefix = "Department.";
}

/// <summary>
/// The signed-in caller as App Service Authentication describes it in the <c>X-MS-CLIENT-PRINCIPAL</c> header
/// (base64 JSON: <c>auth_typ</c>, <c>claims</c> of <c>typ</c>/<c>val</c>, <c>name_typ</c>, <c>role_typ</c>).
/// </summary>
/// <param name="Name">The name claim (<c>name_typ</c>, or <c>name</c>); "unknown" when absent.</param>
/// <param name="Roles">The app roles.</param>
/// <param name="ObjectId">The Entra ID object id (<c>oid</c> or its long claim type); empty when absent, and then the caller cannot approve an exemption (two people must be told apart).</param>
public sealed record CompliancePrincipal(string Name, IReadOnlySet<string> Roles, string ObjectId = "")
{
    public const string HeaderName = "X-MS-CLIENT-PRINCIPAL";

    private static readonly string[] ObjectIdClaimTypes = ["http://schemas.microsoft.com/identity/claims/objectidentifier", "oid"];

    /// <summary>The caller as history and audit record them.</summary>
    public Core.State.Actor Actor => new(Name, ObjectId);

    private const int MaxHeaderLength = 16 * 1024;
    private static readonly string[] RoleClaimTypes = ["roles", "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"];

    public bool IsAdmin => Roles.Contains(ComplianceRoles.Admin);

    public bool CanReadAll => IsAdmin || Roles.Contains(ComplianceRoles.ReadAll);

    public bool BelongsTo(string department) => Roles.Contains(ComplianceRoles.DepartmentPrefix + department);

    /// <summary>Departments the caller has a department role for.</summary>
    public IEnumerable<string> Departments => Roles.Where(r => r.StartsWith(ComplianceRoles.DepartmentPrefix, StringComparison.Ordinal)).Select(r => r[ComplianceRoles.DepartmentPrefix.Length..]);

    /// <summary>Reads the header; null when it is absent or not a well-formed principal.</summary>
    public static CompliancePrincipal? FromHeader(HttpRequest request)
    {
        var header = request.Headers[HeaderName].ToString();
        if (header.Length is 0 or > MaxHeaderLength)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(Convert.FromBase64String(header));
            var root = document.RootElement;
            var roleType = root.TryGetProperty("role_typ", out var rt) && rt.ValueKind == JsonValueKind.String ? rt.GetString() : null;
            var nameType = root.TryGetProperty("name_typ", out var nt) && nt.ValueKind == JsonValueKind.String ? nt.GetString() : null;
            var roles = new HashSet<string>(StringComparer.Ordinal);
            var name = "unknown";
            var objectId = "";
            if (root.TryGetProperty("claims", out var claims) && claims.ValueKind == JsonValueKind.Array)
            {
                foreach (var claim in claims.EnumerateArray())
                {
                    var type = claim.TryGetProperty("typ", out var t) ? t.GetString() : null;
                    var value = claim.TryGetProperty("val", out var v) ? v.GetString() : null;
                    if (type is null || value is null) continue;
                    if (type == roleType || RoleClaimTypes.Contains(type)) roles.Add(value);
                    if (type == nameType || type == "name") name = value;
                    if (ObjectIdClaimTypes.Contains(type)) objectId = value;
                }
            }

            return new CompliancePrincipal(name, roles, objectId);
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// The header value App Service would send for these roles (for the local run and tests), with an object id derived
    /// from the name (a name-based GUID), so that the same name is the same person and different names are different people.
    /// </summary>
    public static string Encode(string name, params string[] roles) => EncodeWithObjectId(name, NameBasedObjectId(name), roles);

    /// <summary>As <see cref="Encode"/> with a given object id; an empty one sends no <c>oid</c> claim at all.</summary>
    public static string EncodeWithObjectId(string name, string objectId, params string[] roles) => Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new
    {
        auth_typ = "aad",
        name_typ = "name",
        role_typ = "roles",
        claims = roles.Select(r => new { typ = "roles", val = r }).Prepend(new { typ = "name", val = name })
            .Concat(objectId.Length == 0 ? [] : [new { typ = ObjectIdClaimTypes[0], val = objectId }]),
    })));

    private static string NameBasedObjectId(string name) =>
        new Guid(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(name)).AsSpan(0, 16)).ToString();
}
