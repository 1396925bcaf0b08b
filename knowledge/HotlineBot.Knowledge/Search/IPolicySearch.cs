using HotlineBot.Knowledge.Entries;

namespace HotlineBot.Knowledge.Search;

/// <summary>Finds the policy answer to a worker's question, or says honestly that there is none. Thread-safe.</summary>
public interface IPolicySearch
{
    /// <summary>Ranked candidates, their confidence, the band and the matched terms.</summary>
    SearchResult Search(string question);

    /// <summary>A published entry by id, or null.</summary>
    PolicyEntry? Find(string id);

    /// <summary>How many published entries the current index holds.</summary>
    int Count { get; }
}
