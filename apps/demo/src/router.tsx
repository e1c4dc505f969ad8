import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from 'react';

/**
 * The few routes of the demo, on the History API: deep links and reloads land on the same screen
 * (the Vite server falls back to index.html). A host app would use its own router here.
 */
export type Route =
  | { name: 'chatbots' }
  | { name: 'general'; chatbotId: string }
  | { name: 'actions'; chatbotId: string }
  | { name: 'newAction'; chatbotId: string }
  | { name: 'editAction'; chatbotId: string; actionId: string }
  | { name: 'notFound' };

export function hrefOf(route: Route): string {
  const bot = 'chatbotId' in route ? `/chatbots/${encodeURIComponent(route.chatbotId)}` : '';
  switch (route.name) {
    case 'chatbots':
      return '/chatbots';
    case 'general':
      return `${bot}/settings/general`;
    case 'actions':
      return `${bot}/settings/actions`;
    case 'newAction':
      return `${bot}/settings/actions/new`;
    case 'editAction':
      return `${bot}/settings/actions/${encodeURIComponent(route.actionId)}`;
    case 'notFound':
      return '/';
  }
}

export function parseRoute(pathname: string): Route {
  const parts = pathname
    .split('/')
    .filter(Boolean)
    .map((part) => decodeURIComponent(part));
  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'chatbots')) return { name: 'chatbots' };
  const [root, chatbotId, settings, tab, actionId, ...rest] = parts;
  if (root !== 'chatbots' || !chatbotId || rest.length > 0) return { name: 'notFound' };
  if (!settings) return { name: 'actions', chatbotId };
  if (settings !== 'settings') return { name: 'notFound' };
  if (!tab || tab === 'actions') {
    if (!actionId) return { name: 'actions', chatbotId };
    return actionId === 'new'
      ? { name: 'newAction', chatbotId }
      : { name: 'editAction', chatbotId, actionId };
  }
  if (tab === 'general' && !actionId) return { name: 'general', chatbotId };
  return { name: 'notFound' };
}

const listeners = new Set<() => void>();
function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

/**
 * A page with unsaved changes installs a guard (the kit's `useUnsavedChangesGuard(dirty).guard`,
 * with `dirty` from the editor's `onDirtyChange`); every in-app navigation goes through it, so the
 * owner sees the kit's one "Discard unsaved changes?" dialog whatever they click. `force` skips it:
 * after a save, or a cancel the editor already confirmed.
 */
type LeaveGuard = (proceed: () => void) => void;
let leaveGuard: LeaveGuard | null = null;
export function setLeaveGuard(guard: LeaveGuard | null) {
  leaveGuard = guard;
}

export function navigate(route: Route, options: { replace?: boolean; force?: boolean } = {}) {
  const href = hrefOf(route);
  if (href === window.location.pathname) return;
  if (!options.force && leaveGuard) {
    leaveGuard(() => navigate(route, { ...options, force: true }));
    return;
  }
  if (options.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  for (const listener of listeners) listener();
  window.scrollTo(0, 0);
}

export function useRoute(): Route {
  const pathname = useSyncExternalStore(subscribe, () => window.location.pathname);
  return parseRoute(pathname);
}

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: Route };

/** An anchor that navigates in place, but still opens in a new tab with a modifier key. */
export function Link({ to, onClick, ...props }: LinkProps) {
  const handle = (event: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(event);
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
      return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={hrefOf(to)} onClick={handle} {...props} />;
}
