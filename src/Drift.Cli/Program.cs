using System.Runtime.InteropServices;
using Drift.Cli;

// SIGINT (Ctrl-C) and SIGTERM stop every command at its next block instead of killing the process mid-write: output
// files are refused once the signal has arrived (temporary files deleted, nothing partial), CliApp prints "interrupted"
// and exits 130. A second signal keeps the default: the process ends at once.
using var interrupt = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    if (interrupt.IsCancellationRequested) return;
    context.Cancel = true;
    interrupt.Cancel();
}
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
return CliApp.Run(args, Console.Out, Console.Error, interrupt.Token);
