using System.Reflection;

namespace Conductor.Abstractions;

/// <summary>One member of a conductor API: its wire name and the shape of its call.</summary>
public sealed class ConductorMemberDescriptor
{
    private ConductorMemberDescriptor(MethodInfo method, string methodName, Type? resultType, bool isStream, ApiVersion since)
    {
        Method = method;
        Since = since;
        MethodName = methodName;
        ResultType = resultType;
        IsStream = isStream;
        ParameterInfo[] parameters = method.GetParameters();
        ArgumentCount = parameters.Length - 1;
        WriteRequestIndex = Array.FindIndex(parameters, p => typeof(IWriteRequest).IsAssignableFrom(p.ParameterType));
        Retry = method.IsDefined(typeof(SafeToRetryAttribute), inherit: false) ? RetryBehavior.Repeat
            : WriteRequestIndex >= 0 ? RetryBehavior.SameRequestId
            : RetryBehavior.None;
    }

    /// <summary>Gets the interface method.</summary>
    public MethodInfo Method { get; }

    /// <summary>Gets the JSON-RPC method name (for example <c>instances.Get</c>).</summary>
    public string MethodName { get; }

    /// <summary>Gets the result type (the <c>T</c> of <see cref="Task{TResult}"/> or <see cref="IAsyncEnumerable{T}"/>), or <see langword="null"/> for <see cref="Task"/>.</summary>
    public Type? ResultType { get; }

    /// <summary>Gets whether the member returns <see cref="IAsyncEnumerable{T}"/>.</summary>
    public bool IsStream { get; }

    /// <summary>Gets the API version that added the member (<see cref="ConductorSinceAttribute"/>), or <c>major.0</c>.</summary>
    public ApiVersion Since { get; }

    /// <summary>Gets the number of arguments sent on the wire (the parameters without the trailing cancellation token).</summary>
    public int ArgumentCount { get; }

    /// <summary>Gets what a client may do with the call when its connection drops while it is in flight.</summary>
    public RetryBehavior Retry { get; }

    /// <summary>Gets the position of the <see cref="IWriteRequest"/> argument, or -1 if there is none.</summary>
    public int WriteRequestIndex { get; }

    internal static ConductorMemberDescriptor Create(string apiName, ApiVersion apiVersion, MethodInfo method)
    {
        string where = $"{method.DeclaringType!.FullName}.{method.Name}";
        ApiVersion since = SinceOf(method, where, apiName, apiVersion);
        if (method.IsGenericMethodDefinition)
        {
            throw new ArgumentException($"{where} is generic. Conductor API members cannot be generic methods.");
        }

        ParameterInfo[] parameters = method.GetParameters();
        if (parameters.Length == 0 || parameters[^1].ParameterType != typeof(CancellationToken))
        {
            throw new ArgumentException($"{where} does not take a CancellationToken as its last parameter. Add one: every call can be cancelled.");
        }

        foreach (ParameterInfo parameter in parameters)
        {
            if (parameter.ParameterType.IsByRef || parameter.IsOut)
            {
                throw new ArgumentException($"{where} has a ref or out parameter '{parameter.Name}'. Conductor API members take arguments by value only.");
            }
        }

        Type returnType = method.ReturnType;
        Type? resultType;
        bool isStream = false;
        if (returnType == typeof(Task))
        {
            resultType = null;
        }
        else if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(Task<>))
        {
            resultType = returnType.GetGenericArguments()[0];
        }
        else if (returnType.IsGenericType && returnType.GetGenericTypeDefinition() == typeof(IAsyncEnumerable<>))
        {
            resultType = returnType.GetGenericArguments()[0];
            isStream = true;
        }
        else
        {
            throw new ArgumentException($"{where} returns {returnType.Name}. Conductor API members must return Task, Task<T> or IAsyncEnumerable<T> (ValueTask is not supported by the proxy's interceptor).");
        }

        return new ConductorMemberDescriptor(method, ApiNames.MethodName(apiName, method.Name), resultType, isStream, since);
    }

    private static ApiVersion SinceOf(MethodInfo method, string where, string apiName, ApiVersion apiVersion)
    {
        ConductorSinceAttribute[] attributes = (ConductorSinceAttribute[])method.GetCustomAttributes(typeof(ConductorSinceAttribute), inherit: false);
        if (attributes.Length == 0)
        {
            return new ApiVersion(apiVersion.Major, 0);
        }

        if (attributes.Length > 1 || attributes[0].Api is not null)
        {
            throw new ArgumentException($"{where} has more than one [ConductorSince] or one that names an API. A member belongs to its interface's API ({apiName}): give it one [ConductorSince(major, minor)] without Api.");
        }

        ApiVersion since = attributes[0].Version;
        if (since.Major != apiVersion.Major || since > apiVersion)
        {
            throw new ArgumentException($"{where} says [ConductorSince({since.Major}, {since.Minor})] but its API {apiName} is version {apiVersion}. A member cannot be newer than its API: bump [ConductorApi] to {since} or correct the member's version.");
        }

        return since;
    }
}
