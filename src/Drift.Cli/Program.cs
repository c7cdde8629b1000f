using System.Runtime.InteropServices;
using Drift.Cli;

// SIGINT (Ctrl-C) and SIGTERM stop the run at its next block instead of killing the process mid-write:
// CliApp then deletes temporary files, writes nothing partial, prints "interrupted" and exits 130.
using var interrupt = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    interrupt.Cancel();
}
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
return CliApp.Run(args, Console.Out, Console.Error, interrupt.Token);
