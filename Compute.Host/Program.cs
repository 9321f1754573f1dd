using Compute.Host;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

// appsettings.json is read from beside the binary, not from wherever the worker was started (as the conductor does).
HostApplicationBuilder builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
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
