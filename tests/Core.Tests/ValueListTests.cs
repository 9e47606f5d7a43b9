using System.Text.Json;
using RlExperiments.Core;

namespace RlExperiments.Core.Tests;

public class ValueListTests
{
    private sealed record Holder(string Name, ValueList<int> Sizes);

    [Fact]
    public void Lists_with_the_same_items_are_equal_hash_alike_and_print_their_items()
    {
        ValueList<int> a = [64, 64];
        var b = new ValueList<int>(new List<int> { 64, 64 });
        a.Should().NotBeSameAs(b);
        a.Equals(b).Should().BeTrue();
        a.GetHashCode().Should().Be(b.GetHashCode());
        a.Equals(new ValueList<int>([64, 32])).Should().BeFalse();
        a.Equals(new ValueList<int>([64])).Should().BeFalse();
        a.Equals((object)new[] { 64, 64 }).Should().BeFalse("only value lists compare by content, so equality stays symmetric");
        a.ToString().Should().Be("[64, 64]");
        new ValueList<int>([1, 2]).GetHashCode().Should().NotBe(new ValueList<int>([2, 1]).GetHashCode(), "the hash covers the items");
        new Holder("q", a).Should().Be(new Holder("q", b), "a record holding one compares by content");
    }

    [Fact]
    public void The_list_is_a_copy_and_From_keeps_null_and_existing_lists()
    {
        var source = new List<int> { 1, 2 };
        var list = new ValueList<int>(source);
        source[0] = 9;
        list.Should().Equal(1, 2);
        ValueList.From<int>(null).Should().BeNull();
        ValueList.From(list).Should().BeSameAs(list);
        var json = JsonSerializer.Serialize<IReadOnlyList<int>>(list);
        json.Should().Be("[1,2]");
    }

    [Fact]
    public void A_null_sequence_is_refused_by_name()
    {
        FluentActions.Invoking(() => new ValueList<int>((IEnumerable<int>)null!)).Should().Throw<ArgumentNullException>()
            .Which.ParamName.Should().Be("items");
        ValueList.From<int>(null).Should().BeNull();
    }
}
