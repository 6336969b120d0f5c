import type { AuthContext } from '../auth/authContext';
import type { Database } from './database';
import type { SourceResolver } from './sources';

/** Everything the data APIs share. */
export interface DataContext {
  auth: AuthContext;
  db: Database;
  sources: SourceResolver;
}
