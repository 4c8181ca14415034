import { sendJson } from './respond';
import type { RequestContext } from './requestContext';

/** GET /v1/models: what this server serves, with each model's recommended settings. */
export async function routeModels(ctx: RequestContext): Promise<void> {
  sendJson(ctx.res, 200, { models: [...ctx.models.values()].map((m) => m.info) });
}
