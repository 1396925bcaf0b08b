using HotlineBot.Knowledge.Evaluation;
using HotlineBot.Redis;
using StackExchange.Redis;

namespace HotlineBot.Knowledge.Storage;

/// <summary>The regression questions in the shared Redis: one hash, <c>regression:cases</c>, of id → the case as its JSON line.</summary>
public sealed class RedisRegressionCaseStore : IRegressionCaseStore
{
    /// <summary>Writes the cases (ARGV id, document pairs) only while the hash is empty, so two instances starting at once seed it once.</summary>
    private const string SeedScript = """
        if redis.call('EXISTS', KEYS[1]) == 1 then
          return 0
        end
        for i = 1, #ARGV, 2 do
          redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
        end
        return #ARGV / 2
        """;

    private readonly IDatabase _database;
    private readonly RedisKey _cases;

    public RedisRegressionCaseStore(IConnectionMultiplexer redis, RedisKeys keys)
    {
        ArgumentNullException.ThrowIfNull(redis);
        ArgumentNullException.ThrowIfNull(keys);
        _database = redis.GetDatabase();
        _cases = keys.Key("regression", "cases");
    }

    public async Task<IReadOnlyList<EvalCase>> ListAsync(CancellationToken cancellationToken = default)
    {
        var entries = await _database.HashGetAllAsync(_cases).ConfigureAwait(false);
        return [.. entries.OrderBy(e => e.Name.ToString(), StringComparer.Ordinal).Select(e => RegressionCaseDocument.Deserialize(e.Value.ToString()))];
    }

    public Task SaveAsync(EvalCase evalCase, CancellationToken cancellationToken = default)
    {
        RegressionCaseDocument.Validate(evalCase);
        return _database.HashSetAsync(_cases, evalCase.Id, RegressionCaseDocument.Serialize(evalCase));
    }

    public Task<bool> DeleteAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return _database.HashDeleteAsync(_cases, id);
    }

    public async Task<int> SeedAsync(IEnumerable<EvalCase> cases, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cases);

        // A later case with an id replaces an earlier one, as successive saves would.
        var byId = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var evalCase in cases)
        {
            RegressionCaseDocument.Validate(evalCase);
            byId[evalCase.Id] = RegressionCaseDocument.Serialize(evalCase);
        }

        if (byId.Count == 0)
        {
            return 0;
        }

        var values = byId.SelectMany(c => new RedisValue[] { c.Key, c.Value }).ToArray();
        return (int)await _database.ScriptEvaluateAsync(SeedScript, [_cases], values).ConfigureAwait(false);
    }
}
