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

    [Theory]
    [InlineData("""{"w":{"dtype":5,"shape":[2],"data_offsets":[0,8]}}""", "*f.safetensors: tensor 'w': dtype = 5 is invalid; allowed: the string \"F32\"*")]
    [InlineData("""{"w":{"dtype":"F32","shape":["a"],"data_offsets":[0,8]}}""", "*f.safetensors: tensor 'w': shape[0] = \"a\" is invalid; allowed: an integer in [0, 2147483647]*")]
    [InlineData("""{"w":{"dtype":"F32","shape":2,"data_offsets":[0,8]}}""", "*f.safetensors: tensor 'w': shape = 2 is invalid*")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1099511627776],"data_offsets":[0,8]}}""", "*f.safetensors: tensor 'w': shape[0] = 1099511627776 is invalid*")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1048576,1048576],"data_offsets":[0,8]}}""", "*f.safetensors: tensor 'w': shape [1048576,1048576] has more than*elements*")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2.5],"data_offsets":[0,8]}}""", "*f.safetensors: tensor 'w': shape[0] = 2.5 is invalid*")]
    [InlineData("""{"__metadata__":5,"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", "*f.safetensors: '__metadata__' is Number; allowed: an object of string values*")]
    [InlineData("""{"__metadata__":{"k":[1]},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", "*f.safetensors: '__metadata__.k' is Array; allowed: a string*")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[-8,0]}}""", "*f.safetensors: tensor 'w': data_offsets[0] = -8 is invalid*")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,99999999999999999999]}}""", "*f.safetensors: tensor 'w': data_offsets[1] = 99999999999999999999 is invalid*")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0]}}""", "*f.safetensors: tensor 'w': data_offsets = [0] is invalid; allowed: [begin, end]*")]
    [InlineData("""{"w":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}""", "*f.safetensors: tensor 'w': data_offsets [8, 0] end before they begin*")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"v":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", "*f.safetensors: tensor 'v' has data_offsets [4, 12) overlapping*")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", "*f.safetensors: tensor 'w' has data_offsets [4, 8) leaving a gap after byte 0*")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", "*f.safetensors: the data section holds 12 bytes but the tensors cover 4*")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8],"extra":1}}""", "*f.safetensors: tensor 'w' has an unknown field 'extra'*")]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"w":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}""", "*f.safetensors: the header names 'w' twice*")]
    [InlineData("""[1,2]""", "*f.safetensors: the safetensors header must be a JSON object*")]
    [InlineData("""{"w":5}""", "f.safetensors: tensor 'w' is Number; allowed: an object with dtype, shape and data_offsets.")]
    [InlineData("""{"w":{"dtype":"F32","shape":[3]}}""", "f.safetensors: tensor 'w' lacks one of dtype, shape, data_offsets.")]
    [InlineData("""{"w":{"dtype":"F32","shape":[1,1,1,1,3],"data_offsets":[0,12]}}""", "f.safetensors: tensor 'w': shape has 5 dimensions; allowed: at most 4.")]
    [InlineData("""{"w":{"dtype":"F32","shape":[3] """, "f.safetensors: the safetensors header is not valid JSON (*")]
    public void Header_fields_of_the_wrong_type_or_range_are_named_with_the_file(string header, string message)
    {
        var bytes = Build(header, 1, 2, 3);
        FluentActions.Invoking(() => SafeTensors.Parse(bytes, "f.safetensors")).Should().Throw<InvalidDataException>().WithMessage(message);
    }

    [Fact]
    public void A_four_dimensional_tensor_is_read()
    {
        var bytes = Build("""{"w":{"dtype":"F32","shape":[1,1,1,3],"data_offsets":[0,12]}}""", 1, 2, 3);
        var t = SafeTensors.Parse(bytes, "f.safetensors").Tensors["w"];
        t.Shape.ToArray().Should().Equal(1, 1, 1, 3);
        t.ToArray().Should().Equal(1f, 2f, 3f);
    }

    [Fact]
    public void A_header_that_is_not_utf8_is_named_with_the_file()
    {
        var bytes = Build("""{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}""", 1, 2, 3);
        bytes[8 + 2] = 0xFF; // inside the name "w": a byte that never occurs in UTF-8
        FluentActions.Invoking(() => SafeTensors.Parse(bytes, "f.safetensors")).Should().Throw<InvalidDataException>()
            .WithMessage("f.safetensors: the safetensors header is not valid UTF-8 (*");
    }

    [Fact]
    public void Saving_a_tensor_under_the_metadata_key_is_refused_and_writes_nothing()
    {
        var path = Path.Combine(Path.GetTempPath(), "rlx-st-" + Guid.NewGuid().ToString("N") + ".safetensors");
        var tensors = new Dictionary<string, Tensor> { ["__metadata__"] = Tensor.Zeros([2]) };
        FluentActions.Invoking(() => SafeTensors.Save(path, tensors)).Should().Throw<ArgumentException>()
            .WithMessage("'__metadata__' is reserved and cannot name a tensor.*");
        File.Exists(path).Should().BeFalse();
    }

    [Fact]
    public void Header_length_beyond_the_file_or_the_limit_is_named()
    {
        var bytes = Build("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", 1);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, ulong.MaxValue);
        FluentActions.Invoking(() => SafeTensors.Parse(bytes, "f.safetensors")).Should().Throw<InvalidDataException>()
            .WithMessage($"f.safetensors: truncated safetensors file: the header claims {ulong.MaxValue} bytes but only {bytes.Length - 8} follow.");
        var big = new byte[8 + SafeTensors.MaxHeaderBytes + 1];
        BinaryPrimitives.WriteUInt64LittleEndian(big, (ulong)(SafeTensors.MaxHeaderBytes + 1));
        FluentActions.Invoking(() => SafeTensors.Parse(big, "f.safetensors")).Should().Throw<InvalidDataException>()
            .WithMessage("f.safetensors: the header length 100000001 is invalid; allowed: at most 100000000 bytes.");
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
