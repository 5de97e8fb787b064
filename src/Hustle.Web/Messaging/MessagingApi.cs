using Hustle.Web.Infrastructure;

namespace Hustle.Web.Messaging;

public static class MessagingApi
{
    public const string PostMessagePolicy = "post-message";

    public static IEndpointRouteBuilder MapMessaging(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/jobs/{id}/threads", OpenThread.Handle).WithTags("Messaging").RequireAuthorization().RequireRateLimiting(UserLimits.OpenThreads);

        var threads = app.MapGroup("/api/threads").WithTags("Messaging").RequireAuthorization();
        threads.MapGet("/", ListThreads.Handle);
        threads.MapGet("/{id}/messages", ListMessages.Handle);
        threads.MapPost("/{id}/messages", PostMessage.Handle).RequireRateLimiting(PostMessagePolicy);
        threads.MapPost("/{id}/read", MarkRead.Handle);
        return app;
    }
}
