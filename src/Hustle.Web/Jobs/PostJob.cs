using Hustle.Domain.Jobs;
using Hustle.Web.Infrastructure;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Hustle.Web.Jobs;

public sealed record PostJobRequest(
    string? Title,
    string? Description,
    string? Area,
    string? Location,
    PricingType? PricingType,
    long? Amount,
    long? HourlyRate,
    decimal? EstimatedHours,
    string? Currency,
    DateTimeOffset? ScheduledFor,
    DateTimeOffset? ExpiresAt);

public static class PostJob
{
    public static readonly TimeSpan MaxAhead = TimeSpan.FromDays(365);

    public static async Task<Created<JobResponse>> Handle(PostJobRequest body, CurrentUser me, JobStore jobs, TimeProvider clock, IOptions<HustleOptions> options, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var hourly = body.PricingType == PricingType.Hourly;
        var rules = new RequestRules()
            .Text("title", body.Title, 120)
            .Text("description", body.Description, 4000, required: false, multiline: true)
            .Text("area", body.Area, 120)
            .Text("location", body.Location, 300)
            .When(body.PricingType is null, "pricingType", "pricingType is required: FLAT or HOURLY.")
            .Currency("currency", body.Currency)
            .Future("scheduledFor", body.ScheduledFor, now, MaxAhead)
            .Future("expiresAt", body.ExpiresAt, now, MaxAhead);
        if (body.PricingType is not null)
        {
            rules.Money("amount", body.Amount, required: !hourly)
                .Money("hourlyRate", body.HourlyRate, required: hourly)
                .Hours("estimatedHours", body.EstimatedHours, required: hourly)
                .When(hourly && body.Amount is not null, "amount", "An HOURLY job has an hourlyRate, not an amount.")
                .When(!hourly && (body.HourlyRate ?? (object?)body.EstimatedHours) is not null, "hourlyRate", "A FLAT job has an amount, not an hourlyRate or estimatedHours.");
        }

        rules.ThrowIfAny();
        var draft = new JobDraft(
            body.Title!.Trim(),
            body.Description?.Trim() ?? "",
            body.Area!.Trim(),
            body.Location!.Trim(),
            body.PricingType!.Value,
            body.Amount,
            body.HourlyRate,
            body.EstimatedHours is { } h ? (int)(h * 60) : null,
            body.Currency!,
            body.ScheduledFor?.ToUniversalTime(),
            body.ExpiresAt?.ToUniversalTime() ?? now + options.Value.DefaultJobExpiry);
        var job = Job.Post(Ids.New("job"), me.Id, draft, now);
        jobs.Add(job);
        return await jobs.SaveAsync(job, () => TypedResults.Created($"/api/jobs/{job.Id}", JobViews.For(job, me.Id)), ct);
    }
}
