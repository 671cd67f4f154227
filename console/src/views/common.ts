/** What every view shares: its context, a paged table, and error text. */
import { ApiError } from '../api.js';
import { h } from '../dom.js';
import { formatAgo } from '../format.js';
import type { Page } from '../types.js';

export interface ViewContext {
  /** Says something in the polite live region (screen readers hear it; it is also visible). */
  announce(text: string): void;
  now(): Date;
  /** Runs `fn` every `ms` while the view is shown. */
  every(ms: number, fn: () => Promise<void> | void): void;
}

/** A view draws into `root`; the shell clears timers when another view is opened. */
export type View = (root: HTMLElement, ctx: ViewContext, arg: string | undefined) => Promise<void>;

export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) return 'The admin key was refused (401). Sign out and paste it again.';
    if (error.status === 403) return 'This key is not an admin key (403).';
    return `${error.code}: ${error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}

export interface Column<T> {
  header: string;
  cell(item: T): Node | string;
}

/**
 * A table of a cursor-paginated list: the first page now, "Load more" for the next. `refresh()` reloads the
 * first page (the polling views call it) and answers its items, or undefined when it left the rows alone
 * because the keyboard focus is in them.
 */
export function pagedTable<T>(options: {
  caption: string;
  columns: Column<T>[];
  load(cursor: string | null): Promise<Page<T>>;
  empty: string;
  ctx: ViewContext;
}): { element: HTMLElement; refresh(): Promise<T[] | undefined> } {
  const body = h('tbody');
  const more = h('button', { type: 'button', class: 'secondary', hidden: true }, 'Load more');
  const status = h('p', { class: 'muted', role: 'status' });
  let next: string | null = null;
  const row = (item: T) => h('tr', {}, ...options.columns.map((c) => h('td', {}, c.cell(item))));
  const fill = (items: T[], append: boolean) => {
    if (!append) body.replaceChildren();
    body.append(...items.map(row));
    status.textContent = body.children.length === 0 ? options.empty : '';
  };
  const load = async (append: boolean): Promise<T[]> => {
    try {
      const page = await options.load(append ? next : null);
      next = page.nextCursor;
      more.hidden = next === null;
      fill(page.items, append);
      return page.items;
    } catch (error) {
      status.textContent = errorText(error);
      return [];
    }
  };
  more.addEventListener('click', () => void load(true));
  const table = h(
    'table',
    {},
    h('caption', {}, options.caption),
    h('thead', {}, h('tr', {}, ...options.columns.map((c) => h('th', { scope: 'col' }, c.header)))),
    body,
  );
  return {
    element: h('div', { class: 'table-wrap' }, table, status, more),
    // a keyboard user's focus stays where it is: a poll does not redraw the rows under it
    refresh: async () => (body.contains(document.activeElement) ? undefined : load(false)),
  };
}

/** A button that runs an action once at a time and reports the outcome. */
export function actionButton(
  label: string,
  accessibleName: string,
  ctx: ViewContext,
  action: () => Promise<string>,
): HTMLButtonElement {
  const button = h('button', { type: 'button', 'aria-label': accessibleName }, label);
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      ctx.announce(await action());
    } catch (error) {
      ctx.announce(errorText(error));
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

/** An instant as "3 min ago", the exact UTC instant in its `datetime` and tooltip. */
export function when(instant: string | null, ctx: ViewContext): Node {
  if (!instant) return document.createTextNode('—');
  return h('time', { datetime: instant, title: instant }, formatAgo(instant, ctx.now()));
}
