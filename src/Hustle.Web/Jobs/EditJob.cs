using Hustle.Domain.Jobs;
using Hustle.Web.Infrastructure;

namespace Hustle.Web.Jobs;

public sealed record EditJobRequest(
    string? Title,
    string? Description,
    string? Area,
    string? Location,
    long? Amount,
    long? HourlyRate,
    decimal? EstimatedHours,
    DateTimeOffset? ScheduledFor,
    DateTimeOffset? ExpiresAt);

/// <summary>The owner edits: everything while open to offers, no price once scheduled (that is a proposal), nothing once started.</summary>
public static class EditJob
{
    public static async Task<JobResponse> Handle(string id, EditJobRequest body, CurrentUser me, JobStore jobs, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        new RequestRules()
            .Text("title", body.Title, 120, required: false)
            .When(body.Title is not null && body.Title.Trim().Length == 0, "title", "title cannot be empty.")
            .Text("description", body.Description, 4000, required: false, multiline: true)
            .Text("area", body.Area, 120, required: false)
            .When(body.Area is not null && body.Area.Trim().Length == 0, "area", "area cannot be empty.")
            .Text("location", body.Location, 300, required: false)
            .When(body.Location is not null && body.Location.Trim().Length == 0, "location", "location cannot be empty.")
            .Money("amount", body.Amount, required: false)
            .Money("hourlyRate", body.HourlyRate, required: false)
            .Hours("estimatedHours", body.EstimatedHours, required: false)
            .Future("scheduledFor", body.ScheduledFor, now, PostJob.MaxAhead)
            .Future("expiresAt", body.ExpiresAt, now, PostJob.MaxAhead)
            .When(body == new EditJobRequest(null, null, null, null, null, null, null, null, null), "body", "Nothing to change: send at least one field.")
            .ThrowIfAny();

        var job = await jobs.GetForParticipantAsync(id, me.Id, ct);
        var edit = new JobEdit(
            body.Title?.Trim(),
            body.Description?.Trim(),
            body.Area?.Trim(),
            body.Location?.Trim(),
            body.Amount,
            body.HourlyRate,
            body.EstimatedHours is { } h ? (int)(h * 60) : null,
            body.ScheduledFor?.ToUniversalTime(),
            body.ExpiresAt?.ToUniversalTime());
        job.Edit(me.Actor, edit, now);
        return await jobs.SaveAsync(job, () => JobViews.For(job, me.Id), ct);
    }
}
