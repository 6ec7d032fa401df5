import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Validation of written e-invoices against the official XSDs in schemas/ (UBL 2.1, Factur-X 1.09
 * profiles) with `xmllint --schema` from libxml2-utils. For tests and benchmarks: the service never
 * needs it. The document goes to xmllint on stdin.
 */

export type SchemaName = 'ubl-invoice' | 'ubl-credit-note' | 'cii-en16931' | 'cii-extended' | 'cii-minimum';

const SCHEMAS_DIR = [join(import.meta.dirname, '..', '..', 'schemas'), join(import.meta.dirname, '..', '..', '..', 'schemas')]
  .find((d) => existsSync(d)) ?? 'schemas';

const SCHEMA_FILES: Record<SchemaName, string> = {
  'ubl-invoice': 'ubl-2.1/maindoc/UBL-Invoice-2.1.xsd',
  'ubl-credit-note': 'ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd',
  'cii-en16931': 'factur-x/facturx-en16931/Factur-X_EN16931.xsd',
  'cii-extended': 'factur-x/facturx-extended/Factur-X_EXTENDED.xsd',
  'cii-minimum': 'factur-x/facturx-minimum/Factur-X_MINIMUM.xsd',
};

export function schemaPath(name: SchemaName): string {
  return join(SCHEMAS_DIR, SCHEMA_FILES[name]);
}

/** The schema a writer's output must satisfy, from its syntax and profile. */
export function schemaFor(output: { syntax: 'ubl-invoice' | 'ubl-credit-note' | 'cii'; profile: string }): SchemaName {
  if (output.syntax !== 'cii') return output.syntax;
  if (/extended/.test(output.profile)) return 'cii-extended';
  if (/minimum/.test(output.profile)) return 'cii-minimum';
  return 'cii-en16931';
}

/** True when `xmllint` runs here. */
export function hasXmllint(): boolean {
  try {
    execFileSync('xmllint', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface XsdResult { valid: boolean; errors: string[] }

/** Validates one document; errors are xmllint's messages (line numbers refer to the document). */
export function validateXml(xml: string, schema: SchemaName): Promise<XsdResult> {
  return new Promise((resolve, reject) => {
    const child = execFile('xmllint', ['--noout', '--nonet', '--schema', schemaPath(schema), '-'], { maxBuffer: 16 * 1024 * 1024 }, (err, _stdout, stderr) => {
      const errors = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '' && !/ validates$/.test(l));
      const code = (err as (NodeJS.ErrnoException & { code?: unknown }) | null)?.code;
      if (err && typeof code === 'string') { reject(err); return; } // xmllint missing or not runnable
      resolve({ valid: err === null, errors });
    });
    child.stdin!.end(xml);
  });
}
