namespace HotlineBot.Redis;

/// <summary>
/// Every key the hotline writes, under one prefix (<c>Hotline:Redis:Prefix</c>, default <c>hotline:</c>),
/// so several hotlines can share one Redis. Stores ask for keys here, never spell a prefix themselves.
/// </summary>
public sealed class RedisKeys
{
    public const string DefaultPrefix = "hotline:";

    public RedisKeys(string? prefix = null)
    {
        Prefix = string.IsNullOrEmpty(prefix) ? DefaultPrefix : prefix;
    }

    public string Prefix { get; }

    /// <summary>The full key for <paramref name="area"/> and its parts, for example <c>hotline:cases:12351-20261124-0001</c>.</summary>
    public string Key(string area, params ReadOnlySpan<string> parts) =>
        parts.Length == 0 ? Prefix + area : Prefix + area + ":" + string.Join(':', parts);
}
