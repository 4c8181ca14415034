/** The preview: the image as an <img> with the points and the mask drawn over it in SVG (UXP has no drawImage). */
import { html, svg, nothing, type TemplateResult } from 'lit';
import type { Point } from '../../engine/core/types';
import type { EditController } from '../editController';

export interface PreviewHandlers {
  down(e: PointerEvent): void;
  move(e: PointerEvent): void;
  up(e: PointerEvent): void;
}

function arrow(a: Point, b: Point, r: number, colour: string): TemplateResult {
  const len = Math.hypot(b.x - a.x, b.y - a.y);
  if (len < 1e-6) return svg``;
  const ux = (b.x - a.x) / len;
  const uy = (b.y - a.y) / len;
  const head = r * 1.8;
  const bx = b.x - ux * r;
  const by = b.y - uy * r;
  const p1 = `${bx},${by}`;
  const p2 = `${bx - ux * head - uy * head * 0.6},${by - uy * head + ux * head * 0.6}`;
  const p3 = `${bx - ux * head + uy * head * 0.6},${by - uy * head - ux * head * 0.6}`;
  return svg`<line x1=${a.x} y1=${a.y} x2=${bx - ux * head * 0.8} y2=${by - uy * head * 0.8} stroke=${colour} stroke-width=${r * 0.45} />
    <polygon points="${p1} ${p2} ${p3}" fill=${colour} />`;
}

/** What the overlay holds and what a click does there, for screen readers. */
function overlayLabel(pairs: number, pending: boolean): string {
  const held = `${pairs} point pair${pairs === 1 ? '' : 's'}`;
  return `Image with ${held}: click to place a handle, then its target${pending ? ' (a handle waits for its target)' : ''}`;
}

export function previewTemplate(edit: EditController, h: PreviewHandlers): TemplateResult {
  const res = edit.resolution;
  const pts = edit.points;
  // markers scale with the model so they read the same at 128 and 1024 px
  const r = Math.max(1.5, res / 64);
  const url = edit.current?.url;
  const tracked = pts.tracked;
  return html`<div class="preview" data-testid="preview">
    <div class="square"></div>
    ${url ? html`<img class="image" data-testid="preview-image" src=${url} alt="Image being edited" draggable="false" />` : html`<div class="empty">Generate an image to start.</div>`}
    ${url && edit.mask.visible && !edit.mask.isEmpty ? html`<img class="mask" data-testid="mask-overlay" src=${edit.mask.overlayUrl()} alt="" draggable="false" />` : nothing}
    <svg class="overlay" data-testid="overlay" role="img" aria-label=${overlayLabel(pts.pairs.length, pts.pending !== null)} viewBox="0 0 ${res} ${res}" preserveAspectRatio="none"
      @pointerdown=${h.down} @pointermove=${h.move} @pointerup=${h.up} @pointerleave=${h.up}>
      ${pts.pairs.map((p, i) => {
        const sel = pts.selected === i;
        const live = tracked?.[i];
        return svg`<g data-pair=${i}>
          ${arrow(live ?? p.handle, p.target, r, 'rgba(255,255,255,0.85)')}
          ${live ? svg`<circle class="tracked" data-testid="tracked-${i}" cx=${live.x} cy=${live.y} r=${r} fill="#ff2b2b" stroke="white" stroke-width=${r * 0.3} />
            <circle cx=${p.handle.x} cy=${p.handle.y} r=${r * 0.7} fill="none" stroke="#ff2b2b" stroke-width=${r * 0.3} />` : svg`<circle class="handle" data-testid="handle-${i}" cx=${p.handle.x} cy=${p.handle.y} r=${r} fill="#ff2b2b" stroke=${sel ? 'yellow' : 'white'} stroke-width=${r * 0.35} />`}
          <circle class="target" data-testid="target-${i}" cx=${p.target.x} cy=${p.target.y} r=${r} fill="#2b6bff" stroke=${sel ? 'yellow' : 'white'} stroke-width=${r * 0.35} />
        </g>`;
      })}
      ${pts.pending ? svg`<circle class="handle pending" data-testid="pending" cx=${pts.pending.x} cy=${pts.pending.y} r=${r} fill="#ff2b2b" stroke="white" stroke-dasharray="1 1" stroke-width=${r * 0.35} />` : nothing}
    </svg>
  </div>`;
}
