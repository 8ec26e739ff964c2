/** Figures of a confusion matrix (`confusion[actual][predicted]`), for the classification view. Pure. */

export interface ClassFigures {
  name: string;
  /** Of the examples predicted as this class, the fraction that are (undefined: none predicted). */
  precision?: number;
  /** Of the examples of this class, the fraction predicted as it (undefined: none in the split). */
  recall?: number;
  /** Examples of this class in the split. */
  support: number;
}

/** Each row divided by its sum: of the examples of a class, the fraction predicted as each class (0 for an empty row). */
export function rowNormalised(confusion: readonly (readonly number[])[]): number[][] {
  return confusion.map((row) => {
    const total = row.reduce((sum, count) => sum + count, 0);
    return row.map((count) => (total === 0 ? 0 : count / total));
  });
}

export function classFigures(confusion: readonly (readonly number[])[], classes: readonly string[]): ClassFigures[] {
  return classes.map((name, c) => {
    const support = (confusion[c] ?? []).reduce((sum, count) => sum + count, 0);
    const predicted = confusion.reduce((sum, row) => sum + (row[c] ?? 0), 0);
    const correct = confusion[c]?.[c] ?? 0;
    return {
      name,
      ...(predicted > 0 ? { precision: correct / predicted } : {}),
      ...(support > 0 ? { recall: correct / support } : {}),
      support,
    };
  });
}

/** The fraction of the split on the diagonal. */
export function accuracyOf(confusion: readonly (readonly number[])[]): number | undefined {
  let correct = 0;
  let total = 0;
  confusion.forEach((row, actual) => row.forEach((count, predicted) => ((total += count), (correct += actual === predicted ? count : 0))));
  return total === 0 ? undefined : correct / total;
}
