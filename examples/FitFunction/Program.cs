// Fits y = sin(3x) on [-1, 1] with a small tanh MLP and Adam, printing the loss as it falls,
// then saves the weights as safetensors (loadable with safetensors.torch.load_file).
using System.Diagnostics;
using RlExperiments.Core;
using RlExperiments.Tensors;
using RlExperiments.Tensors.Nn;
using RlExperiments.Tensors.Optim;
using RlExperiments.Tensors.Serialization;

var rng = new Rng(seed: 42);
var net = new Mlp(inputs: 1, hiddenSizes: [64, 64], outputs: 1, Activation.Tanh, rng);
var optimizer = new Adam(net.Parameters(), learningRate: 3e-3);

const int batch = 256;
var x = Tensor.Rand([batch, 1], rng, -1f, 1f);
var y = Tensor.Empty([batch, 1]);
for (var i = 0; i < batch; i++) y.Data[i] = MathF.Sin(3f * x.Data[i]);

var clock = Stopwatch.StartNew();
float loss = 0;
for (var step = 0; step <= 2000; step++)
{
    using var scope = Tensor.Scope();            // every tensor of the step is recycled: no allocation
    var prediction = net.Forward(x);
    var mse = Functional.MseLoss(prediction, y);
    optimizer.ZeroGrad();
    mse.Backward();
    optimizer.Step();
    loss = mse.Item();
    if (step % 250 == 0) Console.WriteLine($"step {step,5}  mse {loss:E3}");
}
Console.WriteLine($"2000 updates in {clock.Elapsed.TotalMilliseconds:F0} ms ({clock.Elapsed.TotalMicroseconds / 2000:F1} µs per update)");

var path = Path.Combine(AppContext.BaseDirectory, "fit-function.safetensors");
SafeTensors.Save(path, net);
Console.WriteLine($"weights saved to {path}");
return loss < 1e-3 ? 0 : 1;
