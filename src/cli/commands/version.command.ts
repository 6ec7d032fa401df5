import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { PROJECT_ROOT } from '../../config/config.js';
import type { Command } from '../command.js';

const command: Command = {
  name: 'version',
  summary: 'print the Ledgerlens version',
  usage: 'usage: ledgerlens version',
  async run() {
    const pkg = JSON.parse(readFileSync(resolve(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string };
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  },
};
export default command;
