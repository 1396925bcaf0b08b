using System.Security.Claims;
using HotlineBot.BotFramework.Schema;

namespace HotlineBot.BotFramework.Authentication;

/// <summary>Decides whether an incoming request really comes from a channel the bot trusts.</summary>
public interface IChannelAuthenticator
{
    /// <summary>The caller's identity; throws <see cref="UnauthorizedAccessException"/> when the request must be refused.</summary>
    Task<ClaimsIdentity> AuthenticateAsync(string? authorizationHeader, Activity activity, CancellationToken cancellationToken);
}

/// <summary>Supplies the bearer token for calls to a channel's Connector; null sends none.</summary>
public interface IAppCredentials
{
    Task<string?> GetTokenAsync(CancellationToken cancellationToken);
}

/// <summary>With no app id: local, unauthenticated traffic (the Bot Framework Emulator's mode).</summary>
public sealed class AnonymousAuthenticator : IChannelAuthenticator, IAppCredentials
{
    public Task<ClaimsIdentity> AuthenticateAsync(string? authorizationHeader, Activity activity, CancellationToken cancellationToken) =>
        Task.FromResult(new ClaimsIdentity());

    public Task<string?> GetTokenAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}
