/**
 * The parent side of the probe process (dist/probe.js, src/inspect/probeProcess.ts): the panel's
 * probe box on a run that is not training any more. Forked on the first probe and kept (it keeps
 * the last run's model loaded); forked again if it dies. Never loads TensorFlow.js itself.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isProbeCommand, isProbeReply, MAX_PROBE_TEXT, type InspectionEvent, type ProbeCommand } from '../protocol';

export class ProbeClient {
  private child: ChildProcess | undefined;
  /** Probes sent, by request id, until their reply arrives. */
  private readonly pending = new Map<string, { resolve: (event: InspectionEvent) => void; reject: (error: Error) => void }>();

  /** `probePath` defaults to the probe.js bundled next to the calling bundle (dist/). */
  constructor(private readonly probePath = join(__dirname, 'probe.js')) {}

  /**
   * Runs `text` through the saved model of `runDir`; resolves with the inspection (already appended
   * to the run folder), rejects with a sentence for the user when the input does not fit the model,
   * the run has no saved model, or the probe process dies.
   */
  probe(runDir: string, requestId: string, text: string): Promise<InspectionEvent> {
    const command: ProbeCommand = { type: 'probe', runDir, requestId, text };
    // The process ignores a command that is not one (as every receiver of messages does): say why here.
    if (!isProbeCommand(command)) return Promise.reject(new Error(`Type a text (or numbers, for a series model) of at most ${MAX_PROBE_TEXT} characters to probe.`));
    const child = this.process();
    return new Promise((resolve, reject) => {
      this.pending.set(requestId, { resolve, reject });
      child.send(command, (error) => {
        if (error) this.settle(requestId, new Error(`The probe process could not be reached: ${error.message}`));
      });
    });
  }

  dispose(): void {
    this.child?.kill();
    this.child = undefined;
  }

  private process(): ChildProcess {
    if (this.child?.connected) return this.child;
    if (!existsSync(this.probePath)) throw new Error(`The probe process is missing at ${this.probePath}; run \`npm run build\` first.`);
    const child = fork(this.probePath, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json', execArgv: [] });
    const stderr: string[] = [];
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString('utf8')));
    child.on('message', (message: unknown) => {
      if (!isProbeReply(message)) return;
      if (message.type === 'inspection') this.settle(message.event.id, undefined, message.event);
      else this.settle(message.requestId, new Error(message.message));
    });
    child.on('close', (code, signal) => {
      if (this.child === child) this.child = undefined;
      const why = stderr.join('').trim().split('\n').at(-1) ?? '';
      for (const requestId of [...this.pending.keys()]) {
        this.settle(requestId, new Error(`The probe process ended (${signal ?? `exit code ${code}`})${why ? `: ${why}` : ''}.`));
      }
    });
    this.child = child;
    return child;
  }

  private settle(requestId: string, error?: Error, event?: InspectionEvent): void {
    const pending = this.pending.get(requestId);
    this.pending.delete(requestId);
    if (error) pending?.reject(error);
    else if (event) pending?.resolve(event);
  }
}
