using HotlineBot.Accounts;
using HotlineBot.Storage;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace HotlineBot.Extensions;

public static class AccountsExtensions
{
    /// <summary>The data protection key ring (the sign-in cookie's keys) under the data directory.</summary>
    public const string KeysFolder = "data-protection-keys";

    /// <summary>
    /// Operator and admin accounts (<c>accounts.db</c> under the data directory, or Redis), the first admin from
    /// <c>Hotline:Bootstrap</c>, bearer tokens, the console's sign-in cookie and the "operator" and "admin"
    /// policies, which accept either. Neither scheme is the default: only endpoints that require a policy
    /// read the Authorization header or the cookie, so the Bot Framework endpoint's channel tokens never
    /// pass through them.
    /// </summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.AddOptions<BootstrapOptions>()
            .BindConfiguration(BootstrapOptions.Section)
            .ValidateOnStart();
        // A weak bootstrap password stops start-up with a message that says what is wrong with it.
        services.AddSingleton<IValidateOptions<BootstrapOptions>, BootstrapOptionsValidator>();

        services.AddShared<IAccountStore>((_, redis) => new RedisAccountStore(redis.Connection, redis.Keys), sp => new SqliteAccountStore(DataFile(sp, "accounts.db")));
        services.AddSingleton<IPasswordHasher<Account>, PasswordHasher<Account>>();
        services.AddSingleton<AccountService>();
        // Scaled out, every instance signs with the one key in Redis, so a token from one is valid on all.
        services.AddShared<ISigningKeySource>(
            (_, redis) => new RedisSigningKeySource(redis.Connection, redis.Keys, TokenService.FileName),
            sp => new FileSigningKeySource(DataFile(sp, TokenService.FileName)));
        services.AddSingleton(sp => new TokenService(sp.GetRequiredService<ISigningKeySource>(), TimeProvider.System));
        services.AddHostedService<AccountsBootstrap>();

        services.AddAuthentication().AddJwtBearer().AddCookie(CookieSignIn.Scheme, CookieSignIn.Configure);
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<TokenService>((options, tokens) =>
        {
            options.MapInboundClaims = false;
            options.TokenValidationParameters = tokens.ValidationParameters;
            // Tells bearer identities apart from cookie ones (ScriptRequestRequirement).
            options.TokenValidationParameters.AuthenticationType = JwtBearerDefaults.AuthenticationScheme;
        });

        // The cookie is encrypted with data protection keys kept beside token-key (scaled out: in Redis), so
        // sign-ins survive a restart and every instance reads every cookie; deleting the keys signs everyone
        // out. The keys are stored unencrypted, as token-key is: protect the data directory and Redis.
        services.AddDataProtection().SetApplicationName("HotlineBot");
        services.AddRedis();
        services.AddOptions<KeyManagementOptions>().Configure<IOptions<HotlineOptions>, HotlineRedis, ILoggerFactory>((options, hotline, redis, logs) =>
            options.XmlRepository = redis.Enabled
                ? new RedisXmlRepository(() => redis.Connection.GetDatabase(), redis.Keys.Key(KeysFolder))
                : new FileSystemXmlRepository(new DirectoryInfo(Path.Combine(Path.GetFullPath(hotline.Value.DataDirectory), KeysFolder)), logs));

        string[] schemes = [JwtBearerDefaults.AuthenticationScheme, CookieSignIn.Scheme];
        services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Operator, policy => policy
                .AddAuthenticationSchemes(schemes)
                .RequireRole(Roles.Operator, Roles.Admin)
                .AddRequirements(new ScriptRequestRequirement()))
            .AddPolicy(Policies.Admin, policy => policy
                .AddAuthenticationSchemes(schemes)
                .RequireRole(Roles.Admin)
                .AddRequirements(new ScriptRequestRequirement()));
        return services;
    }

    /// <summary>POST /api/auth/token, /api/auth/login and /api/auth/logout, GET /api/me, POST and GET /api/accounts.</summary>
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
