using Hustle.Web.Infrastructure;

namespace Hustle.Web.Messaging;

public static class MessagingApi
{
    public const string PostMessagePolicy = "post-message";

    public static IEndpointRouteBuilder MapMessaging(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/jobs/{id}/threads", OpenThread.Handle).WithTags("Messaging").RequireAuthorization().RequireRateLimiting(UserLimits.OpenThreads)
            .WithName("openThread").WithSummary("Open (or find) the caller's thread on a job").ProducesProblem(StatusCodes.Status409Conflict);

        var threads = app.MapGroup("/api/threads").WithTags("Messaging").RequireAuthorization();
        threads.MapGet("/", ListThreads.Handle).WithName("listThreads").WithSummary("List the caller's threads with unread counts");
        threads.MapGet("/{id}/messages", ListMessages.Handle).WithName("listMessages").WithSummary("Read a thread's messages, oldest first");
        threads.MapPost("/{id}/messages", PostMessage.Handle).RequireRateLimiting(PostMessagePolicy)
            .WithName("postMessage").WithSummary("Write a message in a thread").ProducesProblem(StatusCodes.Status409Conflict);
        threads.MapPost("/{id}/read", MarkRead.Handle).WithName("markRead").WithSummary("Mark a thread read up to a message");
        return app;
    }
}
