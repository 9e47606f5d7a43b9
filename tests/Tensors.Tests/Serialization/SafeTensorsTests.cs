using System.Buffers.Binary;
using System.Text;
using RlExperiments.Core;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Nn;
using RlExperiments.Tensors.Serialization;

namespace RlExperiments.Tensors.Tests.Serialization;

public sealed class SafeTensorsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("safetensors-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static byte[] Build(string header, params float[] data)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + h.Length + 4 * data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)h.Length);
        h.CopyTo(bytes, 8);
        for (var i = 0; i < data.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(8 + h.Length + 4 * i), data[i]);
        return bytes;
    }

    [Fact]
    public void RoundTripKeepsNamesShapesValuesAndMetadata()
    {
        var net = new Mlp(4, [8], 2, Activation.Tanh, new Rng(1));
        var path = Path.Combine(_dir, "policy.safetensors");
        SafeTensors.Save(path, net, new Dictionary<string, string> { ["format"] = "pt" });
        var file = SafeTensors.Load(path);
        file.Metadata["format"].Should().Be("pt");
        file.Tensors.Keys.Should().BeEquivalentTo("0.weight", "0.bias", "2.weight", "2.bias");
        file.Tensors["0.weight"].Shape.ToArray().Should().Equal(8, 4);
        file.Tensors["2.bias"].ToArray().Should().Equal(net.StateDict()["2.bias"].ToArray());

        var other = new Mlp(4, [8], 2, Activation.Tanh, new Rng(2));
        SafeTensors.LoadInto(path, other);
        foreach (var (name, p) in net.NamedParameters())
            other.StateDict()[name].ToArray().Should().Equal(p.ToArray());
        // Data starts 8-byte aligned, as the reference writer pads it.
        var bytes = File.ReadAllBytes(path);
        (BinaryPrimitives.ReadUInt64LittleEndian(bytes) % 8).Should().Be(0);
        Directory.GetFiles(_dir).Should().ContainSingle("the temporary file is renamed, not left behind");
    }

    [Fact]
    public void HandBuiltHeaderIsParsed()
    {
        const string header = """{"__metadata__":{"k":"v"},"b":{"dtype":"F32","shape":[2],"data_offsets":[24,32]},"a":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]}}""";
        var file = SafeTensors.Parse(Build(header, 1, 2, 3, 4, 5, 6, 7, 8));
        file.Tensors["a"].Shape.ToArray().Should().Equal(2, 3);
        file.Tensors["a"].ToArray().Should().Equal(1, 2, 3, 4, 5, 6);
        file.Tensors["b"].ToArray().Should().Equal(7, 8);
        file.Metadata["k"].Should().Be("v");
    }

    [Fact]
    public void TruncatedFileNamesTheTensor()
    {
        var bytes = Build("""{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", 1, 2, 3, 4);
        FluentActions.Invoking(() => SafeTensors.Parse(bytes.AsSpan(0, bytes.Length - 5).ToArray(), "x.safetensors"))
            .Should().Throw<InvalidDataException>().WithMessage("*x.safetensors*truncated*'w'*[0, 16)*");
        FluentActions.Invoking(() => SafeTensors.Parse(bytes.AsSpan(0, 20).ToArray()))
            .Should().Throw<InvalidDataException>().WithMessage("*truncated*header claims*");
        FluentActions.Invoking(() => SafeTensors.Parse(new byte[3]))
            .Should().Throw<InvalidDataException>().WithMessage("*truncated*");
    }

    [Fact]
    public void WrongDtypeNamesTheTensor()
    {
        var bytes = Build("""{"w":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}""", 1);
        FluentActions.Invoking(() => SafeTensors.Parse(bytes)).Should().Throw<InvalidDataException>().WithMessage("*'w'*dtype F16*only F32*");
    }

    [Fact]
    public void ShapeThatDisagreesWithOffsetsNamesTheTensor()
    {
        var bytes = Build("""{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 1, 2);
        FluentActions.Invoking(() => SafeTensors.Parse(bytes)).Should().Throw<InvalidDataException>().WithMessage("*'w'*[3]*12 bytes*8 bytes*");
    }

    [Fact]
    public void LoadingIntoAModuleOfAnotherShapeNamesTheParameter()
    {
        var path = Path.Combine(_dir, "p.safetensors");
        SafeTensors.Save(path, new Mlp(4, [8], 2, Activation.Tanh, new Rng(1)));
        var wider = new Mlp(4, [16], 2, Activation.Tanh, new Rng(1));
        FluentActions.Invoking(() => SafeTensors.LoadInto(path, wider))
            .Should().Throw<InvalidDataException>().WithMessage("*p.safetensors*'0.weight'*[8, 4]*expects [16, 4]*");
        var deeper = new Mlp(4, [8, 8], 2, Activation.Tanh, new Rng(1));
        FluentActions.Invoking(() => SafeTensors.LoadInto(path, deeper))
            .Should().Throw<InvalidDataException>().WithMessage("*'2.weight'*");
    }

    [Fact]
    public void MissingFileIsNamed() =>
        FluentActions.Invoking(() => SafeTensors.Load(Path.Combine(_dir, "nope.safetensors")))
            .Should().Throw<FileNotFoundException>().WithMessage("*nope.safetensors*");
}
