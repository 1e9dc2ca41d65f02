using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace NasKit.Tensors.Tests.Serialization;

/// <summary>
/// Runs safetensors_interop.py with the system PyTorch. The interop tests must fail, not skip, when Python or torch is missing:
/// CI installs python3-torch, so a missing interpreter is a broken build machine, not an optional feature.
/// </summary>
internal static class PythonInterop
{
    public const string PythonPath = "/usr/bin/python3";

    private const string ScriptName = "safetensors_interop.py";

    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(2);

    /// <summary>Runs one command of the script and parses the JSON document it prints.</summary>
    public static JsonDocument Run(params string[] arguments)
    {
        if (!File.Exists(PythonPath))
        {
            Assert.Fail($"{PythonPath} was not found. The safetensors interop tests need Python 3 with PyTorch; CI installs python3-torch.");
        }

        var (exitCode, stdout, stderr) = Execute([LocateScript(), .. arguments]);
        if (exitCode != 0 && stderr.Contains("No module named 'torch'", StringComparison.Ordinal))
        {
            Assert.Fail($"{PythonPath} cannot import torch. The safetensors interop tests need PyTorch; CI installs python3-torch.\n{stderr}");
        }

        if (exitCode != 0)
        {
            Assert.Fail($"'{ScriptName} {string.Join(' ', arguments)}' exited with code {exitCode}.\nstderr:\n{stderr}\nstdout:\n{stdout}");
        }

        return JsonDocument.Parse(stdout);
    }

    private static (int ExitCode, string Stdout, string Stderr) Execute(string[] arguments)
    {
        var start = new ProcessStartInfo(PythonPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        // Keep PyTorch to one thread: the CI machine has two cores and the test runner uses them.
        start.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {PythonPath}.");
        var stdoutTask = process.StandardOutput.ReadToEndAsync();
        var stderrTask = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(s_timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{PythonPath} {string.Join(' ', arguments)} did not finish within {s_timeout.TotalSeconds} s.");
        }

        process.WaitForExit();
        return (process.ExitCode, stdoutTask.GetAwaiter().GetResult(), stderrTask.GetAwaiter().GetResult());
    }

    /// <summary>Finds the script: copied next to the test assembly, next to this source file, or in the repository above.</summary>
    private static string LocateScript([CallerFilePath] string sourceFile = "")
    {
        var candidates = new List<string>
        {
            Path.Combine(AppContext.BaseDirectory, "Serialization", ScriptName),
            Path.Combine(Path.GetDirectoryName(sourceFile) ?? string.Empty, ScriptName),
        };
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                candidates.Add(Path.Combine(dir.FullName, "tests", "NasKit.Tensors.Tests", "Serialization", ScriptName));
            }
        }

        var found = candidates.FirstOrDefault(File.Exists);
        if (found is null)
        {
            Assert.Fail($"Cannot find {ScriptName}; looked in:\n{string.Join('\n', candidates.Distinct())}");
        }

        return found!;
    }
}
