/**
 * The record benchmarks' split between what development may look at and what only measures:
 * synthetic seeds from HELD_OUT_SEED on are held out (development uses 800000..800199), and the
 * einvoices/dev files of generators other than DEVELOPMENT_GENERATORS are out of sample.
 */

export const HELD_OUT_SEED = 900000;
export const DEVELOPMENT_SEED = 800000;

/** Generators of einvoices/dev whose page texts were read while writing the finders. */
export const DEVELOPMENT_GENERATORS = new Set(['intarsys', 'mustangproject']);

/** The generator of an e-invoice file: the word after the first '-' of the name's prefix, lower case. */
export function generatorOf(file: string): string {
  const prefix = file.split('__')[0]!;
  return (prefix.split('-')[1] ?? prefix).toLowerCase();
}
