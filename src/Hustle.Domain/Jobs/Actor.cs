namespace Hustle.Domain.Jobs;

public enum ActorKind
{
    User,
    System,
    Operator,
}

/// <summary>Who acts: a signed-in user (whose role is resolved per job), Hustle itself, or an operator.</summary>
public sealed record Actor(ActorKind Kind, string? UserId)
{
    public static readonly Actor System = new(ActorKind.System, null);

    /// <summary>How the actor appears in history: the user id, or <c>system</c>.</summary>
    public string Name => Kind == ActorKind.System ? "system" : UserId!;

    public static Actor User(string userId) => new(ActorKind.User, userId);

    public static Actor Operator(string userId) => new(ActorKind.Operator, userId);
}
