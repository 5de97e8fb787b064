using Hustle.Web.Accounts;
using Hustle.Web.Setup;

namespace Hustle.Web.Tools;

/// <summary>
/// <c>Hustle.Web grant-operator EMAIL [--setting=value…]</c> and <c>Hustle.Web revoke-operator EMAIL</c>: the only way to make or unmake an
/// operator, run by whoever controls the deployment against the configured database. Both are idempotent; an address
/// with no account is refused with exit code 1, a missing address with exit code 2. Revoking also signs the person out
/// everywhere.
/// </summary>
public static class OperatorCommand
{
    public const string Grant = "grant-operator";
    public const string Revoke = "revoke-operator";

    public static bool Handles(string[] args) => args is [Grant or Revoke, ..];

    /// <summary>Migrates the database (a fresh one has no accounts yet, but the tables must exist) and runs the command.</summary>
    public static async Task<int> RunAsync(WebApplication app, string[] args)
    {
        await app.MigrateDatabaseAsync();
        return await RunAsync(app.Services, args, Console.Out, Console.Error);
    }

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error)
    {
        // Configuration may follow the address (--ConnectionStrings:Hustle=…), as it may follow any command.
        if (args is not [var command and (Grant or Revoke), var email, ..] || string.IsNullOrWhiteSpace(email) || email.StartsWith('-'))
        {
            await error.WriteLineAsync($"usage: {Grant} EMAIL | {Revoke} EMAIL");
            return 2;
        }

        email = email.Trim();
        var change = command == Grant ? await Operators.GrantAsync(services, email) : await Operators.RevokeAsync(services, email);
        if (change == OperatorChange.UnknownEmail)
        {
            await error.WriteLineAsync($"{command}: no account has the e-mail address {email}; nothing changed.");
            return 1;
        }

        await output.WriteLineAsync(change switch
        {
            OperatorChange.Granted => $"{command}: {email} is now an operator (from their next sign-in).",
            OperatorChange.AlreadyOperator => $"{command}: {email} was already an operator; nothing changed.",
            OperatorChange.Revoked => $"{command}: {email} is no longer an operator; their sessions and tokens are revoked.",
            _ => $"{command}: {email} was not an operator; their sessions and tokens are revoked anyway.",
        });
        return 0;
    }
}
