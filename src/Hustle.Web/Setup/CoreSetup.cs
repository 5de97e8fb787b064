using System.Text.Json;
using Hustle.Web.Infrastructure;
using Hustle.Web.Jobs;
using Hustle.Web.Lifecycle;
using Hustle.Web.Messaging;
using Microsoft.AspNetCore.Http.Json;

namespace Hustle.Web.Setup;

/// <summary>What every request leans on: the clock, who is asking, the contract's JSON, problem details, the stores.</summary>
public static class CoreSetup
{
    /// <summary>Identity's endpoints key their errors by Identity's codes (<c>PasswordTooShort</c>), as the contract says.</summary>
    private static readonly PathString IdentityPaths = "/api/auth";

    public static IServiceCollection AddHustleCore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<HustleOptions>(configuration, HustleOptions.Section);
        services.AddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.AddScoped<CurrentUser>();
        services.AddScoped<RequestInfo>();
        services.AddIdempotency();
        services.Configure<JsonOptions>(o => Json.Configure(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddValidation();
        services.AddSingleton<ProblemExceptionHandler>();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            var status = ctx.ProblemDetails.Status ?? ctx.HttpContext.Response.StatusCode;
            ctx.ProblemDetails.Type ??= ProblemExceptionHandler.TypeFor(status);
            ctx.ProblemDetails.Extensions.TryAdd("code", ProblemExceptionHandler.CodeFor(status));
            ctx.ProblemDetails.Extensions.TryAdd("traceId", ctx.HttpContext.TraceIdentifier);
            if (ctx.ProblemDetails is HttpValidationProblemDetails { Detail: null } invalid && !ctx.HttpContext.Request.Path.StartsWithSegments(IdentityPaths))
            {
                // The built-in validation's answer, keyed and worded as RequestRules answers: by the field's JSON name.
                var byJsonName = invalid.Errors.ToDictionary(e => JsonNamingPolicy.CamelCase.ConvertName(e.Key), e => e.Value);
                invalid.Errors.Clear();
                foreach (var (field, messages) in byJsonName)
                {
                    invalid.Errors[field] = messages;
                }

                invalid.Title = ProblemExceptionHandler.InvalidRequestTitle;
                invalid.Detail = RequestInvalidException.Describe(invalid.Errors);
            }
        });
        services.AddScoped<JobStore>();
        services.AddScoped<ThreadStore>();
        return services;
    }

    /// <summary>Expiry, auto-confirm, hold renewal and reconciliation, every <see cref="HustleOptions.SweepInterval"/>.</summary>
    public static IServiceCollection AddHustleSweeps(this IServiceCollection services)
    {
        services.AddSingleton<LifecycleSweeper>();
        services.AddHostedService<SweepService>();
        return services;
    }
}
