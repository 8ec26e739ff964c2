/**
 * The extension host's side of the generation process: forks dist/generate.js on the first
 * request (TensorFlow.js stays out of the host), sends it requests and hands each reply to
 * `onReply`. A process that dies fails the requests it still had, and the next request forks a
 * new one.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { isGenerationReply, type GenerationCommand, type GenerationReply } from '../protocol';

export class GenerationClient {
  private child: ChildProcess | undefined;
  /** Requests sent and not yet answered by a complete text or a failure. */
  private readonly pending = new Map<string, GenerationCommand>();

  /** `processPath` defaults to the generate.js bundled next to the calling bundle (dist/). */
  constructor(
    private readonly onReply: (reply: GenerationReply) => void,
    private readonly processPath = join(__dirname, 'generate.js'),
  ) {}

  generate(command: GenerationCommand): void {
    this.pending.set(command.requestId, command);
    this.process().send(command);
  }

  dispose(): void {
    this.child?.kill();
    this.child = undefined;
  }

  private process(): ChildProcess {
    if (this.child?.connected) return this.child;
    const child = fork(this.processPath, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    child.on('message', (message: unknown) => {
      if (!isGenerationReply(message)) return;
      if (message.type === 'generationFailed' || message.event.complete) this.pending.delete(message.requestId);
      this.onReply(message);
    });
    child.on('exit', (code) => {
      if (this.child === child) this.child = undefined;
      const detail = stderr.trim().split('\n').at(-1) ?? '';
      for (const { runDir, requestId } of this.pending.values()) {
        this.onReply({ type: 'generationFailed', runDir, requestId, message: `The generation process ended (code ${code})${detail ? `: ${detail}` : ''}. Generate again to retry.` });
      }
      this.pending.clear();
    });
    this.child = child;
    return child;
  }
}
