/**
 * Entry of the extension-host test suite: VS Code loads this file (extensionTestsPath) inside the
 * extension host, with the extension under test already installed, and calls run(). The exit
 * code VS Code reports (code-server: codeAutomationExit) is 0 only when every test passed.
 *
 * Set SEQLAB_E2E_REPORT to a file path to also get the results as JSON there (the extension
 * host's console is not always visible to the process that started VS Code).
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

interface FailureReport {
  title: string;
  message: string;
}

export async function run(): Promise<void> {
  // The extension host forwards console arguments unformatted: hand it finished lines.
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => console.log(format(...args));
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  const files = readdirSync(__dirname).filter((name) => name.endsWith('.test.js')).sort();
  for (const file of files) mocha.addFile(join(__dirname, file));
  const failures: FailureReport[] = [];
  let passes = 0;
  await new Promise<void>((resolve, reject) => {
    try {
      const runner = mocha.run(() => resolve());
      runner.on('pass', () => passes++);
      runner.on('fail', (test, error: Error) => failures.push({ title: test.fullTitle(), message: error.message }));
    } catch (error) {
      reject(error);
    }
  });
  const reportPath = process.env.SEQLAB_E2E_REPORT;
  if (reportPath) writeFileSync(reportPath, JSON.stringify({ passes, failures }, null, 2));
  console.log(`extension-host suite: ${passes} passed, ${failures.length} failed`);
  // A suite that ran nothing proves nothing (a build that emitted no test file, a filter that matched none).
  if (passes + failures.length === 0) throw new Error(`The extension-host suite ran no test (test files in ${__dirname}: ${files.join(', ') || 'none'}).`);
  if (failures.length > 0) throw new Error(`${failures.length} extension-host test(s) failed: ${failures.map((f) => f.title).join('; ')}`);
}
