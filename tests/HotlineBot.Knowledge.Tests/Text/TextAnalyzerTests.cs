using HotlineBot.Knowledge.Loading;
using HotlineBot.Knowledge.Text;

namespace HotlineBot.Knowledge.Tests.Text;

public class TextAnalyzerTests
{
    private static readonly LanguageData Language = new(
        DictionaryTerms: ["加班费", "拖欠工资", "劳动合同"],
        Synonyms: [new SynonymGroup("用人单位", ["老板", "公司"])],
        OutOfScopeCues:
        [
            new OutOfScopeCue("tenancy", ["房东", "房租"], ["宿舍"]),
            new OutOfScopeCue("weather", ["天气"], []),
        ],
        OutOfScopeSamples: []);

    private static readonly TextAnalyzer Analyzer = new(Language);

    [Fact]
    public void Analyze_AddsLegalTermAsSynonym_ForWorkersWord()
    {
        var analyzed = Analyzer.Analyze("老板不发钱");

        Assert.Contains(analyzed.Terms, t => t.Text == "用人单位" && t.Kind == TermKind.Synonym);
        Assert.True(analyzed.HasDomainTerm);
    }

    [Fact]
    public void Analyze_AddsSynonym_ForTraditionalSpellingOfWorkersWord()
    {
        var analyzed = Analyzer.Analyze("老闆不發錢");

        Assert.Contains(analyzed.Terms, t => t.Text == "用人单位" && t.Kind == TermKind.Synonym);
    }

    [Fact]
    public void Analyze_FindsDictionaryWordAsWord_WhenWrittenAsIs()
    {
        var analyzed = Analyzer.Analyze("加班费怎么算");

        Assert.Contains(analyzed.Terms, t => t.Text == "加班费" && t.Kind == TermKind.Word);
        Assert.True(analyzed.HasDomainTerm);
    }

    [Fact]
    public void Analyze_RecoversDictionaryWordAsHomophone_ForTypo()
    {
        var analyzer = new TextAnalyzer(new LanguageData(["加班费"], [], [], []));

        var analyzed = analyzer.Analyze("加斑费怎么算");

        var term = Assert.Single(analyzed.Terms, t => t.Text == "加班费");
        Assert.Equal(TermKind.Homophone, term.Kind);
        Assert.Equal(Term.KeyFor(TermKind.Word, "加班费"), term.Key);
    }

    [Fact]
    public void Analyze_AddsNoHomophone_WhenNoCharacterIsShared()
    {
        var analyzer = new TextAnalyzer(new LanguageData(["工时"], [], [], []));

        var analyzed = analyzer.Analyze("公式");

        Assert.DoesNotContain(analyzed.Terms, t => t.Kind == TermKind.Homophone);
    }

    [Fact]
    public void Analyze_ProducesCharacterBigrams_ForUnknownWords()
    {
        var analyzed = Analyzer.Analyze("螺丝钉");

        var bigrams = analyzed.Terms.Where(t => t.Kind == TermKind.Bigram).Select(t => t.Text).Order(StringComparer.Ordinal);
        Assert.Equal(["丝钉", "螺丝"], bigrams);
        Assert.False(analyzed.HasDomainTerm);
    }

    [Fact]
    public void Analyze_ProducesBigramsBesideDictionaryWords()
    {
        var analyzed = Analyzer.Analyze("拖欠工资");

        Assert.Contains(analyzed.Terms, t => t.Text == "拖欠工资" && t.Kind == TermKind.Word);
        Assert.Contains(analyzed.Terms, t => t.Text == "欠工" && t.Kind == TermKind.Bigram);
    }

    [Fact]
    public void Analyze_ProducesAsciiTerm_ForDigitsAndLetters()
    {
        var analyzed = Analyzer.Analyze("打１２３５１");

        Assert.Contains(analyzed.Terms, t => t.Text == "12351" && t.Kind == TermKind.Ascii);
        Assert.Contains(analyzed.Terms, t => t.Text == "打" && t.Kind == TermKind.Unigram);
    }

    [Fact]
    public void Analyze_WeighsBigramsBelowWords()
    {
        var analyzed = Analyzer.Analyze("拖欠工资");

        var word = Assert.Single(analyzed.Terms, t => t.Kind == TermKind.Word);
        Assert.All(analyzed.Terms.Where(t => t.Kind == TermKind.Bigram), b => Assert.True(b.Weight < word.Weight));
    }

    [Fact]
    public void Analyze_ReturnsNoTerms_ForPunctuationOnly()
    {
        var analyzed = Analyzer.Analyze("？？！！。");

        Assert.Empty(analyzed.Terms);
        Assert.Equal(string.Empty, analyzed.Normalized);
        Assert.False(analyzed.HasDomainTerm);
        Assert.Null(analyzed.OutOfScopeCue);
    }

    [Fact]
    public void Analyze_ReportsOutOfScopeCue_WhenCueWordIsPresent()
    {
        var analyzed = Analyzer.Analyze("房东不退押金怎么办");

        Assert.Equal("tenancy", analyzed.OutOfScopeCue);
    }

    [Fact]
    public void Analyze_ReportsNoOutOfScopeCue_WhenUnlessWordIsPresent()
    {
        var analyzed = Analyzer.Analyze("公司宿舍的房东不退押金");

        Assert.Null(analyzed.OutOfScopeCue);
    }

    [Fact]
    public void Analyze_UnlessWordOfOneCue_DoesNotExcuseAnotherCue()
    {
        var analyzed = Analyzer.Analyze("宿舍那边明天天气怎么样");

        Assert.Equal("weather", analyzed.OutOfScopeCue);
    }

    [Fact]
    public void Analyze_ReportsNoOutOfScopeCue_ForLabourQuestion()
    {
        var analyzed = Analyzer.Analyze("老板拖欠工资");

        Assert.Null(analyzed.OutOfScopeCue);
    }
}
