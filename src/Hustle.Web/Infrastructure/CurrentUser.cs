using System.Security.Claims;
using Hustle.Domain.Jobs;

namespace Hustle.Web.Infrastructure;

/// <summary>The signed-in caller of this request.</summary>
public sealed class CurrentUser(IHttpContextAccessor http)
{
    public const string OperatorRole = "operator";

    private ClaimsPrincipal Principal => http.HttpContext?.User ?? new ClaimsPrincipal();

    public string Id => Principal.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("No signed-in user.");

    public bool IsOperator => Principal.IsInRole(OperatorRole);

    public Actor Actor => Actor.User(Id);
}
