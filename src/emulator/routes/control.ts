import type { Hono } from 'hono';
import { z } from 'zod';
import { PLATFORMS, type Platform } from '../../catalog/types.js';
import type { EmulatorAuth } from '../auth/emulator-auth.js';
import { faultSchema } from '../faults.js';
import type { EmulatorContext, EmulatorEnv } from '../http.js';
import { scriptSchema } from '../model/script.js';
import type { EmulatorState } from '../state.js';

const queuedScriptSchema = z
  .object({
    platform: z.enum(PLATFORMS as [Platform, ...Platform[]]).optional(),
    model: z.string().optional(),
    script: scriptSchema,
    /** Queue the same script this many times. */
    count: z.number().int().min(1).max(1000).optional(),
  })
  .strict();

async function readJson(
  context: EmulatorContext,
): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  try {
    return { ok: true, value: await context.req.json() };
  } catch (error) {
    return {
      ok: false,
      response: context.json({ error: `the body must be JSON: ${(error as Error).message}` }, 400),
    };
  }
}

function zodProblem(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`;
}

/**
 * The emulator's control API under `/_emulator/`: faults, scripts, the
 * request journal, credentials and a reset. Documented in the README.
 */
export function mountControlRoutes(
  app: Hono<EmulatorEnv>,
  state: EmulatorState,
  auth: EmulatorAuth,
  baseUrl: () => string,
): void {
  app.get('/_emulator/health', (context) => context.json({ ok: true }));

  app.get('/_emulator/credentials', (context) => {
    const credentials = auth.credentials;
    return context.json({
      baseUrl: baseUrl(),
      aws: {
        accessKeyId: credentials.awsAccessKeyId,
        secretAccessKey: credentials.awsSecretAccessKey,
        accountId: credentials.awsAccountId,
        bedrockApiKey: credentials.bedrockApiKey,
      },
      anthropic: { apiKey: credentials.anthropicApiKey },
      vertex: {
        projectId: credentials.vertexProjectId,
        tokenUrl: `${baseUrl()}/token`,
        serviceAccount: auth.serviceAccountJson(`${baseUrl()}/token`),
        authorizedUser: { ...auth.authorizedUserJson(), token_uri: `${baseUrl()}/token` },
        metadataHost: new URL(baseUrl()).host,
      },
    });
  });

  app.get('/_emulator/google/service-account.json', (context) =>
    context.json(auth.serviceAccountJson(`${baseUrl()}/token`)),
  );

  app.get('/_emulator/requests', (context) => {
    const platform = context.req.query('platform');
    const sinceId = Number(context.req.query('since') ?? 0) || 0;
    return context.json({ requests: state.journal.list({ ...(platform ? { platform } : {}), sinceId }) });
  });
  app.delete('/_emulator/requests', (context) => {
    state.journal.clear();
    return context.body(null, 204);
  });

  app.get('/_emulator/faults', (context) => context.json({ faults: state.faults.list() }));
  app.post('/_emulator/faults', async (context) => {
    const body = await readJson(context);
    if (!body.ok) return body.response;
    const list = Array.isArray(body.value) ? body.value : [body.value];
    const added = [];
    for (const item of list) {
      const parsed = faultSchema.safeParse(item);
      if (!parsed.success) return context.json({ error: `fault ${zodProblem(parsed.error)}` }, 400);
      added.push(state.faults.add(parsed.data));
    }
    return context.json({ faults: added }, 201);
  });
  app.delete('/_emulator/faults/:id', (context) => {
    const removed = state.faults.remove(Number(context.req.param('id')));
    return removed ? context.body(null, 204) : context.json({ error: 'no such fault' }, 404);
  });
  app.delete('/_emulator/faults', (context) => {
    state.faults.clear();
    return context.body(null, 204);
  });

  app.get('/_emulator/scripts', (context) => context.json({ scripts: state.scripts }));
  app.post('/_emulator/scripts', async (context) => {
    const body = await readJson(context);
    if (!body.ok) return body.response;
    const parsed = queuedScriptSchema.safeParse(body.value);
    if (!parsed.success) return context.json({ error: `script ${zodProblem(parsed.error)}` }, 400);
    const { count = 1, ...queued } = parsed.data;
    for (let index = 0; index < count; index++) state.scripts.push(queued);
    return context.json({ queued: state.scripts.length }, 201);
  });
  app.delete('/_emulator/scripts', (context) => {
    state.scripts.length = 0;
    return context.body(null, 204);
  });

  app.post('/_emulator/google/expire-tokens', (context) => {
    auth.googleTokens.expire();
    return context.body(null, 204);
  });

  app.post('/_emulator/reset', (context) => {
    state.reset();
    return context.body(null, 204);
  });
}
