import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { LedgerlensError } from '../../core/errors.js';

/** The page's files, served from the package (no CDN): name -> content type. */
const ASSETS: Record<string, string> = {
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

/**
 * src/service/ui beside this module when run from the sources; from the compiled dist/, the same
 * folder of the package (tsc copies no HTML, CSS or JS). Null when neither holds the page.
 */
function uiDir(): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, '..', 'ui'), join(here, '..', '..', '..', '..', 'src', 'service', 'ui')];
  return candidates.find((d) => existsSync(join(d, 'index.html'))) ?? null;
}

/** No third-party code runs on the page; its API calls go to this origin only. */
const CSP = "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

/** The review page at /ui, behind the same keys as the API (Basic auth: any user name, the key as password). */
export function uiRoutes(app: FastifyInstance): void {
  const dir = uiDir();
  const files = new Map<string, Promise<Buffer>>();
  const load = (name: string) => {
    if (!dir) throw new LedgerlensError('NOT_FOUND', 'the review page is not installed with this package (src/service/ui is missing)');
    let file = files.get(name);
    if (!file) {
      file = readFile(join(dir, name));
      files.set(name, file);
      file.catch(() => files.delete(name));
    }
    return file;
  };
  const page = async (_request: unknown, reply: import('fastify').FastifyReply) => reply
    .type('text/html; charset=utf-8').header('content-security-policy', CSP).header('cache-control', 'no-cache')
    .send(await load('index.html'));
  app.get('/ui', { schema: { hide: true } }, page);
  app.get('/ui/', { schema: { hide: true } }, page);
  app.get<{ Params: { name: string } }>('/ui/assets/:name', { schema: { hide: true } }, async (request, reply) => {
    const type = ASSETS[request.params.name];
    if (!type) throw new LedgerlensError('NOT_FOUND', `no asset ${request.params.name}`);
    return reply.type(type).header('cache-control', 'no-cache').send(await load(request.params.name));
  });
}
