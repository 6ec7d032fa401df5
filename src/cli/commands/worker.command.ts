import { parseArgs } from 'node:util';
import { LedgerlensError } from '../../core/errors.js';
import { workerContextFromCli } from '../../service/cli-support.js';
import { routeConsoleToLogger } from '../../service/logger.js';
import { closeOnSignals, parseRoles, startService } from '../../service/runtime.js';
import type { Command } from '../command.js';

const command: Command = {
  name: 'worker',
  usage: [
    'usage: ledgerlens worker [--queues ocr,ner,extract,deliver,inbox|all] [--config FILE] [--stages MODULE]',
    '  Any number of worker processes on any number of machines may share one Redis and one store.',
    '  SIGTERM finishes in-flight jobs, then exits.',
  ].join('\n'),
  async run(argv) {
    const { values } = parseArgs({ args: argv, options: {
      queues: { type: 'string', default: 'all' }, config: { type: 'string' }, stages: { type: 'string' },
    } });
    let roles;
    try {
      roles = parseRoles(values.queues);
    } catch (err) {
      throw new LedgerlensError('USAGE', (err as Error).message);
    }
    const ctx = await workerContextFromCli({ config: values.config, stages: values.stages, roles });
    routeConsoleToLogger(ctx.log);
    const service = await startService(ctx, { roles });
    ctx.log.info({ roles }, 'ledgerlens worker: started');
    await closeOnSignals(service);
    return 0;
  },
};
export default command;
