import { parseArgs } from 'node:util';
import { ROLES } from '../../service/job-registry.js';
import { workerContextFromCli } from '../../service/cli-support.js';
import { closeOnSignals, startService } from '../../service/runtime.js';
import type { Command } from '../command.js';

const command: Command = {
  name: 'serve',
  summary: 'run the HTTP API and every worker role in one process (single machine)',
  usage: [
    'usage: ledgerlens serve [--config FILE] [--host HOST] [--port N] [--stages MODULE]',
    '  API on api.host:api.port plus workers for ocr, ner, extract, deliver and the inbox schedule',
    '  (inbox.dir). Needs Redis (redis.url). SIGTERM finishes in-flight jobs, then exits.',
  ].join('\n'),
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: {
      config: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' }, stages: { type: 'string' },
    } });
    const api = { ...(values.host ? { host: values.host } : {}), ...(values.port ? { port: Number(values.port) } : {}) };
    const ctx = await workerContextFromCli({ config: values.config, stages: values.stages, overrides: { api } });
    const service = await startService(ctx, { roles: [...ROLES], api: true, readiness: () => true });
    process.stderr.write(`ledgerlens serve: listening on http://${ctx.config.api.host}:${ctx.config.api.port} (OpenAPI at /openapi.json)\n`);
    await closeOnSignals(service);
    return 0;
  },
};
export default command;
