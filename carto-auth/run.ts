/** Entry point of the carto-auth CLI (`npx carto-auth`, `npm run carto-auth`). */
import { main } from './cli';

process.exitCode = await main(process.argv.slice(2));
