import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { LedgerlensError } from '../core/errors.js';

/** Artefacts a document accumulates on its way through the pipeline. */
export type ArtefactName = 'text' | 'spans' | 'record';

export const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/**
 * Content-addressed store shared by the API and every worker (a directory by default; on several
 * machines, a shared volume). Originals are keyed by their sha256; artefacts by document id and name.
 * Jobs carry document ids, never the bytes. Every write is atomic (temp file + rename), so a reader
 * or a worker killed mid-write never sees a torn file.
 */
export class ContentStore {
  readonly root: string;

  constructor(dir: string) {
    this.root = resolve(dir);
  }

  private originalPath(id: string): string {
    return join(this.root, 'originals', id.slice(0, 2), id);
  }

  private artefactPath(id: string, name: ArtefactName): string {
    return join(this.root, 'artefacts', id.slice(0, 2), id, `${name}.json`);
  }

  private async writeAtomic(path: string, data: Uint8Array | string): Promise<void> {
    const tmpDir = join(this.root, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    await mkdir(join(path, '..'), { recursive: true });
    const tmp = join(tmpDir, `${randomBytes(8).toString('hex')}.part`);
    await writeFile(tmp, data);
    try {
      await rename(tmp, path);
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
  }

  /** Stores the bytes under their sha256 (a no-op when present) and returns the digest. */
  async putOriginal(bytes: Uint8Array): Promise<string> {
    const id = sha256(bytes);
    if (!(await this.hasOriginal(id))) await this.writeAtomic(this.originalPath(id), bytes);
    return id;
  }

  async hasOriginal(id: string): Promise<boolean> {
    return stat(this.originalPath(id)).then(() => true, (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return false;
      throw err;
    });
  }

  /** A plain Uint8Array, not a Buffer: pdfjs refuses Buffers. */
  async getOriginal(id: string): Promise<Uint8Array> {
    const buf = await this.read(this.originalPath(id), `original ${id}`);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  async putArtefact(id: string, name: ArtefactName, value: unknown): Promise<void> {
    await this.writeAtomic(this.artefactPath(id, name), JSON.stringify(value));
  }

  async getArtefact(id: string, name: ArtefactName): Promise<unknown> {
    const bytes = await this.read(this.artefactPath(id, name), `${name} of ${id}`);
    return JSON.parse(Buffer.from(bytes).toString('utf8')) as unknown;
  }

  async hasArtefact(id: string, name: ArtefactName): Promise<boolean> {
    return stat(this.artefactPath(id, name)).then(() => true, () => false);
  }

  /** A file beside a document's artefacts (record versions, page images), removed with them. */
  private documentFilePath(id: string, name: string): string {
    if (!/^[a-z0-9][a-z0-9.-]*(\/[a-z0-9][a-z0-9.-]*)*$/.test(name)) throw new LedgerlensError('INTERNAL', `bad document file name ${name}`);
    return join(this.root, 'artefacts', id.slice(0, 2), id, name);
  }

  async putDocumentFile(id: string, name: string, data: Uint8Array | string): Promise<void> {
    await this.writeAtomic(this.documentFilePath(id, name), data);
  }

  async getDocumentFile(id: string, name: string): Promise<Uint8Array> {
    return this.read(this.documentFilePath(id, name), `${name} of ${id}`);
  }

  async hasDocumentFile(id: string, name: string): Promise<boolean> {
    return stat(this.documentFilePath(id, name)).then(() => true, () => false);
  }

  /** Labelled examples from reviews, `examples/<document id>/v<version>.json`: what `learn` reads. */
  get examplesDir(): string {
    return join(this.root, 'examples');
  }

  async putExample(id: string, version: number, value: unknown): Promise<void> {
    await this.writeAtomic(join(this.examplesDir, id, `v${version}.json`), JSON.stringify(value));
  }

  async removeExamples(id: string): Promise<void> {
    await rm(join(this.examplesDir, id), { recursive: true, force: true });
  }

  /** Removes the original and every artefact of a document (default tenant: id = sha256). */
  async remove(id: string): Promise<void> {
    await this.removeOriginal(id);
    await this.removeArtefacts(id);
  }

  async removeOriginal(sha256: string): Promise<void> {
    await rm(this.originalPath(sha256), { force: true });
  }

  async removeArtefacts(id: string): Promise<void> {
    await rm(join(this.root, 'artefacts', id.slice(0, 2), id), { recursive: true, force: true });
  }

  private async read(path: string, what: string): Promise<Uint8Array> {
    try {
      return await readFile(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new LedgerlensError('NOT_FOUND', `${what} is not in the store`);
      throw err;
    }
  }
}
