import { parseArgs } from 'node:util';
import { LedgerlensError } from '../../core/errors.js';
import { workerContextFromCli } from '../../service/cli-support.js';
import { runBatch } from '../../service/batch.js';
import type { Role } from '../../service/job-registry.js';
import { startService } from '../../service/runtime.js';
import { EXIT, type Command } from '../command.js';
import { Progress } from '../progress.js';

const command: Command = {
  name: 'batch',
  usage: [
    'usage: ledgerlens batch DIR [--external] [--timeout SECONDS] [--config FILE] [--stages MODULE] [-q] [-v]',
    '',
    'Queues every file of DIR once, waits for the records, then moves each file to DIR/processed/ or',
    'DIR/failed/ (with NAME.error.json). Prints one JSON line per file: {file, documentId, status, errorCode}.',
    'Without --external the workers run in this process; with it, workers elsewhere (ledgerlens worker)',
    'do the work. Needs Redis (redis.url). Progress on stderr as for extract, and a summary line.',
    '  -q, --quiet    no progress and no summary line',
    'exit status: 0 all files completed, 1 some failed or were rejected, 2 usage error.',
  ].join('\n'),
  async run(argv, output) {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: {
      external: { type: 'boolean', default: false }, timeout: { type: 'string', default: '3600' },
      config: { type: 'string' }, stages: { type: 'string' }, quiet: { type: 'boolean', short: 'q', default: false },
      verbose: { type: 'boolean', short: 'v', default: false },
    } });
    if (positionals.length !== 1) throw new LedgerlensError('USAGE', 'give exactly one folder');
    const timeoutMs = Number(values.timeout) * 1000;
    if (!(timeoutMs > 0)) throw new LedgerlensError('USAGE', '--timeout must be a positive number of seconds');
    const roles: Role[] = values.external ? [] : ['ocr', 'ner', 'extract', 'deliver'];
    const ctx = await workerContextFromCli({ config: values.config, stages: values.stages, roles });
    const service = await startService(ctx, { roles });
    const progress = new Progress({ label: 'batch', unit: 'documents', total: null, stream: output.stderr, quiet: values.quiet });
    output.progress = progress;
    try {
      const results = await runBatch(ctx, positionals[0]!, {
        timeoutMs,
        onProgress: (done, total, failed) => { progress.setTotal(total); progress.set({ done, failed }); },
      });
      for (const r of results) output.out(`${JSON.stringify(r)}\n`);
      progress.finish();
      return results.every((r) => r.status === 'completed') ? EXIT.ok : EXIT.someFailed;
    } finally {
      await service.close();
    }
  },
};
export default command;
