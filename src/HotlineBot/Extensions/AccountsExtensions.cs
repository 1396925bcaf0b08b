using HotlineBot.Accounts;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace HotlineBot.Extensions;

public static class AccountsExtensions
{
    /// <summary>
    /// Operator and admin accounts (<c>accounts.db</c> under the data directory), the first admin from
    /// <c>Hotline:Bootstrap</c>, bearer tokens and the "operator" and "admin" policies. The JwtBearer
    /// scheme is not the default: only endpoints that require a policy read the Authorization header,
    /// so the Bot Framework endpoint's channel tokens never pass through it.
    /// </summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddOptions<BootstrapOptions>()
            .BindConfiguration(BootstrapOptions.Section)
            .ValidateOnStart();
        // A weak bootstrap password stops start-up with a message that says what is wrong with it.
        services.AddSingleton<IValidateOptions<BootstrapOptions>, BootstrapOptionsValidator>();

        services.AddSingleton(sp => new SqliteAccountStore(DataFile(sp, "accounts.db")));
        services.AddSingleton<IAccountStore>(sp => sp.GetRequiredService<SqliteAccountStore>());
        services.AddSingleton<IPasswordHasher<Account>, PasswordHasher<Account>>();
        services.AddSingleton<AccountService>();
        services.AddSingleton(sp => new TokenService(DataFile(sp, TokenService.FileName), TimeProvider.System));
        services.AddHostedService<AccountsBootstrap>();

        services.AddAuthentication().AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<TokenService>((options, tokens) =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters = tokens.ValidationParameters;
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Operator, policy => policy
                .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireRole(Roles.Operator, Roles.Admin))
            .AddPolicy(Policies.Admin, policy => policy
                .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireRole(Roles.Admin));
        return services;
    }

    /// <summary>POST /api/auth/token, GET /api/me, POST and GET /api/accounts.</summary>
    public static WebApplication MapAccounts(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapAccountsApi();
        return app;
    }

    private static string DataFile(IServiceProvider services, string name) =>
        Path.Combine(Path.GetFullPath(services.GetRequiredService<IOptions<HotlineOptions>>().Value.DataDirectory), name);

    private sealed class BootstrapOptionsValidator : IValidateOptions<BootstrapOptions>
    {
        public ValidateOptionsResult Validate(string? name, BootstrapOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
