import { parseArgs } from 'node:util';
import { LedgerlensError } from '../../core/errors.js';
import { workerContextFromCli } from '../../service/cli-support.js';
import { runBatch } from '../../service/batch.js';
import type { Role } from '../../service/job-registry.js';
import { startService } from '../../service/runtime.js';
import type { Command } from '../command.js';

const command: Command = {
  name: 'batch',
  summary: 'enqueue every file of a folder once, wait for the records, move files to processed/ or failed/',
  usage: [
    'usage: ledgerlens batch DIR [--external] [--timeout SECONDS] [--config FILE] [--stages MODULE]',
    '  Prints one JSON line per file. Without --external the workers run in this process;',
    '  with it, workers elsewhere (ledgerlens worker) do the work. Exit 1 when any file failed.',
  ].join('\n'),
  async run(argv) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: {
      external: { type: 'boolean', default: false }, timeout: { type: 'string', default: '3600' },
      config: { type: 'string' }, stages: { type: 'string' },
    } });
    if (positionals.length !== 1) throw new LedgerlensError('USAGE', 'give exactly one folder');
    const timeoutMs = Number(values.timeout) * 1000;
    if (!(timeoutMs > 0)) throw new LedgerlensError('USAGE', '--timeout must be a positive number of seconds');
    const roles: Role[] = values.external ? [] : ['ocr', 'ner', 'extract', 'deliver'];
    const ctx = await workerContextFromCli({ config: values.config, stages: values.stages, roles });
    const service = await startService(ctx, { roles });
    try {
      const results = await runBatch(ctx, positionals[0]!, { timeoutMs });
      for (const r of results) process.stdout.write(`${JSON.stringify(r)}\n`);
      return results.every((r) => r.status === 'completed') ? 0 : 1;
    } finally {
      await service.close();
    }
  },
};
export default command;
