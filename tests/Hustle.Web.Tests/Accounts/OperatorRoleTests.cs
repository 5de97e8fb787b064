using System.Net;
using Hustle.Web.Infrastructure;
using Hustle.Web.Tools;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Hustle.Web.Tests.Accounts;

/// <summary>A node still configured the old way, with an address listed under <c>Hustle:Operators</c>.</summary>
public sealed class ListedOperatorApp() : TestApp(TestDatabase.Create(), new FakeTimeProvider(Start), ownsDatabase: true)
{
    public const string ListedEmail = "boss@hustle.test";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Hustle:Operators:0"] = ListedEmail };
}

public sealed class OperatorRoleTests(ListedOperatorApp app) : IClassFixture<ListedOperatorApp>
{
    [Fact]
    public async Task Registering_an_address_listed_in_the_old_Hustle_Operators_setting_gives_no_operator_role()
    {
        var stranger = await app.SignUpAsync(ListedOperatorApp.ListedEmail);

        var me = await (await stranger.Client.GetAsync("/api/me")).Json();
        Assert.False(me.GetProperty("isOperator").GetBoolean());
        await (await stranger.Client.GetAsync("/api/ops/disputes")).Problem(403, "forbidden");
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.Client.GetAsync("/api/ops/metrics")).StatusCode);
        await using var db = app.Db();
        Assert.False(await db.UserRoles.AnyAsync(r => r.UserId == stranger.Id));
    }

    [Fact]
    public async Task Grant_operator_gives_the_role_from_the_next_sign_in_and_is_idempotent()
    {
        var person = await app.CreateUserAsync("ops");

        var (code, output, error) = await RunAsync(OperatorCommand.Grant, person.Email);
        Assert.Equal((0, ""), (code, error));
        Assert.Contains($"{person.Email} is now an operator", output);
        var again = await RunAsync(OperatorCommand.Grant, person.Email.ToUpperInvariant());
        Assert.Equal(0, again.Code);
        Assert.Contains("already an operator", again.Output);

        var signedIn = await app.SignInAsync(person.Email);
        Assert.True((await (await signedIn.Client.GetAsync("/api/me")).Json()).GetProperty("isOperator").GetBoolean());
        await (await signedIn.Client.GetAsync("/api/ops/disputes")).Json();
        await using var db = app.Db();
        var role = await db.Roles.SingleAsync(r => r.Name == CurrentUser.OperatorRole);
        Assert.Equal([person.Id], await db.UserRoles.Where(r => r.RoleId == role.Id).Select(r => r.UserId).ToListAsync());
    }

    [Fact]
    public async Task Revoke_operator_takes_the_role_away_changes_the_security_stamp_and_is_idempotent()
    {
        var person = await app.CreateOperatorAsync();
        string? StampOf(string id)
        {
            using var db = app.Db();
            return db.Users.Single(u => u.Id == id).SecurityStamp;
        }

        var stampBefore = StampOf(person.Id);

        var (code, output, error) = await RunAsync(OperatorCommand.Revoke, person.Email);

        Assert.Equal((0, ""), (code, error));
        Assert.Contains($"{person.Email} is no longer an operator", output);
        Assert.NotEqual(stampBefore, StampOf(person.Id));
        var signedIn = await app.SignInAsync(person.Email);
        Assert.False((await (await signedIn.Client.GetAsync("/api/me")).Json()).GetProperty("isOperator").GetBoolean());
        await (await signedIn.Client.GetAsync("/api/ops/disputes")).Problem(403, "forbidden");
        var again = await RunAsync(OperatorCommand.Revoke, person.Email);
        Assert.Equal(0, again.Code);
        Assert.Contains("was not an operator", again.Output);
        await using var db = app.Db();
        Assert.False(await db.UserRoles.AnyAsync(r => r.UserId == person.Id));
    }

    [Theory]
    [InlineData(OperatorCommand.Grant)]
    [InlineData(OperatorCommand.Revoke)]
    public async Task An_unknown_address_is_refused_with_exit_code_1_and_nothing_changes(string command)
    {
        await using (var db = app.Db())
        {
            Assert.False(await db.Users.AnyAsync(u => u.Email == "nobody@hustle.test"));
        }

        var rolesBefore = await RoleCountAsync();

        var (code, output, error) = await RunAsync(command, "nobody@hustle.test");

        Assert.Equal((1, ""), (code, output));
        Assert.Contains("no account has the e-mail address nobody@hustle.test", error);
        Assert.Equal(rolesBefore, await RoleCountAsync());
    }

    [Fact]
    public async Task A_command_without_an_address_prints_its_usage_with_exit_code_2()
    {
        var (code, _, error) = await RunAsync(OperatorCommand.Grant);

        Assert.Equal(2, code);
        Assert.Contains("usage: grant-operator EMAIL", error);
    }

    private async Task<int> RoleCountAsync()
    {
        await using var db = app.Db();
        return await db.UserRoles.CountAsync();
    }

    /// <summary>Runs the command's own code against this node's services, as <c>dotnet run -- grant-operator EMAIL</c> does.</summary>
    private async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await OperatorCommand.RunAsync(app.Services, args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
