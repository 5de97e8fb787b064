using Hustle.Web.Accounts;
using Hustle.Web.Data;
using Hustle.Web.Infrastructure;
using Hustle.Web.Jobs;
using Hustle.Web.Sync;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace Hustle.Web.Setup;

/// <summary>Identity's accounts, bearer tokens and cookies, the shared key ring, and the operator role.</summary>
public static class AccountSetup
{
    public static IServiceCollection AddHustleAccounts(this IServiceCollection services)
    {
        // Tokens and cookies are encrypted with this key ring: kept in the database, every node reads and writes the same one
        // (its keys encrypted with a certificate kept outside the database: AddKeyRingProtection).
        services.AddDataProtection()
            .SetApplicationName("Hustle")
            .PersistKeysToDbContext<HustleDb>();
        services.AddAuthorizationBuilder()
            .AddPolicy(JobsApi.OperatorPolicy, p => p.RequireRole(CurrentUser.OperatorRole));
        services.AddIdentityApiEndpoints<User>(o =>
            {
                o.User.RequireUniqueEmail = true;
                PasswordPolicy.Configure(o.Password);
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<HustleDb>()
            .AddPasswordValidator<PasswordPolicy>();
        services.Configure<BearerTokenOptions>(IdentityConstants.BearerScheme, o =>
        {
            // WebSockets and Server-Sent Events cannot send headers from a browser: the hub takes the token from the query.
            o.Events.OnMessageReceived = ctx =>
            {
                if (ctx.Request.Path.StartsWithSegments("/hubs") && HubAccessToken.Find(ctx.HttpContext) is { } token)
                {
                    ctx.Token = token;
                }

                return Task.CompletedTask;
            };
        });
        services.PostConfigure<PolicySchemeOptions>(BearerOrCookieScheme, o =>
        {
            var byHeader = o.ForwardDefaultSelector;
            o.ForwardDefaultSelector = ctx =>
                ctx.Request.Path.StartsWithSegments("/hubs") && HubAccessToken.Find(ctx) is not null
                    ? IdentityConstants.BearerScheme
                    : byHeader?.Invoke(ctx);
        });
        return services;
    }

    /// <summary>The policy scheme <c>AddIdentityApiEndpoints</c> registers to pick bearer or cookie per request.</summary>
    private const string BearerOrCookieScheme = "Identity.BearerAndApplication";
}
