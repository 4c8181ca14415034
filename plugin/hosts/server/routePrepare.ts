import { PROTOCOL_VERSION, type PrepareResponse } from '../../remote/protocol';
import { orAbort, queued } from './queued';
import type { RequestContext } from './requestContext';
import { parseJson, parsePrepare } from './requests';
import { sendJson } from './respond';

/**
 * POST /v1/prepare: builds ahead what the next drag's steps will run for this many handles (Engine.prepareDrag),
 * so that its first /v1/drag-steps costs what the others do. Through the work queue like every computation: the
 * graphs share the replica's runtime.
 */
export async function routePrepare(ctx: RequestContext): Promise<void> {
  const input = parsePrepare(parseJson(await ctx.body()), ctx.models);
  ctx.log.model = input.model.id;
  const t = Date.now();
  await queued(ctx, () => orAbort(input.model.engine.prepareDrag(input.handles, input.masked, input.hp), ctx));
  const reply: PrepareResponse = { protocol: PROTOCOL_VERSION, model: input.model.id, ms: Date.now() - t };
  sendJson(ctx.res, 200, reply);
}
