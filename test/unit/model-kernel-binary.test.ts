import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
// @ts-expect-error -- a plain ES module script without type declarations
import { KERNEL_MODULE, kernelModuleText } from '../../scripts/build-kernels.mjs';

describe('the committed recurrent kernel', () => {
  it('is what scripts/build-kernels.mjs compiles from kernels/recurrent.ts today (run `npm run build:kernels` after editing it)', async () => {
    const expected: string = await kernelModuleText();
    assert.ok(readFileSync(KERNEL_MODULE, 'utf8') === expected, `${KERNEL_MODULE} is stale: run \`npm run build:kernels\` and commit it.`);
  });
});
