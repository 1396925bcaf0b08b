using HotlineBot.Knowledge.Evaluation;
using HotlineBot.Knowledge.Loading;
using HotlineBot.Knowledge.Publishing;
using HotlineBot.Knowledge.Search;
using HotlineBot.Knowledge.Storage;

namespace HotlineBot.Curation;

/// <summary>
/// The live knowledge base of this instance: the store filled from the seed files when it is empty
/// (entries and the admins' regression questions; a store holding anything is never overwritten), and
/// the search loaded from the store and kept in step with it through change notices (with a catch-up that
/// looks in the store when notices may have been lost: scaled out, pub/sub keeps nothing for an instance
/// that was away).
/// </summary>
public sealed class KnowledgeBase : IDisposable
{
    /// <summary>Who the seed versions are written by, in history and the audit.</summary>
    public const string SeedAuthor = "seeds";

    /// <summary>The regression questions' seed copy in the seeds directory.</summary>
    public const string RegressionFileName = "regression.jsonl";

    private readonly SearchSynchronizer _synchronizer;
    private readonly SearchCatchUp _catchUp;

    public KnowledgeBase(SeedSet seeds, string seedsDirectory, IKnowledgeStore store, IRegressionCaseStore cases, IKnowledgeNotices notices, SearchOptions options, ILoggerFactory logs)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(cases);
        ArgumentNullException.ThrowIfNull(logs);
        var logger = logs.CreateLogger<KnowledgeBase>();

        // Start-up work on local files: there is nothing to gain from yielding here, and services
        // that depend on search must not exist before it is loaded.
        var seeded = store.SeedAsync(seeds.Entries, SeedAuthor).GetAwaiter().GetResult();
        var regression = Path.Combine(seedsDirectory, RegressionFileName);
        var seededCases = File.Exists(regression) ? cases.SeedAsync(EvalCaseReader.Read(regression)).GetAwaiter().GetResult() : 0;
        if (seeded + seededCases > 0)
        {
            logger.LogInformation("Filled the empty knowledge store with {Entries} seed entries and {Cases} regression questions", seeded, seededCases);
        }

        Search = new PolicySearch(seeds.Language, options);
        _synchronizer = new SearchSynchronizer(Search, store, notices);
        _synchronizer.LoadAllAsync(CancellationToken.None).GetAwaiter().GetResult();
        _catchUp = new SearchCatchUp(_synchronizer, notices, logger: logs.CreateLogger<SearchCatchUp>());
    }

    public PolicySearch Search { get; }

    public void Dispose()
    {
        _catchUp.Dispose();
        _synchronizer.Dispose();
    }
}

/// <summary>Loads the knowledge base while the host starts, so the first worker does not wait for it and a broken store stops start-up.</summary>
public sealed class KnowledgeBaseLoader(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<KnowledgeBase>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
