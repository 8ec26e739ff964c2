/** `seqlab check <spec>`: every diagnostic as `file:line:col: severity: message`, then the summary. */
import { readSpecDataFacts } from '../../data/facts';
import { checkSpec } from '../../language/check';
import { formatDiagnostic } from '../../language/format';
import { formatSummaryTable } from '../../language/summary';
import type { SpecDiagnostic } from '../../language/types';
import { EXIT_OK, EXIT_SPEC_ERRORS } from '../errors';
import { readSpecFile, type Output } from './io';

/** Small local data files are read too (as the editor does), so a missing file or a class count that does not fit shows here, not only at Train. */
export async function runCheck(specPath: string, out: Output): Promise<number> {
  const text = readSpecFile(specPath);
  const facts = await readSpecDataFacts(text, specPath);
  const result = checkSpec(text, { specPath, dataFacts: () => facts });
  for (const diagnostic of result.diagnostics) out.stdout(formatDiagnostic(specPath, diagnostic));
  if (result.summary) {
    if (result.diagnostics.length > 0) out.stdout('');
    out.stdout(formatSummaryTable(result.summary));
  }
  const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
  out.stderr(`${specPath}: ${describeCounts(result.diagnostics)}.`);
  return errors > 0 ? EXIT_SPEC_ERRORS : EXIT_OK;
}

/** `2 errors, 1 warning`, or `no problems`. */
function describeCounts(diagnostics: readonly SpecDiagnostic[]): string {
  const parts = (['error', 'warning', 'info'] as const)
    .map((severity) => ({ severity, n: diagnostics.filter((d) => d.severity === severity).length }))
    .filter(({ n }) => n > 0)
    .map(({ severity, n }) => `${n} ${severity === 'info' ? 'note' : severity}${n === 1 ? '' : 's'}`);
  return parts.length > 0 ? parts.join(', ') : 'no problems';
}
