using System.Runtime.InteropServices;
using Drift.Cli;

// SIGINT (Ctrl-C) and SIGTERM stop a command that honours cancellation at its next block instead of killing the
// process mid-write: CliApp then deletes temporary files, writes nothing partial, prints "interrupted" and exits 130.
// Other commands, and a second signal, keep the default: the process ends at once.
using var interrupt = new CancellationTokenSource();
bool cancellable = CliApp.HonoursCancellation(args);
void Stop(PosixSignalContext context)
{
    if (!cancellable || interrupt.IsCancellationRequested) return;
    context.Cancel = true;
    interrupt.Cancel();
}
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
return CliApp.Run(args, Console.Out, Console.Error, interrupt.Token);
