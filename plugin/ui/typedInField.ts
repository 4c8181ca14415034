/**
 * Whether a key event was typed into a text field, a select or an editable element: such keys belong to that
 * field, not to the panel's shortcuts. Events from inside a shadow root reach the host retargeted to the host, so
 * the field is found from the event's composed path where the host has one (UXP's Event reference does not list
 * composedPath), else from the shadow root's focused element, else from the target.
 */
const FIELDS = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

interface KeyOrigin {
  composedPath?: () => EventTarget[];
  target: EventTarget | null;
}

export function typedInField(e: KeyOrigin, root: { activeElement?: Element | null } | null): boolean {
  const origin =
    (typeof e.composedPath === 'function' ? e.composedPath()[0] : undefined) ?? root?.activeElement ?? e.target;
  const el = origin as { tagName?: string; isContentEditable?: boolean } | null;
  return (
    !!el && ((typeof el.tagName === 'string' && FIELDS.has(el.tagName.toUpperCase())) || el.isContentEditable === true)
  );
}
