// The VSIX `npm run package` (scripts/package.mjs) produced: what the browser tests and `npm run try` install.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './paths';

export function packagedVsix(): string {
  const { name, version } = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as {
    name: string;
    version: string;
  };
  const vsix = process.env.SEQLAB_VSIX ?? join(projectRoot, `${name}-${version}.vsix`);
  if (!existsSync(vsix)) throw new Error(`${vsix} does not exist: build it with \`npm run package\`.`);
  return vsix;
}
