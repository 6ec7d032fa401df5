import type { Output } from './output.js';

/** A CLI subcommand: one file per command under src/cli/commands, listed in src/cli/commands.ts. */
export interface Command {
  name: string;
  /** The command's help (`ledgerlens NAME --help`), options and exit status included. */
  usage: string;
  /** Returns the exit status: 0 success, 1 some inputs failed, 2 usage error. */
  run(argv: string[], output: Output): Promise<number>;
}

/** Exit statuses, the same for every command. */
export const EXIT = { ok: 0, someFailed: 1, usage: 2 } as const;
