import type { DragSessionLike } from '../../core/session';
import { DragInputError } from '../../core/errors';
import { PROTOCOL_VERSION, type WirePreview, type WireStopReason } from '../../remote/protocol';
import { encodeDragState } from '../../remote/stateCodec';
import { openEventStream } from './eventStream';
import { HttpError } from './httpError';
import { wirePreview } from './preview';
import { queued } from './queued';
import type { RequestContext } from './requestContext';
import { parseDragSteps, parseJson } from './requests';

/**
 * POST /v1/drag-steps: restores the session from the request, runs up to `steps` steps, streams a report per
 * step, and ends with the new state and a preview. Stopped by the time limit or a shutdown, it still returns the
 * state after the last completed step, so the client loses nothing and simply continues.
 */
export async function routeDragSteps(ctx: RequestContext): Promise<void> {
  const input = parseDragSteps(parseJson(await ctx.body()), ctx.models);
  ctx.log.model = input.model.id;
  let session: DragSessionLike;
  try {
    session = await input.model.engine.resumeDrag(input.state);
  } catch (e) {
    if (e instanceof DragInputError) throw new HttpError(400, 'invalid-state', e.message, { field: 'state' });
    throw e;
  }
  const stepsBefore = session.steps;
  await queued(ctx, async () => {
    const stream = openEventStream(ctx.res, ctx.req.headers.accept);
    stream.send({ type: 'start', protocol: PROTOCOL_VERSION, model: input.model.id });
    // the last preview of a run is the final one: hold each back until the next arrives or the run ends
    let held: WirePreview | undefined;
    try {
      const r = await session.run({
        signal: ctx.signal,
        steps: input.steps,
        previewEvery: input.previewEvery,
        onStep: (rep) =>
          stream.send({ type: 'step', step: rep.step, points: rep.points, loss: rep.loss, ms: rep.ms, path: rep.path }),
        onPreview:
          input.preview === 'none'
            ? undefined
            : (img, step) => {
                if (held) stream.send({ type: 'preview', preview: held });
                held = ctx.stopCause() === 'client-gone' ? undefined : wirePreview(img, step, input.preview);
              },
      });
      const cause = ctx.stopCause();
      let reason: WireStopReason;
      if (r.reason === 'cancelled') reason = cause === 'shutdown' ? 'shutdown' : 'time-limit';
      else if (r.reason === 'converged') reason = 'converged';
      else reason = session.steps >= session.hp.maxSteps ? 'step-cap' : 'steps-done';
      ctx.log.steps = session.steps - stepsBefore;
      ctx.log.reason = cause === 'client-gone' ? 'client-gone' : reason;
      stream.send({
        type: 'result',
        protocol: PROTOCOL_VERSION,
        reason,
        steps: session.steps,
        points: session.points,
        state: encodeDragState(session.snapshot()),
        ...(held ? { preview: held } : {}),
      });
    } catch (e) {
      // the 200 is already out: report in the stream; another replica may well succeed
      ctx.log.error = e instanceof Error ? e.message : String(e);
      stream.send({
        type: 'error',
        protocol: PROTOCOL_VERSION,
        retryable: true,
        error: { code: 'internal', message: `the drag failed on the server: ${ctx.log.error}` },
      });
    } finally {
      stream.end();
    }
  });
}
