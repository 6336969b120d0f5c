import { afterEach, describe, expect, it, vi } from 'vitest';
import { Hono } from 'hono';
import { QueryError } from '../../../emulator/data/database';
import { ColumnNotFoundError } from '../../../emulator/data/filters';
import { ApiError, onError } from '../../../emulator/http/errors';

function appThrowing(error: Error) {
  const app = new Hono();
  app.get('/', () => {
    throw error;
  });
  app.onError(onError);
  return app;
}

async function answer(error: Error) {
  const response = await appThrowing(error).request('/');
  return { response, body: (await response.json()) as Record<string, unknown> };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('onError: thrown errors become CARTO JSON', () => {
  it('a QueryError keeps its status and message', async () => {
    const { response, body } = await answer(new QueryError('Too many rows', 413));
    expect(response.status).toBe(413);
    expect(body).toEqual({ error: 'Too many rows', status: 413 });
  });

  it('an unknown column is "Column not found" with column_name', async () => {
    const { response, body } = await answer(new ColumnNotFoundError('nope'));
    expect(response.status).toBe(400);
    expect(body).toEqual({ error: 'Column not found', status: 400, column_name: 'nope' });
  });

  it('an ApiError carries its extra body fields and headers', async () => {
    const { response, body } = await answer(
      new ApiError(401, 'Unauthorized', {
        body: { hint: 'log in' },
        headers: { 'WWW-Authenticate': 'Bearer' },
      }),
    );
    expect(response.status).toBe(401);
    expect(response.headers.get('WWW-Authenticate')).toBe('Bearer');
    expect(body).toEqual({ error: 'Unauthorized', status: 401, hint: 'log in' });
  });

  it('anything else is a 500 that reveals nothing', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const { response, body } = await answer(
      new TypeError('Cannot read /srv/emulator/secret.ts line 42'),
    );
    expect(response.status).toBe(500);
    expect(body).toEqual({ error: 'Internal error in the emulator', status: 500 });
    expect(JSON.stringify(body)).not.toContain('secret');
    expect(logged).toHaveBeenCalled();
  });
});
