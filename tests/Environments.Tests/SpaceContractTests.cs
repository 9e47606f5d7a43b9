using RlExperiments.Core;
using RlExperiments.Environments.Spaces;

namespace RlExperiments.Environments.Tests;

/// <summary>
/// The spaces' argument checks (null arguments, the int range of a Discrete space, inconsistent descriptions),
/// each error naming the argument and what is allowed, and the dtype Gymnasium gives a Discrete space.
/// </summary>
public class SpaceContractTests
{
    [Fact]
    public void Box_rejects_null_bounds_and_shape_by_name()
    {
        var low = () => new Box(null!, [1f]);
        low.Should().Throw<ArgumentNullException>().WithParameterName("low");
        var high = () => new Box([0f], null!);
        high.Should().Throw<ArgumentNullException>().WithParameterName("high");
        var shape = () => new Box(0f, 1f, null!);
        shape.Should().Throw<ArgumentNullException>().WithParameterName("shape");
    }

    [Fact]
    public void Box_length_errors_name_the_bound_its_length_and_the_shape()
    {
        var low = () => new Box([0f, 0f], [1f, 1f, 1f, 1f, 1f, 1f], [2, 3]);
        low.Should().Throw<ArgumentException>().WithParameterName("low").WithMessage("low has 2 elements but shape (2, 3) needs 6.*");
        var high = () => new Box([0f, 0f, 0f], [1f], [1, 3]);
        high.Should().Throw<ArgumentException>().WithParameterName("high").WithMessage("high has 1 elements but shape (1, 3) needs 3.*");
    }

    [Fact]
    public void Discrete_accepts_values_up_to_int_MaxValue_and_no_further()
    {
        var top = new Discrete(1, int.MaxValue);
        top.Contains(int.MaxValue).Should().BeTrue();
        new Discrete(2, int.MaxValue - 1).Contains(int.MaxValue).Should().BeTrue();
        var over = () => new Discrete(2, int.MaxValue);
        over.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("start")
            .WithMessage("start + n - 1 must fit in an int (n = 2).*");
        new Discrete(3, int.MinValue).Contains(int.MinValue + 2).Should().BeTrue();
    }

    [Fact]
    public void Discrete_sample_rejects_a_null_generator_and_describes_itself_as_int64()
    {
        var space = new Discrete(3, 1);
        var sample = () => space.Sample(null!);
        sample.Should().Throw<ArgumentNullException>().WithParameterName("rng");
        space.Describe().Should().BeEquivalentTo(new SpaceDescription("Discrete", [], "int64", 3, 1), "Gymnasium's Discrete has dtype int64");
        space.Sample(new Rng(0)).Should().BeInRange(1, 3);
    }

    [Fact]
    public void FromDescription_rejects_incomplete_or_unknown_descriptions()
    {
        var nullDescription = () => Space.FromDescription(null!);
        nullDescription.Should().Throw<ArgumentNullException>().WithParameterName("description");
        var noN = () => Space.FromDescription(new SpaceDescription("Discrete", [], "int64"));
        noN.Should().Throw<ArgumentException>().WithParameterName("description").WithMessage("A Discrete description needs N.*");
        var noHigh = () => Space.FromDescription(new SpaceDescription("Box", [1], "float32", Low: [0f]));
        noHigh.Should().Throw<ArgumentException>().WithParameterName("description").WithMessage("A Box description needs Low and High.*");
        var noLow = () => Space.FromDescription(new SpaceDescription("Box", [1], "float32", High: [1f]));
        noLow.Should().Throw<ArgumentException>().WithMessage("A Box description needs Low and High.*");
        var unknown = () => Space.FromDescription(new SpaceDescription("MultiBinary", [2], "int8"));
        unknown.Should().Throw<ArgumentException>().WithParameterName("description")
            .WithMessage("Unknown space type 'MultiBinary'. Allowed: Discrete, Box.*");
    }
}
