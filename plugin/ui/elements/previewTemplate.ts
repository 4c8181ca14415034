/** The preview: the image as an <img> with the points and the mask drawn over it in SVG (UXP has no drawImage). */
import { html, svg, nothing, type TemplateResult } from 'lit';
import type { Point } from '../../core/types';
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

/** The keys the focused preview takes (PointsController.previewKey), as its tooltip and accessible description. */
export const PREVIEW_KEYS =
  'Keyboard: arrows move the cursor (Shift: 10 px); Enter places a handle, then its target; [ and ] step through the markers; Enter picks up the marker under the cursor, arrows move it, Enter drops it; Delete removes the selected pair; Esc cancels.';

/** Where the keyboard's cursor is and what Enter would do there, read out as the cursor moves. */
function cursorLabel(edit: EditController): string {
  const pts = edit.points;
  const c = pts.cursor;
  if (!c) return '';
  const g = pts.grabbed;
  if (g) return `Moving ${g.role} ${g.pair + 1} at ${c.x}, ${c.y}`;
  return `Cursor at ${c.x}, ${c.y}${pts.pending ? ': Enter places the target' : ''}`;
}

/** The keyboard's cursor: a crosshair with a gap, drawn twice (dark under light) to show on any image. */
function crosshair(c: Point, r: number): TemplateResult {
  const a = r * 1.2;
  const b = r * 3;
  const lines = (colour: string, w: number) => svg`<g stroke=${colour} stroke-width=${w}>
    <line x1=${c.x - b} y1=${c.y} x2=${c.x - a} y2=${c.y} /><line x1=${c.x + a} y1=${c.y} x2=${c.x + b} y2=${c.y} />
    <line x1=${c.x} y1=${c.y - b} x2=${c.x} y2=${c.y - a} /><line x1=${c.x} y1=${c.y + a} x2=${c.x} y2=${c.y + b} /></g>`;
  return svg`<g data-testid="cursor" data-x=${c.x} data-y=${c.y}>${lines('black', r * 0.5)}${lines('white', r * 0.25)}</g>`;
}

export function previewTemplate(edit: EditController, h: PreviewHandlers): TemplateResult {
  const res = edit.resolution;
  const width = edit.width;
  const pts = edit.points;
  // markers scale with the model so they read the same at 128 and 1024 px
  const r = Math.max(1.5, res / 64);
  // a portrait image keeps its aspect at the height a square preview has: the box narrows to width / height of the
  // panel, and the spacer (padding, a percentage of the box's width) makes it as tall as the panel is wide
  const box = width === res ? '' : `width: ${(100 * width) / res}%; max-width: ${Math.round((512 * width) / res)}px;`;
  const spacer = width === res ? '' : `padding-top: ${(100 * res) / width}%;`;
  // a face found in the picture read is shown as it will be inverted, until the user picks it or the square
  const url = edit.faces.pick?.url || edit.current?.url;
  const tracked = pts.tracked;
  // focusable, with the application role so that screen readers pass the arrow keys through to it. The pointer is
  // taken here, not on the SVG: UXP's SVG renderer is for simple icons and its interactive elements swallow most
  // events (AdobeDocs uxp-api/known-issues.md), so the overlay only draws, under a plain layer (.hit) that the
  // pointer lands on (UXP's CSS reference has no pointer-events to make the SVG transparent to it)
  return html`<div class="preview" data-testid="preview" tabindex=${url ? '0' : '-1'} role="application" aria-roledescription="point editor" aria-label=${`Points. ${PREVIEW_KEYS}`} title=${PREVIEW_KEYS}
    style=${box} @pointerdown=${h.down} @pointermove=${h.move} @pointerup=${h.up} @pointerleave=${h.up}>
    <div class="square" style=${spacer}></div>
    ${url ? html`<img class="image" data-testid="preview-image" src=${url} alt=${edit.faces.pick?.url ? 'The face as it will be inverted' : 'Image being edited'} draggable="false" />` : html`<div class="empty">Generate an image to start.</div>`}
    ${url && edit.mask.visible && !edit.mask.isEmpty ? html`<img class="mask" data-testid="mask-overlay" src=${edit.mask.overlayUrl()} alt="" draggable="false" />` : nothing}
    <svg class="overlay" data-testid="overlay" role="img" aria-label=${overlayLabel(pts.pairs.length, pts.pending !== null)} viewBox="0 0 ${width} ${res}" preserveAspectRatio="none">
      ${pts.pairs.map((p, i) => {
        const sel = pts.selected === i;
        const live = tracked?.[i];
        return svg`<g data-pair=${i}>
          ${arrow(live ?? p.handle, p.target, r, 'rgba(255,255,255,0.85)')}
          ${
            live
              ? svg`<circle class="tracked" data-testid="tracked-${i}" cx=${live.x} cy=${live.y} r=${r} fill="#ff2b2b" stroke="white" stroke-width=${r * 0.3} />
            <circle cx=${p.handle.x} cy=${p.handle.y} r=${r * 0.7} fill="none" stroke="#ff2b2b" stroke-width=${r * 0.3} />`
              : svg`<circle class="handle" data-testid="handle-${i}" cx=${p.handle.x} cy=${p.handle.y} r=${r} fill="#ff2b2b" stroke=${sel ? 'yellow' : 'white'} stroke-width=${r * 0.35} />`
          }
          <circle class="target" data-testid="target-${i}" cx=${p.target.x} cy=${p.target.y} r=${r} fill="#2b6bff" stroke=${sel ? 'yellow' : 'white'} stroke-width=${r * 0.35} />
        </g>`;
      })}
      ${pts.pending ? svg`<circle class="handle pending" data-testid="pending" cx=${pts.pending.x} cy=${pts.pending.y} r=${r} fill="#ff2b2b" stroke="white" stroke-dasharray="1 1" stroke-width=${r * 0.35} />` : nothing}
      ${url && pts.cursor ? crosshair(pts.cursor, r) : nothing}
    </svg>
    <div class="hit"></div>
    <div class="sr-only" data-testid="cursor-label" aria-live="polite">${cursorLabel(edit)}</div>
  </div>`;
}
