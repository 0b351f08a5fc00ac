import { describeDatabaseContract } from './support/database-contract';
import { openTestDatabase } from './support/test-database';

describeDatabaseContract('PGlite', openTestDatabase);
