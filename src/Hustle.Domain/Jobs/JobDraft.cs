namespace Hustle.Domain.Jobs;

/// <summary>The fields a customer sets when posting or editing a job; validated at the HTTP edge.</summary>
public sealed record JobDraft(
    string Title,
    string Description,
    string Area,
    string Location,
    PricingType PricingType,
    long? Amount,
    long? HourlyRate,
    int? EstimatedMinutes,
    string Currency,
    DateTimeOffset? ScheduledFor,
    DateTimeOffset ExpiresAt);

/// <summary>A partial edit: null means "leave as it is".</summary>
public sealed record JobEdit(
    string? Title = null,
    string? Description = null,
    string? Area = null,
    string? Location = null,
    long? Amount = null,
    long? HourlyRate = null,
    int? EstimatedMinutes = null,
    DateTimeOffset? ScheduledFor = null,
    DateTimeOffset? ExpiresAt = null)
{
    public bool ChangesPrice => Amount is not null || HourlyRate is not null || EstimatedMinutes is not null;

    public IReadOnlyList<string> ChangedFields() =>
        new (string Name, object? Value)[]
        {
            ("title", Title), ("description", Description), ("area", Area), ("location", Location), ("amount", Amount),
            ("hourlyRate", HourlyRate), ("estimatedHours", EstimatedMinutes), ("scheduledFor", ScheduledFor), ("expiresAt", ExpiresAt),
        }.Where(f => f.Value is not null).Select(f => f.Name).ToList();
}
