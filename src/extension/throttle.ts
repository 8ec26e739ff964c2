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
