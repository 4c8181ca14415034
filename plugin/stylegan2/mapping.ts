import type { GraphBuilder } from '../graph/builder';
import type { Value } from '../graph/ir';
import { numWs, type GeneratorConfig } from './config';
import { fullyConnected, normalize2ndMoment } from './layers';
import type { WeightEmitter } from './weights';

/** Official MappingNetwork (unconditional): z -> w, broadcast to [1, num_ws, w_dim], truncated toward w_avg by psi. */
export function emitMapping(b: GraphBuilder, w: WeightEmitter, cfg: GeneratorConfig, z: Value, psi: Value): Value {
  if (cfg.c_dim !== 0) throw new Error('conditional generators (c_dim > 0) are not supported yet');
  const mk = cfg.mapping_kwargs;
  let x = normalize2ndMoment(b, z);
  for (let i = 0; i < mk.num_layers; i++) {
    x = fullyConnected(b, w, `mapping.fc${i}`, x, mk.lr_multiplier, mk.activation === 'linear' ? 'linear' : 'lrelu');
  }
  const n = numWs(cfg);
  const ws = b.expand(b.reshape(x, [1, 1, cfg.w_dim]), [1, n, cfg.w_dim]);
  // w_avg.lerp(x, psi) = w_avg + psi * (x - w_avg)
  const avg = w.scaled('mapping.w_avg', 1);
  return b.add(avg, b.mul(psi, b.sub(ws, avg)));
}
