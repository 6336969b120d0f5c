/** `npm run generate -- <view|source|layer> <name>`: see docs/generator.md, or `-- --help`. */
import { fileURLToPath } from 'node:url';
import { main } from './lib/generator/generate';

process.exitCode = await main(process.argv.slice(2), {
  log: (line) => {
    console.log(line);
  },
  error: (line) => {
    console.error(line);
  },
  root: fileURLToPath(new URL('..', import.meta.url)),
});
