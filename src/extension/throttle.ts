import type * as vscode from 'vscode';

/**
 * Runs `action` at most once per `intervalMs`, always including the last call (trailing edge), so
 * hundreds of batch events a second become a few editor refreshes. Disposing drops a pending call.
 */
export function throttle(action: () => void, intervalMs: number): (() => void) & vscode.Disposable {
  let timer: NodeJS.Timeout | undefined;
  let lastRun = 0;
  const run = () => {
    timer = undefined;
    lastRun = Date.now();
    action();
  };
  const throttled = () => {
    if (timer) return;
    timer = setTimeout(run, Math.max(0, lastRun + intervalMs - Date.now()));
  };
  return Object.assign(throttled, { dispose: () => clearTimeout(timer) });
}

/**
 * One pending action per key (a document), run once `delayMs` pass without another `schedule` for
 * that key: a burst of keystrokes or saves becomes one check or one preview.
 */
export class KeyedDebounce implements vscode.Disposable {
  private readonly pending = new Map<string, NodeJS.Timeout>();

  constructor(private readonly delayMs: number) {}

  /** Replaces the key's pending action, if any, and starts its delay over. */
  schedule(key: string, action: () => void): void {
    this.cancel(key);
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        action();
      }, this.delayMs),
    );
  }

  cancel(key: string): void {
    clearTimeout(this.pending.get(key));
    this.pending.delete(key);
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }
}
