/**
 * Data paths that name an environment variable: `data.source: ${env:SEQLAB_SMS_SPAM}` (VS Code's
 * own variable syntax), so a shared spec points at data each user keeps in their own place. The
 * same syntax works in `data.validation.source` and `data.imdb_path`, alone or inside a longer
 * path (`${env:HOME}/data/input.txt`). Pure string work: no file system, usable by the checker.
 */
import { DataError } from './types';

const REFERENCE = /\$\{env:([^}]*)\}/g;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The variable names a written path refers to, in order (empty for a plain path). */
export function environmentReferences(written: string): string[] {
  return [...written.matchAll(REFERENCE)].map((match) => match[1]!);
}

/** True when the path's value is only known once the environment is (the checker cannot judge it). */
export function refersToEnvironment(written: string): boolean {
  return environmentReferences(written).length > 0;
}

/**
 * The path with every `${env:NAME}` replaced by the variable's value; a relative result is still
 * relative to the spec's folder, as any written path is.
 *
 * @param field the spec field it was written in (`data.source`), named in the error.
 * @throws DataError when a name is malformed or a variable is unset or empty: the message names the
 *   variable and both ways to fix it (set the variable, or write the path in the field).
 */
export function expandDataPath(written: string, field: string, env: NodeJS.ProcessEnv = process.env): string {
  for (const name of environmentReferences(written)) {
    if (!VARIABLE_NAME.test(name)) {
      throw new DataError(`\`${field}\` refers to \`\${env:${name}}\`, which is not a variable name: use letters, digits and _ (e.g. \`\${env:SEQLAB_DATA}\`).`);
    }
  }
  const unset = environmentReferences(written).filter((name) => !env[name]);
  if (unset.length > 0) {
    const [name] = unset;
    throw new DataError(
      `\`${field}\` reads the data's path from the environment variable ${name}, which is not set. ` +
        `Set ${name} to the file's path (e.g. \`export ${name}=/path/to/file\` before starting VS Code or \`seqlab\`), ` +
        `or write the path in \`${field}\` instead of \`${written}\`. The comment at the top of the spec says where to get the data.`,
    );
  }
  return written.replace(REFERENCE, (_, name: string) => env[name]!);
}
