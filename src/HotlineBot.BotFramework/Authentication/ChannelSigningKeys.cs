using System.Text.Json;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace HotlineBot.BotFramework.Authentication;

/// <summary>
/// One snapshot of a channel's signing keys: the keys of the OpenID metadata's <c>jwks_uri</c> and,
/// per key id, the channel ids that key is endorsed for (the Bot Framework's <c>endorsements</c>
/// extension of each JWK). Keys and endorsements come from the same download, so they never disagree.
/// </summary>
internal sealed class ChannelSigningKeys
{
    public ChannelSigningKeys(IReadOnlyList<SecurityKey> keys, IReadOnlyDictionary<string, HashSet<string>> endorsements)
    {
        Keys = keys;
        Endorsements = endorsements;
    }

    public IReadOnlyList<SecurityKey> Keys { get; }

    /// <summary>Key id → the channel ids the key may sign for.</summary>
    public IReadOnlyDictionary<string, HashSet<string>> Endorsements { get; }

    public bool IsEndorsed(string keyId, string channelId) =>
        Endorsements.TryGetValue(keyId, out var channels) && channels.Contains(channelId);
}

/// <summary>
/// Reads the OpenID metadata document, then the key set it points to, for
/// <see cref="ConfigurationManager{T}"/> (which caches the result and refreshes it).
/// </summary>
internal sealed class ChannelSigningKeysRetriever : IConfigurationRetriever<ChannelSigningKeys>
{
    public async Task<ChannelSigningKeys> GetConfigurationAsync(string address, IDocumentRetriever retriever, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(retriever);
        var metadataJson = await retriever.GetDocumentAsync(address, cancel).ConfigureAwait(false);
        var metadata = OpenIdConnectConfiguration.Create(metadataJson);
        if (string.IsNullOrEmpty(metadata.JwksUri) || !Uri.TryCreate(metadata.JwksUri, UriKind.Absolute, out var jwksUri))
        {
            throw new InvalidOperationException("The OpenID metadata document has no absolute jwks_uri.");
        }

        if (jwksUri.Scheme != Uri.UriSchemeHttps && !jwksUri.IsLoopback)
        {
            throw new InvalidOperationException("The OpenID metadata document's jwks_uri is not HTTPS.");
        }

        var jwksJson = await retriever.GetDocumentAsync(jwksUri.AbsoluteUri, cancel).ConfigureAwait(false);
        var keySet = new JsonWebKeySet(jwksJson);
        return new ChannelSigningKeys([.. keySet.GetSigningKeys()], ReadEndorsements(jwksJson));
    }

    /// <summary>The <c>endorsements</c> array of each key in a JWKS document, by <c>kid</c>.</summary>
    internal static Dictionary<string, HashSet<string>> ReadEndorsements(string jwksJson)
    {
        var result = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(jwksJson);
        if (!document.RootElement.TryGetProperty("keys", out var keys) || keys.ValueKind != JsonValueKind.Array)
        {
            return result;
        }

        foreach (var key in keys.EnumerateArray())
        {
            if (key.ValueKind != JsonValueKind.Object
                || !key.TryGetProperty("kid", out var kid) || kid.ValueKind != JsonValueKind.String
                || !key.TryGetProperty("endorsements", out var endorsements) || endorsements.ValueKind != JsonValueKind.Array)
            {
                continue;
            }

            var channels = new HashSet<string>(StringComparer.Ordinal);
            foreach (var endorsement in endorsements.EnumerateArray())
            {
                if (endorsement.ValueKind == JsonValueKind.String && endorsement.GetString() is { Length: > 0 } channel)
                {
                    channels.Add(channel);
                }
            }

            result[kid.GetString()!] = channels;
        }

        return result;
    }
}
