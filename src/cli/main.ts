#!/usr/bin/env node
import { LedgerlensError, toErrorInfo } from '../core/errors.js';
import type { Command } from './command.js';

/** Subcommands, loaded on demand so that `ledgerlens text` never loads the model runtime. */
const COMMANDS: Record<string, () => Promise<{ default: Command }>> = {
  version: () => import('./commands/version.command.js'),
  extract: () => import('./commands/extract.command.js'),
  text: () => import('./commands/text.command.js'),
  ner: () => import('./commands/ner.command.js'),
  eval: () => import('./commands/eval.command.js'),
  serve: () => import('./commands/serve.command.js'),
  worker: () => import('./commands/worker.command.js'),
  batch: () => import('./commands/batch.command.js'),
  synth: () => import('./commands/synth.command.js'),
  'corpus-stats': () => import('./commands/corpus-stats.command.js'),
};

function usage(): string {
  return [
    'usage: ledgerlens <command> [options]',
    '',
    'commands:',
    ...Object.keys(COMMANDS).map((name) => `  ${name}`),
    '',
    'Run `ledgerlens <command> --help` for a command\'s options.',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`ledgerlens: unknown command '${name}'\n${usage()}\n`);
    return 2;
  }
  const command = (await load()).default;
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    // parseArgs reports unknown or malformed options as TypeErrors with an ERR_PARSE_ARGS_* code.
    const code = (err as { code?: string }).code ?? '';
    if ((err instanceof LedgerlensError && err.code === 'USAGE') || code.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`ledgerlens ${name}: ${(err as Error).message}\n${command.usage}\n`);
      return 2;
    }
    const info = toErrorInfo(err);
    process.stderr.write(`ledgerlens ${name}: ${info.code}: ${info.message}\n`);
    return 1;
  }
}

main(process.argv.slice(2)).then(
  (status) => { process.exitCode = status; },
  (err: unknown) => { process.stderr.write(`ledgerlens: ${String(err)}\n`); process.exitCode = 1; },
);
