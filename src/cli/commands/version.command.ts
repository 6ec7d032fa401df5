import type { Command } from '../command.js';
import { packageVersion } from '../version.js';

const command: Command = {
  name: 'version',
  usage: 'usage: ledgerlens version   (or ledgerlens --version, -V)\n\nPrints the Ledgerlens version.',
  async run(_argv, output) {
    output.out(`${packageVersion()}\n`);
    return 0;
  },
};
export default command;
