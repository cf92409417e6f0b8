using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace AssetCompliance.Api.Security;

/// <summary>Section <c>ComplianceAuth</c>.</summary>
public sealed class ComplianceAuthOptions
{
    public const string SectionName = "ComplianceAuth";

    /// <summary>
    /// True only where App Service Authentication is in front of the app (set by the infrastructure together with the
    /// authentication configuration) or on the local run's loopback. Otherwise anyone could forge the header, so every
    /// request but health is refused.
    /// </summary>
    public bool TrustPlatformPrincipal { get; set; }
}

/// <summary>What a route needs.</summary>
public enum Access
{
    /// <summary>Read one department's data: its own role, ReadAll or Admin.</summary>
    ReadDepartment,

    /// <summary>Send events or request an exemption in one department: its own role or Admin.</summary>
    WriteDepartment,

    /// <summary>Read across departments: ReadAll or Admin.</summary>
    ReadAll,

    /// <summary>Revoke exemptions, admin actions: Admin.</summary>
    Admin,

    /// <summary>Any signed-in caller (vendor lookup: catalogue data, nothing of any department).</summary>
    SignedIn,

    /// <summary>
    /// NetBox webhooks: not decided by roles at all. NetBox cannot sign in, so the route verifies the body's HMAC
    /// signature with the department's secret instead (<see cref="NetBox.NetBoxApi"/>). No principal is enough for it:
    /// <see cref="ComplianceAuthorizer.Check(HttpRequest, Access, string?)"/> refuses this access to everyone.
    /// </summary>
    NetBoxSignature,
}

/// <summary>
/// Decides every request, once, before storage is touched: 401 without a trusted principal, 403 without the role for
/// the department or action. Department isolation therefore does not depend on each route remembering to filter.
/// </summary>
public sealed class ComplianceAuthorizer(IOptions<ComplianceAuthOptions> options)
{
    public ApiResult? Check(HttpRequest request, Access access, string? department = null) => Check(request, access, department, out _);

    public ApiResult? Check(HttpRequest request, Access access, string? department, out CompliancePrincipal? principal)
    {
        principal = null;
        if (!options.Value.TrustPlatformPrincipal)
        {
            return ApiResult.Problem(StatusCodes.Status401Unauthorized, "unauthenticated", "Authentication is required.",
                "This deployment does not have App Service Authentication configured in front of it.");
        }

        principal = CompliancePrincipal.FromHeader(request);
        if (principal is null)
        {
            return ApiResult.Problem(StatusCodes.Status401Unauthorized, "unauthenticated", "Authentication is required.");
        }

        var allowed = access switch
        {
            Access.ReadDepartment => principal.CanReadAll || (department is not null && principal.BelongsTo(department)),
            Access.WriteDepartment => principal.IsAdmin || (department is not null && principal.BelongsTo(department)),
            Access.ReadAll => principal.CanReadAll,
            Access.Admin => principal.IsAdmin,
            Access.SignedIn => true,
            _ => false, // NetBoxSignature, and any access added later, until it is decided here
        };
        return allowed
            ? null
            : ApiResult.Problem(StatusCodes.Status403Forbidden, "forbidden", "You do not have access to this.",
                department is null ? $"This needs the {access} permission." : $"This needs a role for department {department}.");
    }
}
