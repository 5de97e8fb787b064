using Hustle.Web.Accounts;
using Hustle.Web.Jobs;
using Hustle.Web.Messaging;
using Hustle.Web.Infrastructure;
using Hustle.Web.Payments.Stripe;
using Hustle.Web.Setup;
using Hustle.Web.Sync;
using Hustle.Web.Tools;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddHustleCore(builder.Configuration);
builder.Services.AddHustleRateLimits(builder.Configuration);
builder.Services.AddUserLimits();
builder.Services.AddHustleData(builder.Configuration);
builder.Services.AddHustleAccounts();
builder.Services.AddKeyRingProtection(builder.Configuration);
builder.Services.AddHustleSessions(builder.Configuration);
builder.Services.AddHustlePayments(builder.Configuration);
builder.Services.AddHustleSync(builder.Configuration);
builder.Services.AddHustleSweeps();
builder.Services.AddHustleApiDocs(builder.Configuration);
builder.Services.AddBodyLimits(builder.Configuration);
builder.Services.AddHustleSecurityHeaders(builder.Configuration);
builder.Services.AddHustleTelemetry(builder.Configuration);

var app = builder.Build();
app.CheckSettings();
if (args is ["seed-users", ..])
{
    await SeedUsers.RunAsync(app, args);
    return;
}

if (OperatorCommand.Handles(args))
{
    Environment.ExitCode = await OperatorCommand.RunAsync(app, args);
    return;
}

app.UseHustleSecurityHeaders();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseBodyLimits();
app.UseAuthentication();
app.UseSessionCheck();
app.UseSameOriginRequests();
app.UseAuthorization();
app.UseRateLimiter();
app.UseMiddleware<IdempotencyMiddleware>();

app.MapAccounts();
app.MapJobs();
app.MapMessaging();
app.MapFeed();
app.MapOperations();
app.MapHustleTelemetry();
app.MapStripe();

await app.MigrateDatabaseAsync();
await app.RunAsync();

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
