using System.ComponentModel.DataAnnotations;

namespace Hustle.Web.Setup;

/// <summary><c>Hustle:Redis</c> and <c>Hustle:RedisChannelPrefix</c>: the Redis that links several nodes (none: one node).</summary>
public sealed class BackplaneOptions : IValidatableObject
{
    public const string Section = "Hustle";
    public const string DefaultChannelPrefix = "hustle";

    /// <summary>A StackExchange.Redis configuration string, <c>host:port</c> at its simplest.</summary>
    [ConfigurationKeyName("Redis")]
    public string? Connection { get; set; }

    /// <summary>Prefixes the pub/sub channels and the keys Hustle keeps in Redis, so several deployments can share one.</summary>
    [ConfigurationKeyName("RedisChannelPrefix")]
    public string? ChannelPrefix { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(Connection);

    public string Prefix => string.IsNullOrEmpty(ChannelPrefix) ? DefaultChannelPrefix : ChannelPrefix;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        string? problem = null;
        if (Enabled)
        {
            try
            {
                StackExchange.Redis.ConfigurationOptions.Parse(Connection!);
            }
            catch (ArgumentException e)
            {
                problem = $"Hustle:Redis is not a Redis configuration string (host:port): {e.Message}";
            }
        }

        return problem is null ? [] : [new ValidationResult(problem, [nameof(Connection)])];
    }
}
