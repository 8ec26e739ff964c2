import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
// @ts-expect-error -- a plain ES module script without type declarations
import { KERNELS, kernelModuleText } from '../../scripts/build-kernels.mjs';

describe('the committed WebAssembly kernels', () => {
  for (const kernel of KERNELS as { source: string; module: string }[]) {
    it(`${kernel.module} is what scripts/build-kernels.mjs compiles from ${kernel.source} today (run \`npm run build:kernels\` after editing it)`, async () => {
      const expected: string = await kernelModuleText(kernel);
      assert.ok(readFileSync(kernel.module, 'utf8') === expected, `${kernel.module} is stale: run \`npm run build:kernels\` and commit it.`);
    });
  }
});
