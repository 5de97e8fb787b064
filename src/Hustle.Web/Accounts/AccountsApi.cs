using Hustle.Web.Infrastructure;
using Hustle.Web.Payments;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Hustle.Web.Accounts;

public sealed record MeResponse(string Id, string Email, string DisplayName, string? PaymentMethod, bool IsOperator);

public sealed record UpdateMeRequest(string? DisplayName);

public sealed record PaymentMethodRequest(string? PaymentMethod);

public static class AccountsApi
{
    public const string SignInPolicy = "sign-in";

    public static IEndpointRouteBuilder MapAccounts(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Accounts");
        var identity = auth.MapIdentityApi<User>().RequireRateLimiting(SignInPolicy).AddEndpointFilter<IEndpointConventionBuilder, SignInThrottleFilter>();
        auth.MapSessions(identity, SignInPolicy);

        var me = app.MapGroup("/api/me").WithTags("Accounts").RequireAuthorization();
        me.MapGet("/", GetMe).WithName("getMe").WithSummary("Read the caller's profile");
        me.MapPut("/", UpdateMe).WithName("updateMe").WithSummary("Change the caller's display name");
        me.MapPut("/payment-method", SetPaymentMethod).WithName("setPaymentMethod").WithSummary("Set the payment method charged for the caller's jobs");
        return app;
    }

    private static async Task<MeResponse> GetMe(CurrentUser current, UserManager<User> users) =>
        ToResponse(await FindAsync(current, users), current);

    private static async Task<MeResponse> UpdateMe(UpdateMeRequest body, CurrentUser current, UserManager<User> users)
    {
        new RequestRules().Text("displayName", body.DisplayName, 60).ThrowIfAny();
        var user = await FindAsync(current, users);
        user.DisplayName = body.DisplayName!.Trim();
        await users.UpdateAsync(user);
        return ToResponse(user, current);
    }

    private static async Task<NoContent> SetPaymentMethod(PaymentMethodRequest body, CurrentUser current, UserManager<User> users, IPaymentMethodRules methods)
    {
        new RequestRules()
            .Text("paymentMethod", body.PaymentMethod, 255)
            .When(body.PaymentMethod is { } pm && !methods.IsAcceptable(pm), "paymentMethod", methods.Describe())
            .ThrowIfAny();
        var user = await FindAsync(current, users);
        user.PaymentMethod = body.PaymentMethod;
        await users.UpdateAsync(user);
        return TypedResults.NoContent();
    }

    private static async Task<User> FindAsync(CurrentUser current, UserManager<User> users) =>
        await users.FindByIdAsync(current.Id) ?? throw ApiProblem.NotFound("user");

    private static MeResponse ToResponse(User u, CurrentUser current) =>
        new(u.Id, u.Email ?? "", u.DisplayName.Length > 0 ? u.DisplayName : (u.Email ?? "").Split('@')[0], u.PaymentMethod, current.IsOperator);
}
