import type { Theme } from '@aihio/actions-ui';
import { useSyncExternalStore } from 'react';

/**
 * The demo's two viewer preferences, kept in localStorage: the colour theme (light, dark or
 * following the system) and which development workspace to show (the Starter demo or the Free
 * one, to see the upgrade state). The BFF's development auth reads the workspace from a header.
 */

export const THEMES: readonly Theme[] = ['light', 'dark', 'system'];
export const DEV_WORKSPACES = [
  { id: 'demo', label: 'Demo (Starter)' },
  { id: 'demo-free', label: 'Free plan' },
] as const;
export type DevWorkspaceId = (typeof DEV_WORKSPACES)[number]['id'];

const THEME_KEY = 'lumo-theme';
const WORKSPACE_KEY = 'lumo-dev-workspace';
/** apps/bff/src/auth/dev-seed.ts (DEV_WORKSPACE_HEADER); only development auth reads it. */
const WORKSPACE_HEADER = 'x-aihio-dev-workspace';

const listeners = new Set<() => void>();
function subscribe(listener: () => void) {
  listeners.add(listener);
  window.addEventListener('storage', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', listener);
  };
}

function read(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string) {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Private mode without storage: the choice lasts for this page only.
  }
  for (const listener of listeners) listener();
}

export function currentTheme(): Theme {
  const stored = read(THEME_KEY);
  return THEMES.includes(stored as Theme) ? (stored as Theme) : 'system';
}

export function useTheme(): [Theme, (theme: Theme) => void] {
  const theme = useSyncExternalStore(subscribe, currentTheme);
  return [theme, (next) => write(THEME_KEY, next)];
}

export function currentWorkspace(): DevWorkspaceId {
  const stored = read(WORKSPACE_KEY);
  return DEV_WORKSPACES.some((w) => w.id === stored) ? (stored as DevWorkspaceId) : 'demo';
}

export function useDevWorkspace(): [DevWorkspaceId, (id: DevWorkspaceId) => void] {
  const id = useSyncExternalStore(subscribe, currentWorkspace);
  return [id, (next) => write(WORKSPACE_KEY, next)];
}

/** The headers every BFF call of the demo sends (its own calls and the kit's). */
export function devHeaders(): Record<string, string> {
  return { [WORKSPACE_HEADER]: currentWorkspace() };
}
