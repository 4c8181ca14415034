import { encodeTensor } from '../../remote/stateCodec';
import { zFromSeed } from '../../stylegan2/latentSeed';
import { wirePreview } from './preview';
import { orAbort, queued } from './queued';
import type { RequestContext } from './requestContext';
import { parseGenerate, parseJson } from './requests';
import { sendJson } from './respond';

/** POST /v1/generate: a seed (+ psi) or a latent -> the W+ latent and its image. */
export async function routeGenerate(ctx: RequestContext): Promise<void> {
  const input = parseGenerate(parseJson(await ctx.body()), ctx.models);
  ctx.log.model = input.model.id;
  const gen = input.model.engine.generator;
  const { ws, img } = await queued(ctx, () =>
    orAbort(
      (async () => {
        const ws =
          input.latent ??
          (await gen.mapping(
            zFromSeed(input.z?.seed ?? 0, input.model.info.zDim),
            input.z?.psi ?? input.model.info.defaults.psi,
          ));
        return { ws, img: (await gen.synthesize(ws)).img };
      })(),
      ctx,
    ),
  );
  const preview = wirePreview(img, 0, input.preview);
  sendJson(ctx.res, 200, { model: input.model.id, latent: encodeTensor(ws), ...(preview ? { preview } : {}) });
}
