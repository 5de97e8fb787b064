using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace Hustle.Web.Setup;

/// <summary>
/// Typed settings: each class bound to its configuration section and checked by its DataAnnotations (and
/// <see cref="IValidatableObject"/>) when the app starts, so a wrong value stops the start naming its key instead of
/// surfacing as a 500 at the first request that reads it. A value the binder cannot convert (<c>abc</c> for a
/// duration) fails the same way: the binder's message names the key.
/// </summary>
public static class Settings
{
    /// <summary>Binds <typeparamref name="T"/> to <paramref name="section"/> (empty: the root), checked at start.</summary>
    public static OptionsBuilder<T> AddSettings<T>(this IServiceCollection services, IConfiguration configuration, string section)
        where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new SettingsValidation<T>(section));
        return services.AddOptions<T>().Bind(Section(configuration, section)).ValidateOnStart();
    }

    /// <summary>
    /// Reads and checks settings now, for the few that decide which services exist at all (the database, the payment
    /// provider); <see cref="AddSettings{T}"/> still registers them for whoever injects them.
    /// </summary>
    public static T ReadSettings<T>(this IConfiguration configuration, string section)
        where T : class, new()
    {
        var settings = Section(configuration, section).Get<T>() ?? new T();
        var result = new SettingsValidation<T>(section).Validate(Options.DefaultName, settings);
        return result.Failed ? throw new OptionsValidationException(Options.DefaultName, typeof(T), result.Failures) : settings;
    }

    /// <summary>
    /// Checks every setting registered with <see cref="AddSettings{T}"/> now, before the database is migrated or a
    /// command runs; the host would otherwise check them only when it starts listening.
    /// </summary>
    public static void CheckSettings(this WebApplication app) => app.Services.GetRequiredService<IStartupValidator>().Validate();

    private static IConfiguration Section(IConfiguration configuration, string section) =>
        section.Length == 0 ? configuration : configuration.GetSection(section);
}

/// <summary>DataAnnotations on a settings class, each failure reported under the configuration key it is about.</summary>
public sealed class SettingsValidation<T>(string section) : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
        {
            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail(results.Select(Describe));
    }

    /// <summary>A message that does not already name its key gets it in front: <c>Hustle:SweepInterval: …</c>.</summary>
    private string Describe(ValidationResult result)
    {
        var message = result.ErrorMessage ?? "is not valid.";
        var keys = result.MemberNames.Select(Key).Where(key => !message.Contains(key, StringComparison.Ordinal)).ToList();
        return keys.Count == 0 ? message : $"{string.Join(", ", keys)}: {message}";
    }

    /// <summary>The key of a property: its <see cref="ConfigurationKeyNameAttribute"/> if it has one, under the section.</summary>
    public string Key(string member)
    {
        var key = typeof(T).GetProperty(member)?.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? member;
        return section.Length == 0 ? key : ConfigurationPath.Combine(section, key);
    }
}
