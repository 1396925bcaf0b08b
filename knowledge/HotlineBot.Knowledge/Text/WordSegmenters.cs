using JiebaNet.Segmenter;

namespace HotlineBot.Knowledge.Text;

/// <summary>Which segmenter finds the general (non-domain) words of a text.</summary>
public enum SegmenterKind
{
    /// <summary>Domain dictionary and character bigrams only: no general-vocabulary segmenter.</summary>
    Dictionary,

    /// <summary>jieba.NET (dictionary + HMM, search mode) with the domain dictionary as its user dictionary.</summary>
    Jieba,
}

/// <summary>jieba.NET's search-mode segmentation; the domain dictionary is added as user words.</summary>
internal sealed class JiebaWordSegmenter
{
    private static readonly Lock InitLock = new();
    private static JiebaSegmenter? _shared;
    private readonly JiebaSegmenter _segmenter;

    public JiebaWordSegmenter(IEnumerable<string> userWords)
    {
        _segmenter = Shared();
        lock (InitLock)
        {
            foreach (var word in userWords)
            {
                _segmenter.AddWord(word);
            }
        }
    }

    public List<string> Words(string normalized)
    {
        // jieba.NET does not promise thread safety; searches run in parallel.
        lock (InitLock)
        {
            return [.. _segmenter.CutForSearch(normalized, hmm: true).Where(w => w.Length >= 2 && w.All(TextNormalizer.IsHan))];
        }
    }

    private static JiebaSegmenter Shared()
    {
        lock (InitLock)
        {
            if (_shared is null)
            {
                // Its type initializer reads the dictionaries from this folder, so it must be set first.
                ConfigManager.ConfigFileBaseDir = Path.Combine(AppContext.BaseDirectory, "jieba");
                _shared = new JiebaSegmenter();
            }

            return _shared;
        }
    }
}
