import postgres from 'postgres';

/** Where the Postgres tests connect; CI starts PostgreSQL on this address. */
export const TEST_POSTGRES_URL =
  process.env.CLAUDE_GATEWAY_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/**
 * An admin connection to the test database, or an error that says Postgres
 * is needed and how to get it (tests fail with it; they never skip).
 */
export async function connectTestPostgres(): Promise<postgres.Sql | Error> {
  const sql = postgres(TEST_POSTGRES_URL, { max: 2, connect_timeout: 5, onnotice: () => {} });
  try {
    await sql`SELECT 1`;
    return sql;
  } catch (error) {
    await sql.end({ timeout: 0 }).catch(() => {});
    const reason = error instanceof Error ? error.message : String(error);
    return new Error(
      `Postgres is not reachable at ${TEST_POSTGRES_URL} (${reason}). The Postgres store tests need it: ` +
        'start PostgreSQL (CI does, in .ci/run) or set CLAUDE_GATEWAY_TEST_POSTGRES_URL.',
    );
  }
}
