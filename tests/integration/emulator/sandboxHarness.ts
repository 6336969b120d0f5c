import type { Emulator } from '../../../emulator/createEmulator';
import type { DatabaseOptions } from '../../../emulator/data/database';
import { hashSecret } from '../../../emulator/auth/passwords';
import {
  bearerRequest,
  M2M,
  makeTestEmulator,
  testClock,
  TEST_SCRYPT_COST,
} from '../../utils/emulatorHarness';

/** M2M clients of the sandbox tests: each is a caller of its own (user demo, full access). */
export const CALLERS = ['m2m-a', 'm2m-b', 'm2m-c', 'm2m-d', 'm2m-e', 'm2m-f', 'm2m-g'];

/** An emulator over its own warehouse (so its limits), with extra M2M clients as callers. */
export async function sandboxEmulator(data: DatabaseOptions = {}) {
  const secretHash = await hashSecret(M2M.clientSecret, TEST_SCRYPT_COST);
  const { emulator } = await makeTestEmulator(testClock(Date.now()), {
    data,
    config: {
      m2mClients: [
        {
          clientId: M2M.clientId,
          name: 'ETL',
          clientSecretHash: secretHash,
          user: 'auth0|demo',
          scopes: ['read:connections', 'datasets:r:*'],
        },
        ...CALLERS.map((clientId) => ({
          clientId,
          name: clientId,
          clientSecretHash: secretHash,
          user: 'auth0|demo',
          scopes: ['read:connections'],
        })),
      ],
    },
  });
  return emulator;
}

export interface SqlAnswer {
  status: number;
  ms: number;
  error: string;
  rows: Record<string, unknown>[];
  headers: Headers;
}

/** POSTs `q` to the SQL API and times the answer. */
export async function runSql(
  emulator: Emulator,
  token: string,
  q: string,
  queryParameters?: unknown[],
): Promise<SqlAnswer> {
  const started = performance.now();
  const response = await emulator.fetch(
    bearerRequest(
      '/v3/sql/carto_dw/query',
      token,
      JSON.stringify({ q, ...(queryParameters ? { queryParameters } : {}) }),
    ),
  );
  const body = (await response.json()) as { error?: string; rows?: Record<string, unknown>[] };
  return {
    status: response.status,
    ms: performance.now() - started,
    error: body.error ?? '',
    rows: body.rows ?? [],
    headers: response.headers,
  };
}

/** A query the guard allows that keeps DuckDB busy far longer than any test's time limit. */
export const SLOW_SQL = (tag: number | string) =>
  `SELECT count(*) AS n FROM demo.populated_places a, demo.populated_places b WHERE a.population + b.population = ${Number.parseInt(String(tag), 36) + 7}`;
