using Compute.Host;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
ComputeHostBuilder.AddConfiguration(builder.Configuration, args);
ComputeHostBuilder.ConfigureServices(builder.Services, builder.Configuration);

try
{
    using IHost host = builder.Build();
    await host.RunAsync();
    return 0;
}
catch (OptionsValidationException ex)
{
    // ValidateOnStart: bad settings stop the worker before it does anything, with every failure named.
    await Console.Error.WriteLineAsync($"compute-host: the configuration is invalid, so the worker did not start. {string.Join(" ", ex.Failures)}");
    return 2;
}
