/**
 * The data APIs (Maps, SQL, stats, connections, named sources, LDS, datasets) as one Hono app
 * over a warehouse. Imported by createEmulator only when it has data, and not before the
 * authorization server is up: DuckDB, the spatial functions and the routes take a while to
 * load, and logins need none of them (issue 18).
 */
import { Hono, type NotFoundHandler } from 'hono';
import type { AuthContext } from '../auth/authContext';
import { onError } from '../http/errors';
import { connectionsRoutes } from '../routes/connectionsRoutes';
import { datasetsRoutes } from '../routes/datasetsRoutes';
import { ldsRoutes } from '../routes/ldsRoutes';
import { mapsRoutes } from '../routes/mapsRoutes';
import { namedSourcesRoutes } from '../routes/namedSourcesRoutes';
import { sqlModelRoutes } from '../routes/sqlModelRoutes';
import { sqlQueryRoutes } from '../routes/sqlQueryRoutes';
import { statsRoutes } from '../routes/statsRoutes';
import type { DataContext } from './dataContext';
import { Database, type DatabaseOptions } from './database';
import { SourceResolver } from './sources';

/** A warehouse given as is, being made elsewhere, or options to make one. */
export type DataSource = Database | Promise<Database> | DatabaseOptions;

export interface DataPlane {
  database: Database;
  app: Hono;
}

/** The warehouse (made from options when it is not one already) and the data routes over it. */
export async function openDataPlane(
  auth: AuthContext,
  source: DataSource,
  notFound: NotFoundHandler,
  { warmTranslator }: { warmTranslator: boolean },
): Promise<DataPlane> {
  const database =
    source instanceof Database || source instanceof Promise
      ? await source
      : await Database.create(source);
  const data: DataContext = {
    auth,
    db: database,
    sources: new SourceResolver(database, auth.config, { warmTranslator }),
  };
  const app = new Hono();
  app.route('/v3/maps', mapsRoutes(data));
  app.route('/v3/sql', sqlQueryRoutes(data));
  app.route('/v3/sql', sqlModelRoutes(data));
  app.route('/v3/stats', statsRoutes(data));
  app.route('/v3/connections', connectionsRoutes(data));
  app.route('/v3/named-sources', namedSourcesRoutes(data));
  app.route('/v3/lds', ldsRoutes(data));
  app.route('/api/v4/datasets', datasetsRoutes(data));
  app.notFound(notFound);
  app.onError(onError);
  return { database, app };
}
