import * as vscode from 'vscode';

/** One palette command: its id (as contributed in package.json) and what it does. */
export interface Command {
  readonly id: string;
  execute(...args: unknown[]): unknown;
}

/** Registers commands and unregisters them all on dispose. */
export class CommandManager implements vscode.Disposable {
  private readonly registrations: vscode.Disposable[] = [];

  register<T extends Command>(command: T): T {
    this.registrations.push(vscode.commands.registerCommand(command.id, (...args: unknown[]) => command.execute(...args)));
    return command;
  }

  dispose(): void {
    vscode.Disposable.from(...this.registrations).dispose();
    this.registrations.length = 0;
  }
}
