import { parseArgs } from 'node:util';
import { LedgerlensError } from '../../core/errors.js';
import { workerContextFromCli } from '../../service/cli-support.js';
import { routeConsoleToLogger } from '../../service/logger.js';
import { closeOnSignals, parseRoles, startService } from '../../service/runtime.js';
import type { Command } from '../command.js';

const command: Command = {
  name: 'serve',
  usage: [
    'usage: ledgerlens serve [--config FILE] [--host HOST] [--port N] [--queues all|none|ocr,ner,...] [--stages MODULE]',
    '  API on api.host:api.port plus workers for ocr, ner, extract, deliver and the inbox schedule',
    '  (inbox.dir); --queues none serves the API alone. Needs Redis (redis.url).',
    '  SIGTERM finishes in-flight jobs, then exits.',
  ].join('\n'),
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: {
      config: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' }, stages: { type: 'string' },
      queues: { type: 'string', default: 'all' },
    } });
    let roles;
    try {
      roles = parseRoles(values.queues);
    } catch (err) {
      throw new LedgerlensError('USAGE', (err as Error).message);
    }
    const api = { ...(values.host ? { host: values.host } : {}), ...(values.port ? { port: Number(values.port) } : {}) };
    const ctx = await workerContextFromCli({ config: values.config, stages: values.stages, overrides: { api }, roles });
    // workerContextFromCli has already loaded the model bundle (or found none: rules only).
    // One structured logger for the whole process: libraries that print (pdfjs warnings) go through it too.
    routeConsoleToLogger(ctx.log);
    const service = await startService(ctx, { roles, api: true, readiness: () => true });
    ctx.log.info({ url: `http://${ctx.config.api.host}:${ctx.config.api.port}`, roles, docs: '/docs', openapi: '/openapi.json' }, 'ledgerlens serve: listening');
    await closeOnSignals(service);
    return 0;
  },
};
export default command;
