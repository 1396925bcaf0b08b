using HotlineBot.Knowledge.Loading;
using HotlineBot.Knowledge.Search;
using HotlineBot.Knowledge.SmallTalk;
using Microsoft.Extensions.Options;

namespace HotlineBot.Extensions;

/// <summary>Where the host keeps its files and finds its seed content (config section <c>Hotline</c>).</summary>
public sealed class HotlineOptions
{
    public const string Section = "Hotline";

    /// <summary>Where durable files live (stores come with the bot service).</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>The seed content; by default the copy built beside the assembly.</summary>
    public string SeedsDirectory { get; set; } = Path.Combine(AppContext.BaseDirectory, "seeds");

    /// <summary>When human chat operators answer, as workers read it (fills <c>{{operatorHours}}</c> in answers).</summary>
    public string OperatorHours { get; set; } = "工作日（周一至周五，法定节假日除外）9:00–17:30";

    /// <summary>The values answers' placeholders are filled with.</summary>
    public IReadOnlyDictionary<string, string> AnswerValues() => new Dictionary<string, string>
    {
        ["operatorHours"] = OperatorHours,
    };
}

public static class KnowledgeExtensions
{
    /// <summary>Adds the policy knowledge base: seed content, search and small talk.</summary>
    public static IServiceCollection AddKnowledge(this IServiceCollection services)
    {
        services.AddOptions<HotlineOptions>().BindConfiguration(HotlineOptions.Section).ValidateOnStart();
        services.AddOptions<SearchOptions>().BindConfiguration(SearchOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => SeedLoader.Load(sp.GetRequiredService<IOptions<HotlineOptions>>().Value.SeedsDirectory));
        services.AddSingleton(sp => PolicySearch.FromSeeds(sp.GetRequiredService<SeedSet>(), sp.GetRequiredService<IOptions<SearchOptions>>().Value));
        services.AddSingleton<IPolicySearch>(sp => sp.GetRequiredService<PolicySearch>());
        services.AddSingleton(sp => new SmallTalkMatcher(sp.GetRequiredService<SeedSet>().SmallTalk));
        return services;
    }
}
