using System.Runtime.InteropServices;

namespace AssetCompliance.Cli;

/// <summary>
/// Lets <c>compliance run</c> hear SIGINT however it was started. A process started as a background job of a
/// non-interactive shell (<c>compliance run &amp;</c> in a script, some service wrappers) inherits SIGINT
/// <em>ignored</em>, and .NET keeps an inherited ignore: neither <see cref="Console.CancelKeyPress"/> nor
/// <see cref="PosixSignalRegistration"/> then fires, so <c>kill -INT</c> would not stop the server or its Azurite.
/// A server should stop on SIGINT as on SIGTERM (Node.js resets inherited dispositions at start-up for the same
/// reason), so <see cref="HonourIfIgnored"/> puts SIGINT back to its default before the command line registers its
/// handler. Only an ignored SIGINT is touched: a disposition the runtime or a debugger installed is left alone.
/// </summary>
internal static class InterruptSignal
{
    private const int SigInt = 2; // the same number on Linux and macOS

    private static readonly IntPtr Ignore = 1; // SIG_IGN
    private static readonly IntPtr Default = 0; // SIG_DFL

    /// <summary>
    /// On Linux and macOS, when SIGINT is ignored (inherited), resets it to the default disposition so that the
    /// handler .NET installs for the command line receives it. Returns whether it was reset; false elsewhere, when
    /// SIGINT was not ignored, or when the disposition could not be read (then nothing changes).
    /// </summary>
    public static bool HonourIfIgnored()
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS()))
        {
            return false;
        }

        // struct sigaction begins with the handler on both systems (a union with sa_sigaction); the rest of the
        // buffer, larger than either struct (152 bytes on Linux x86-64 and arm64), is not read.
        var current = Marshal.AllocHGlobal(512);
        try
        {
            if (Sigaction(SigInt, IntPtr.Zero, current) != 0 || Marshal.ReadIntPtr(current) != Ignore)
            {
                return false;
            }

            return Signal(SigInt, Default) != -1;
        }
        finally
        {
            Marshal.FreeHGlobal(current);
        }
    }

    // DllImport rather than LibraryImport: the signatures are blittable, and LibraryImport would need unsafe code.
    [DllImport("libc", EntryPoint = "sigaction", SetLastError = true)]
    private static extern int Sigaction(int signal, IntPtr action, IntPtr oldAction);

    [DllImport("libc", EntryPoint = "signal", SetLastError = true)]
    private static extern IntPtr Signal(int signal, IntPtr handler);
}
