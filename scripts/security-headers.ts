/**
 * Prints the built app's security headers (scripts/lib/securityHeaders.ts) for a host:
 * `--nginx` as add_header lines (the Dockerfile's), `--headers` as a `_headers` file.
 * The CARTO origins come from VITE_CARTO_AUTH_SERVER / VITE_CARTO_API_BASE_URL when set.
 */
import { headersFile, nginxHeaders } from './lib/securityHeaders';

const format = process.argv[2] ?? '--headers';
if (format !== '--nginx' && format !== '--headers') {
  console.error('Usage: tsx scripts/security-headers.ts [--nginx | --headers]');
  process.exit(2);
}
process.stdout.write(format === '--nginx' ? nginxHeaders(process.env) : headersFile(process.env));
