import closeWithGrace from 'close-with-grace';
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify from 'fastify';
import galleryApp, { serverOptions } from './app';
import { ensureAdminUser } from './auth/admin-user';
import { startLoginAttemptSweep } from './auth/login-attempt-sweep';
import { startSessionSweep } from './auth/session-sweep';
import { appDeps, composeAdapters } from './compose';
import { loadConfig } from './config';
import { createLogger } from './logger';
import { startOrphanSweep } from './housekeeping/orphan-sweep';
import { startVacuum } from './housekeeping/vacuum';
import { followChanges } from './feed/follow-changes';
import { startChangePruning } from './feed/prune-changes';
import { startOutboxRelay } from './outbox/relay-loop';

async function main() {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const adapters = await composeAdapters(config);
  const { db } = adapters.database;

  const admin = await ensureAdminUser(db, config.ADMIN_PASSWORD);
  if (admin.created && admin.generatedPassword) {
    // On the console, not in the JSON log: shown once, never stored in plain text.
    process.stdout.write(
      `\nAdmin password (generated, shown once): ${admin.generatedPassword}\n\n`,
    );
  }

  const relay = startOutboxRelay({
    db,
    publisher: adapters.publisher,
    logger: logger.child({ component: 'outbox' }),
  });
  const sessionSweep = startSessionSweep({ db, logger: logger.child({ component: 'sessions' }) });
  const loginAttemptSweep = startLoginAttemptSweep({
    db,
    logger: logger.child({ component: 'login-attempts' }),
  });
  const orphanSweep = startOrphanSweep(
    { db, store: adapters.store, logger: logger.child({ component: 'orphans' }) },
    {
      intervalMs: config.ORPHAN_SWEEP_INTERVAL_MINUTES * 60_000,
      graceMs: config.ORPHAN_SWEEP_GRACE_MINUTES * 60_000,
    },
  );
  // PostgreSQL's own autovacuum does this on a server.
  const vacuum =
    adapters.database.kind === 'pglite'
      ? startVacuum({ db, logger: logger.child({ component: 'vacuum' }) })
      : undefined;
  const changes = await followChanges(adapters.database, logger.child({ component: 'feed' }));
  const pruning = startChangePruning({
    db,
    logger: logger.child({ component: 'feed' }),
    retentionMs: config.FEED_RETENTION_HOURS * 3_600_000,
  });
  const deps = appDeps(config, adapters, relay.nudge, changes);
  const app = Fastify(serverOptions(logger, { trustProxy: config.TRUST_PROXY }));
  await app.register(galleryApp, deps);

  const drainMs = config.SHUTDOWN_DRAIN_SECONDS * 1000;
  closeWithGrace({ delay: drainMs + 10_000, logger }, async ({ err, signal }) => {
    if (err) logger.error({ err }, 'closing after an error');
    else logger.info({ signal, drainSeconds: config.SHUTDOWN_DRAIN_SECONDS }, 'closing');
    // The load balancer's next probe learns it at once; requests and event streams are still
    // served until it has had time to stop sending any, then the streams end and their
    // clients reconnect, with their Last-Event-ID, to another instance.
    deps.readiness.drain();
    if (!err) await sleep(drainMs);
    await relay.stop();
    await sessionSweep.stop();
    await loginAttemptSweep.stop();
    await orphanSweep.stop();
    await vacuum?.stop();
    await app.close();
    await pruning.stop();
    await changes.stop();
    await adapters.database.close();
  });

  await app.listen({ host: config.HOST, port: config.PORT });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  process.stdout.write(`Gallery is running at http://${config.HOST}:${port}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
