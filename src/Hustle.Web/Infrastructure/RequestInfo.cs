using System.Diagnostics;

namespace Hustle.Web.Infrastructure;

/// <summary>The id recorded in history for the request that caused a change (the trace id when there is one).</summary>
public sealed class RequestInfo(IHttpContextAccessor http)
{
    public string? Id => Activity.Current?.TraceId.ToString() ?? http.HttpContext?.TraceIdentifier;
}
