/** A CLI subcommand: one file per command under src/cli/commands, registered in main.ts. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  /** Returns the exit status: 0 success, 1 some inputs failed, 2 usage error. */
  run(argv: string[]): Promise<number>;
}
