#!/usr/bin/env node
import { LedgerlensError, toErrorInfo } from '../core/errors.js';
import { EXIT } from './command.js';
import { COMMANDS, findCommand } from './commands.js';
import { exitQuietlyOnBrokenPipe, Output } from './output.js';
import { packageVersion } from './version.js';

function topLevelHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2;
  return [
    `ledgerlens ${packageVersion()}: invoice records from PDFs, scans and photos, offline`,
    '',
    'usage: ledgerlens <command> [options] [FILE...]',
    '       ledgerlens <command> --help     options of one command',
    '       ledgerlens --version',
    '',
    'commands:',
    ...COMMANDS.flatMap((c) => [`  ${c.name.padEnd(width)}${c.summary}`, `  ${''.padEnd(width)}e.g. ${c.example}`]),
    '',
    'Records go to stdout, progress and diagnostics to stderr (--quiet: errors only; --verbose: more).',
    'exit status: 0 ok, 1 some documents failed, 2 usage error',
  ].join('\n');
}

/** `--help` or `-h` among a command's arguments (before a `--` that ends the options). */
function asksForHelp(args: string[]): boolean {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
}

async function main(argv: string[], output: Output): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    output.stderr.write(`${topLevelHelp()}\n`);
    return EXIT.usage;
  }
  if (name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
    output.out(`${topLevelHelp()}\n`);
    return EXIT.ok;
  }
  if (name === '--version' || name === '-V') {
    output.out(`${packageVersion()}\n`);
    return EXIT.ok;
  }
  const helpFor = name === 'help' ? rest[0]! : null;
  const entry = findCommand(helpFor ?? name);
  if (!entry) {
    output.stderr.write(`ledgerlens: unknown command '${helpFor ?? name}' (see ledgerlens --help)\n`);
    return EXIT.usage;
  }
  const command = (await entry.load()).default;
  if (helpFor !== null || asksForHelp(rest)) {
    output.out(`${command.usage}\n`);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, output);
  } catch (err) {
    output.progress?.abort();
    // parseArgs reports unknown or malformed options as TypeErrors with an ERR_PARSE_ARGS_* code.
    const code = (err as { code?: string }).code ?? '';
    if ((err instanceof LedgerlensError && err.code === 'USAGE') || code.startsWith('ERR_PARSE_ARGS')) {
      output.stderr.write(`ledgerlens ${entry.name}: ${(err as Error).message}\n${command.usage.split('\n')[0]}\n(ledgerlens ${entry.name} --help for the options)\n`);
      return EXIT.usage;
    }
    const info = toErrorInfo(err);
    output.stderr.write(`ledgerlens ${entry.name}: ${info.code}: ${info.message}\n`);
    return EXIT.someFailed;
  }
}

const output = new Output();
exitQuietlyOnBrokenPipe(output);
main(process.argv.slice(2), output).then(
  (status) => { process.exitCode = status; },
  (err: unknown) => { process.stderr.write(`ledgerlens: ${String(err)}\n`); process.exitCode = 1; },
);
