namespace Hustle.Domain.Jobs;

public enum CodeCheckOutcome
{
    Accepted,
    Wrong,
    LockedNow,
    StillLocked,
}

/// <summary>The answer to a start or completion code attempt. Wrong tries are state too: they are saved.</summary>
public sealed record CodeCheck(CodeCheckOutcome Outcome, int TriesLeft, DateTimeOffset? LockedUntil);
