using static Microsoft.Playwright.Assertions;

namespace Hustle.Browser.Tests;

/// <summary>The sign-up form states the password rule the server applies and shows each refusal next to its field.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SignUpTests(BrowserSite site, ITestOutputHelper output)
{
    [Theory]
    [InlineData("Password1", "at least 15 characters")]
    [InlineData("passwordpassword", "most common passwords")]
    public async Task A_short_or_common_password_shows_the_reason_next_to_the_password_field_and_registers_nobody(string password, string reason)
    {
        await using var person = await site.OpenAsync("Pat", output);
        var passwordField = person.By("auth-password").Locator("xpath=..");
        await Expect(passwordField.Locator(".hint")).ToContainTextAsync("at least 15 characters");

        await person.By("auth-email").FillAsync(person.Email);
        await person.By("auth-password").FillAsync(password);
        await person.By("sign-up").ClickAsync();

        var passwordError = passwordField.GetByTestId("field-error");
        await Expect(passwordError).ToBeVisibleAsync();
        await Expect(passwordError).ToContainTextAsync(reason);
        await Expect(person.By("form-error")).ToHaveTextAsync("Please fix the fields marked below.");
        await Expect(person.By("auth-email").Locator("xpath=..").GetByTestId("field-error")).ToBeHiddenAsync();
        await Expect(person.By("whoami")).ToBeHiddenAsync();
        Assert.False(await site.HasAccountAsync(person.Email));
    }
}
