export interface PostgresServer {
  url: string;
  stop(): Promise<void>;
}

/** Debian's PostgreSQL for the tests: the same starter the end-to-end suite and the bench use. */
export const { startPostgresServer } = require('../../../../tools/scripts/postgres-server.cjs') as {
  startPostgresServer(options?: { maxConnections?: number }): Promise<PostgresServer>;
};
