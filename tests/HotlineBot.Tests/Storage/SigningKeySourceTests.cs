using HotlineBot.Accounts;
using HotlineBot.Redis;
using HotlineBot.Storage;
using HotlineBot.Tests.Integration;
using Microsoft.IdentityModel.JsonWebTokens;
using StackExchange.Redis;

namespace HotlineBot.Tests.Storage;

/// <summary>Where the token signing key lives: a file for one host, Redis so every instance agrees on one key.</summary>
public sealed class SigningKeySourceTests(RedisServer redis) : IDisposable
{
    private readonly string _dataDirectory = TempDataDirectory.Create();
    private readonly RedisKeys _keys = new(RedisServer.NewPrefix());

    public void Dispose() => TempDataDirectory.Delete(_dataDirectory);

    [Fact]
    public void TokenKey_IsGeneratedOnce_AndReusedByTheNextService()
    {
        var path = Path.Combine(_dataDirectory, TokenService.FileName);

        var first = new TokenService(path, TimeProvider.System);
        var second = new TokenService(new FileSigningKeySource(path), TimeProvider.System);

        Assert.Equal(first.SigningKey.Key, second.SigningKey.Key);
        Assert.True(first.SigningKey.Key.Length >= KeyFile.MinBytes);
    }

    [Fact]
    public async Task RedisKey_InstancesRacingOnSeparateConnections_AllGetTheOneStoredKey()
    {
        await using var otherConnection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var sources = new[] { redis.Connection, otherConnection }.Select(c => new RedisSigningKeySource(c, _keys, TokenService.FileName)).ToArray();
        using var start = new ManualResetEventSlim();

        // Own threads: the load is synchronous (it runs while the host builds its services) and must not starve the pool Redis replies on.
        var loads = Enumerable.Range(0, 8).Select(i => Task.Factory.StartNew(
            () =>
            {
                start.Wait(TestContext.Current.CancellationToken);
                return sources[i % 2].LoadOrCreate(64);
            },
            TestContext.Current.CancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)).ToList();
        start.Set();
        var keys = await Task.WhenAll(loads);

        Assert.All(keys, key => Assert.Equal(keys[0], key));
        Assert.Equal(64, keys[0].Length);
        var stored = await redis.Connection.GetDatabase().StringGetAsync(_keys.Key("keys", TokenService.FileName));
        Assert.Equal(Convert.ToBase64String(keys[0]), stored.ToString());
    }

    [Fact]
    public async Task RedisKey_ATokenIssuedByOneInstance_ValidatesOnAnother()
    {
        await using var otherConnection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var issuer = new TokenService(new RedisSigningKeySource(redis.Connection, _keys, TokenService.FileName), TimeProvider.System);
        var validator = new TokenService(new RedisSigningKeySource(otherConnection, _keys, TokenService.FileName), TimeProvider.System);
        var (token, _) = issuer.Issue(new Account(7, "li.ming", Roles.Operator, "hash", DateTimeOffset.UtcNow));

        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, validator.ValidationParameters);

        Assert.True(result.IsValid, result.Exception?.Message);
        Assert.Equal("li.ming", result.ClaimsIdentity.Name);
    }

    [Fact]
    public async Task RedisKey_TooShortAStoredKey_IsRefused()
    {
        await redis.Connection.GetDatabase().StringSetAsync(_keys.Key("keys", "short"), Convert.ToBase64String(new byte[16]));

        var error = Assert.Throws<InvalidOperationException>(() => new RedisSigningKeySource(redis.Connection, _keys, "short").LoadOrCreate(64));
        Assert.Contains("shorter than 256 bits", error.Message, StringComparison.Ordinal);
    }
}
