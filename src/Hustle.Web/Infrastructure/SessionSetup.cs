using System.Security.Claims;
using Hustle.Web.Accounts;
using Hustle.Web.Setup;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Hustle.Web.Infrastructure;

/// <summary>Sessions that sign-out and security-stamp changes end, checked on every request; and sign-in throttling.</summary>
public static class SessionSetup
{
    /// <summary>Call after <c>AddHustleAccounts</c>: replaces Identity's sign-in and user managers with Hustle's.</summary>
    public static IServiceCollection AddHustleSessions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<SessionCacheOptions>(configuration, SessionCacheOptions.Section);
        services.AddSettings<SignInThrottleOptions>(configuration, SignInThrottleOptions.Section);
        services.AddSingleton<SessionCheck>();
        services.AddSingleton<LiveConnections>();
        services.AddSingleton<SessionRevocations>();
        services.AddSingleton<RevocationListener>();
        services.AddHostedService(sp => sp.GetRequiredService<RevocationListener>());
        services.AddSingleton<SessionHubFilter>();
        services.Configure<HubOptions>(o => o.AddFilter<SessionHubFilter>());
        services.AddSingleton<SignInThrottle>();
        services.TryAddSingleton<IRegisteredAgainNotice, SilentRegisteredAgainNotice>();

        services.AddScoped<HustleSignInManager>();
        services.AddScoped<SignInManager<User>>(sp => sp.GetRequiredService<HustleSignInManager>());
        services.AddScoped<HustleUserManager>();
        services.AddScoped<UserManager<User>>(sp => sp.GetRequiredService<HustleUserManager>());

        // The cookie's periodic stamp check rebuilds the principal from the database: the session stays the same.
        services.Configure<SecurityStampValidatorOptions>(o => o.OnRefreshingPrincipal = context =>
        {
            if (context.NewPrincipal?.Identities.FirstOrDefault() is { } identity && context.CurrentPrincipal is { } current)
            {
                identity.AddClaims(current.FindAll(c => c.Type is SessionClaims.Session or SessionClaims.RefreshGeneration).Select(c => new Claim(c.Type, c.Value)));
            }

            return Task.CompletedTask;
        });
        return services;
    }

    /// <summary>
    /// Right after <c>UseAuthentication</c>: a principal whose session has ended is treated as anonymous (401 where
    /// sign-in is required), and an ended session's cookie is deleted.
    /// </summary>
    public static IApplicationBuilder UseSessionCheck(this IApplicationBuilder app)
    {
        var sessions = app.ApplicationServices.GetRequiredService<SessionCheck>();
        return app.Use(async (http, next) =>
        {
            if (http.User.Identity?.IsAuthenticated == true && !await sessions.IsLiveAsync(http.User, http.RequestAborted))
            {
                var scheme = http.Features.Get<IAuthenticateResultFeature>()?.AuthenticateResult?.Ticket?.AuthenticationScheme;
                http.User = new ClaimsPrincipal(new ClaimsIdentity());
                if (scheme == IdentityConstants.ApplicationScheme)
                {
                    await http.SignOutAsync(IdentityConstants.ApplicationScheme);
                }
            }

            await next(http);
        });
    }
}
