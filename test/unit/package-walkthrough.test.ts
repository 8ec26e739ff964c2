/**
 * The Get Started walkthrough (package.json `contributes.walkthroughs`): every step's completion
 * event and every button in its description name a command the extension contributes and
 * registers, its page ships in the package, the steps go through a lesson in order, and the
 * lessons page lists every example that New Spec from Template offers.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { it } from 'node:test';

const root = resolve(__dirname, '../..');

interface Step {
  id: string;
  title: string;
  description: string;
  media: { markdown?: string };
  completionEvents?: string[];
}

const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  contributes: { commands: { command: string }[]; walkthroughs?: { id: string; steps: Step[] }[] };
};
const walkthroughs = manifest.contributes.walkthroughs ?? [];
const steps = walkthroughs.flatMap((walkthrough) => walkthrough.steps);
const contributed = new Set(manifest.contributes.commands.map(({ command }) => command));

/** Command ids the extension registers: each command class's `readonly id = '...'`. */
const registered = new Set(
  readdirSync(join(root, 'src/extension/commands'))
    .filter((file) => file.endsWith('.ts'))
    .flatMap((file) => [...readFileSync(join(root, 'src/extension/commands', file), 'utf8').matchAll(/readonly id = '([\w.]+)'/g)].map(([, id]) => id!)),
);

/** The commands a step is completed by, and the ones its description's buttons run. */
function commandsOf(step: Step): { completion: string[]; buttons: string[] } {
  const events = step.completionEvents ?? [];
  for (const event of events) assert.match(event, /^onCommand:/, `step ${step.id}: completion event ${event} is not a command`);
  return {
    completion: events.map((event) => event.slice('onCommand:'.length)),
    buttons: [...step.description.matchAll(/\(command:([\w.]+)\)/g)].map(([, id]) => id!),
  };
}

it('contributes one walkthrough whose steps open a lesson, train it, read the panel, change one thing and compare, in that order', () => {
  assert.equal(walkthroughs.length, 1);
  const order = ['sequenceLab.newSpecFromTemplate', 'sequenceLab.train', 'sequenceLab.openPanel', 'sequenceLab.showModelSummary', 'sequenceLab.compareRuns'];
  assert.deepEqual(steps.slice(0, order.length).map((step) => commandsOf(step).completion[0]), order);
});

it('every step is completed by a command, and its buttons run that command, which the extension contributes and registers', () => {
  for (const step of steps) {
    const { completion, buttons } = commandsOf(step);
    assert.ok(completion.length > 0, `step ${step.id} has no completion event: it could never be checked off`);
    assert.deepEqual(buttons, completion, `step ${step.id}: its button runs ${buttons.join(', ')}, it completes on ${completion.join(', ')}`);
    for (const id of completion) {
      assert.ok(contributed.has(id), `step ${step.id}: ${id} is not in contributes.commands`);
      assert.ok(registered.has(id), `step ${step.id}: no command class in src/extension/commands registers ${id}`);
    }
  }
  assert.equal(new Set(steps.flatMap((step) => commandsOf(step).completion)).size, steps.length, 'two steps complete on the same command: running it once would tick both');
});

it("every step's page exists and ships (media/** is in the package)", () => {
  const shipped = readFileSync(join(root, '.vscodeignore'), 'utf8').split('\n');
  assert.ok(shipped.includes('!media/**'));
  for (const step of steps) {
    const page = step.media.markdown ?? '';
    assert.ok(page.startsWith('media/'), `step ${step.id}: its page (${page}) is not under media/`);
    assert.ok(existsSync(join(root, page)), `step ${step.id}: ${page} is missing`);
  }
});

it('the lessons page names every example New Spec from Template offers, and only those', () => {
  const page = steps.find((step) => step.id === 'lessons');
  assert.ok(page?.media.markdown);
  const text = readFileSync(join(root, page.media.markdown), 'utf8');
  const examples = readdirSync(join(root, 'examples'))
    .filter((file) => file.endsWith('.seqlab.yaml'))
    .map((file) => file.replace('.seqlab.yaml', ''));
  assert.deepEqual(examples.filter((name) => !text.includes(`\`${name}\``)), [], `examples missing from the lessons page: add a row for each to ${page.media.markdown} (and to README "Examples")`);
  const named = [...text.matchAll(/`([a-z0-9-]+)`/g)].map(([, name]) => name!).filter((name) => !/^SEQLAB_/.test(name));
  assert.deepEqual(named.filter((name) => !examples.includes(name)), [], 'names on the lessons page that are not examples');
});
